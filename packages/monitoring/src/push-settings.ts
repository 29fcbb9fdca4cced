import { urlCredentials, type Inputs } from '@slipway/kit'
import { httpUrl } from './url.js'

export interface PushSettings {
  /** Where deploy events are pushed as `slipway_deploy_*` series. */
  pushgatewayUrl?: string
  /** Credentials in the URL: masked before anything is logged. */
  readonly secrets: string[]
}

/** Reads `pushgateway-url` (deploy-strategy, rollback, tag-and-release and the pipeline). */
export function parsePushSettings(inputs: Inputs): PushSettings {
  const pushgatewayUrl = httpUrl(
    inputs.string('pushgateway-url'),
    'pushgateway-url',
    'http://pushgateway:9091'
  )
  return { pushgatewayUrl, secrets: urlCredentials(pushgatewayUrl ?? '') }
}
