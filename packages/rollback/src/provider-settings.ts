import type { Inputs, RunnerEnv } from '@slipway/kit'
import { parseImageReference } from '@slipway/providers'
import { parseProviderSettings, type DeployInputs } from '@slipway/strategies'

/** What rollback passes on to buildDeployConfig besides version, strategy and artifact. */
export type RollbackProviderInputs = Omit<
  DeployInputs,
  'strategy' | 'version' | 'artifact' | 'environment' | 'dryRun'
>

/**
 * deploy-strategy's provider settings (same names, same defaults), plus what a rollback
 * fixes: traffic moves at once, with no canary analysis and no forward migration
 * (restore-data brings the data back instead), and it is always recorded, since the
 * Deployment history is where the target came from.
 */
export function parseRollbackProviderSettings(
  inputs: Inputs,
  runnerEnv: RunnerEnv
): { inputs: RollbackProviderInputs; readonly secrets: string[] } {
  const provider = parseProviderSettings(inputs, runnerEnv)
  return {
    inputs: {
      ...provider.inputs,
      switchTraffic: true,
      intervalMs: 60_000,
      failureLimit: 0,
      consecutiveSuccesses: 3,
      analysisRequests: 20,
      recordDeployment: true
    },
    secrets: provider.secrets
  }
}

/**
 * The provider settings for rolling back to a deployment that recorded its image: the docker
 * provider runs that exact image when the record names it by digest (`name@sha256:…`, what a
 * registry deploy records), never what `image` or `image-archive` name today (in a rollback job
 * they usually name the version being rolled back). A record without a digest — a deploy from a
 * `docker save` archive records its tag or id — names nothing a registry can serve: the job's own
 * `image-archive` (or `image`) stays, and a kept container of the version is started first anyway.
 */
export function withRecordedImage(
  provider: RollbackProviderInputs,
  image: string | undefined
): RollbackProviderInputs {
  const byDigest = image !== undefined && /@sha256:[0-9a-f]{64}$/.test(image)
  if (!byDigest || !provider.container || !parseImageReference(image)) return provider
  return { ...provider, container: { ...provider.container, image, imageArchive: undefined } }
}
