import { InputError, UserError, type Inputs, type RunnerEnv } from '@slipway/kit'
import { parseImageReference } from '@slipway/providers'
import {
  buildDeployConfig,
  isContainerProvider,
  parseProviderSettings,
  type DeployInputs,
  type StrategyName
} from '@slipway/strategies'

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
  const rollbackInputs: RollbackProviderInputs = {
    ...provider.inputs,
    switchTraffic: true,
    intervalMs: 60_000,
    failureLimit: 0,
    consecutiveSuccesses: 3,
    analysisRequests: 20,
    recordDeployment: true
  }
  checkProviderInputs(rollbackInputs)
  return { inputs: rollbackInputs, secrets: provider.secrets }
}

/** The strategies a rollback may run (rollbackStrategy): which one, only the history says. */
const ROLLBACK_STRATEGIES: StrategyName[] = ['blue-green', 'rolling']

/** Stands in for the version and image the history names, which parsing does not read. */
const PLACEHOLDER_VERSION = 'v0.0.0'
const PLACEHOLDER_IMAGE = `slipway/placeholder@sha256:${'0'.repeat(64)}`

/**
 * Validates the provider inputs as buildDeployConfig will when the rollback runs, so a bad one
 * fails before the Deployment history is read. The strategy comes from that history, so the
 * inputs must suit at least one strategy a rollback runs: a problem under every one of them
 * (a malformed host, a relative upstream file) is the user's whatever the history says. A
 * container provider may leave `image` unset: the record's image by digest then stands in.
 * Builds the provider without touching anything, as deploy-strategy's parse does.
 */
function checkProviderInputs(provider: RollbackProviderInputs): void {
  const container =
    isContainerProvider(provider.provider) &&
    provider.container &&
    !provider.container.image &&
    !provider.container.imageArchive
      ? { ...provider.container, image: PLACEHOLDER_IMAGE }
      : provider.container
  const errors: unknown[] = []
  for (const strategy of ROLLBACK_STRATEGIES) {
    try {
      buildDeployConfig({
        ...provider,
        container,
        strategy,
        version: PLACEHOLDER_VERSION,
        environment: 'rollback',
        dryRun: true
      })
      return
    } catch (error) {
      if (!(error instanceof UserError)) throw error
      errors.push(error)
    }
  }
  // Both strategies refused. The targets' count is what tells them apart (two slots, or hosts):
  // an error about anything else is the one the user has to fix whichever the history names.
  throw errors.find(e => !(e instanceof InputError && e.input === 'targets')) ?? errors[0]
}

/**
 * The provider settings for rolling back to a deployment that recorded its image: the docker
 * provider runs that exact image when the record names it by digest (`name@sha256:…`, what a
 * registry deploy records), never what `image` or `image-archive` name today (in a rollback job
 * they usually name the version being rolled back). A record without a digest — a deploy from a
 * `docker save` archive records its tag or id — names nothing a registry can serve: the job's own
 * `image-archive` (or `image`) stays, and a kept container of the version is started first anyway.
 */
/** A Helm release returns to the revision the version's deployment recorded. */
export function withRecordedHelmRevision(
  provider: RollbackProviderInputs,
  revision: number | undefined
): RollbackProviderInputs {
  const helm = provider.kubernetes?.helm
  if (!helm || revision === undefined) return provider
  return { ...provider, kubernetes: { ...provider.kubernetes!, helm: { ...helm, revision } } }
}

export function withRecordedImage(
  provider: RollbackProviderInputs,
  image: string | undefined
): RollbackProviderInputs {
  // A cluster pulls what the version's Deployment named: the recorded image, tag or digest.
  if (provider.provider === 'kubernetes' && provider.kubernetes && image)
    return { ...provider, kubernetes: { ...provider.kubernetes, image } }
  const byDigest = image !== undefined && /@sha256:[0-9a-f]{64}$/.test(image)
  if (!byDigest || !provider.container || !parseImageReference(image)) return provider
  return { ...provider, container: { ...provider.container, image, imageArchive: undefined } }
}
