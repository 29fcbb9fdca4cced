import type { Inputs } from '@slipway/kit'
import { parseImageReference } from '@slipway/providers'
import type { DeployInputs } from '@slipway/strategies'
import { readProviderInputs as readDeployProviderInputs } from '../../deploy-strategy/src/provider-inputs.js'

/** What rollback passes on to buildDeployConfig besides version, strategy and artifact. */
export type ProviderInputs = Omit<
  DeployInputs,
  'strategy' | 'version' | 'artifact' | 'environment' | 'dryRun'
>

/**
 * deploy-strategy's provider settings (same names, same defaults), plus what a rollback
 * fixes: traffic moves at once, with no canary analysis and no forward migration
 * (restore-data brings the data back instead), and it is always recorded, since the
 * Deployment history is where the target came from.
 */
export function readProviderInputs(
  inputs: Inputs,
  secret: (value: string | undefined) => void
): ProviderInputs {
  return {
    ...readDeployProviderInputs(inputs, secret),
    switchTraffic: true,
    intervalMs: 60_000,
    failureLimit: 0,
    consecutiveSuccesses: 3,
    analysisRequests: 20,
    recordDeployment: true
  }
}

/**
 * The provider settings for rolling back to a deployment that recorded its image: the docker
 * provider runs that exact image (its digest), never what `image` or `image-archive` name today
 * (in a rollback job they usually name the version being rolled back).
 */
export function withRecordedImage(
  provider: ProviderInputs,
  image: string | undefined
): ProviderInputs {
  // An image recorded only by id (an archive without tags) cannot be named as a reference.
  const idOnly = /^sha256:[0-9a-f]{64}$/.test(image ?? '')
  if (!image || !provider.container || idOnly || !parseImageReference(image)) return provider
  return { ...provider, container: { ...provider.container, image, imageArchive: undefined } }
}
