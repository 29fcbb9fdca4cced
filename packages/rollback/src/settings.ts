import { InputError, Inputs, UserError, type RunnerEnv } from '@slipway/kit'
import { layeredInputs } from '@slipway/config'
import { parseRepository, type RepoRef } from '@slipway/github'
import { planSmoke, type SmokePlan } from '@slipway/smoke'
import { FORMATS, type NotifyFormat } from '@slipway/notify'
import { parsePushSettings } from '@slipway/monitoring'
import { readConfigFile, rollbackSource } from './config-source.js'
import { parseRollbackProviderSettings, type RollbackProviderInputs } from './provider-settings.js'

/** restore-data: the database and the backup store, as the backup action names them. */
export interface RestoreSettings {
  url: string
  path: string
  engine?: string
  name?: string
  identity?: string
  timeoutMs: number
}

export interface RollbackSettings {
  environment: string
  /** Return to this version instead of the last good one. */
  version?: string
  /** The bad deployment (automatic trigger); default: the environment's newest deployment. */
  fromDeploymentId?: number
  reason?: string
  dryRun: boolean
  provider: RollbackProviderInputs
  restore?: RestoreSettings
  smoke?: SmokePlan
  /** Annotate the bad version's release (mark-release). */
  release?: { markPrerelease: boolean; tagPrefix?: string }
  environmentUrl?: string
  productionEnvironment: boolean
  /** The Deployments (and releases) on GitHub: the front end builds the ports from it. */
  github: { token: string; repository: RepoRef }
  /** `owner/name`, for notifications. */
  repository?: string
  /** Recorded against this commit when the version is not a ref. */
  fallbackRef?: string
  /** This workflow run, so a re-run continues its rollback deployment instead of adding one. */
  runId?: string
  webhook: { url: string | undefined; format: NotifyFormat }
  /** Where the rollback is pushed as `slipway_deploy_*` series (`pushgateway-url`). */
  pushgatewayUrl?: string
  /** The token, the webhook URL, the age identity and the provider's secrets. */
  readonly secrets: string[]
}

/** What the front end offers when an input is empty. */
export interface RollbackFallbacks {
  /** The action: GITHUB_TOKEN of the step's environment. */
  token?: string
}

/**
 * Reads and validates the rollback inputs; the only place their user errors come from.
 * A config file (`config-file`, per-environment sections) fills what the step's inputs leave
 * unset, borrowing the deploy, backup, smoke and release sections — all but `restore-data`,
 * which only the step (or the pipeline's automatic rollback) turns on. Changes nothing.
 */
export function parseRollbackSettings(
  inputs: Inputs,
  runnerEnv: RunnerEnv,
  fallbacks: RollbackFallbacks = {}
): RollbackSettings {
  const configFile = inputs.string('config-file')
  const environment = inputs.string('environment', { default: 'production' })
  if (!configFile) return readSettings(inputs, environment, runnerEnv, fallbacks)
  const config = readConfigFile(configFile, 'config-file', runnerEnv.workspace)
  const fromFile = rollbackSource(config, environment)
  const layered = new Inputs(
    layeredInputs(
      name => inputs.raw(name),
      // The file's `restore-data` is the pipeline's policy for its automatic rollback, which
      // knows whether its run took a backup. A rollback step (the manual one above all)
      // restores data only when it says so: otherwise a later rollback of a deploy without a
      // backup, or with the database given only to the pipeline, would fail, dry run included.
      name => (name === 'restore-data' ? undefined : fromFile(name))
    )
  )
  return readSettings(layered, environment, runnerEnv, fallbacks)
}

/** Every input but the two that say where a config file's values come from. */
function readSettings(
  inputs: Inputs,
  environment: string,
  runnerEnv: RunnerEnv,
  fallbacks: RollbackFallbacks
): RollbackSettings {
  const version = inputs.string('version')
  const fromDeploymentId = inputs.int('deployment-id', { min: 1 })
  const reason = inputs.string('reason')
  const dryRun = inputs.bool('dry-run')
  const provider = parseRollbackProviderSettings(inputs, runnerEnv)
  const environmentUrl = inputs.url('environment-url')?.toString()
  const production = inputs.bool('production-environment', /^(production|prod)$/i.test(environment))
  const restore = inputs.bool('restore-data') ? readRestore(inputs) : undefined
  const smoke = readSmoke(inputs, dryRun)

  const token = inputs.string('github-token') ?? fallbacks.token
  const repository = parseRepository(runnerEnv.repository)
  if (!token) throw new InputError('github-token', 'a token with deployments: write', token)
  if (!repository)
    throw new UserError(
      'GITHUB_REPOSITORY (owner/name) is not set',
      'run the step on GitHub Actions, or set GITHUB_REPOSITORY to owner/name'
    )
  const release = inputs.bool('mark-release', true)
    ? {
        markPrerelease: inputs.bool('release-prerelease', true),
        // unset: the package's default, tag-and-release's `v`
        tagPrefix: inputs.string('tag-prefix')
      }
    : undefined
  const webhookUrl = inputs.string('webhook-url')
  const webhookFormat = inputs.enumOf('webhook-format', FORMATS, { default: 'slack' })
  const push = parsePushSettings(inputs)
  return {
    environment,
    version,
    fromDeploymentId,
    reason,
    dryRun,
    provider: provider.inputs,
    restore,
    smoke,
    release,
    environmentUrl,
    productionEnvironment: production,
    github: { token, repository },
    repository: runnerEnv.repository,
    fallbackRef: runnerEnv.sha,
    runId: runnerEnv.runId,
    webhook: { url: webhookUrl, format: webhookFormat },
    pushgatewayUrl: push.pushgatewayUrl,
    secrets: [...provider.secrets, ...push.secrets, restore?.identity, token, webhookUrl].filter(
      (s): s is string => Boolean(s)
    )
  }
}

function readRestore(inputs: Inputs): RestoreSettings {
  const url = inputs.string('database-url')
  if (!url)
    throw new InputError('database-url', 'the database to restore (restore-data is true)', url)
  const path = inputs.string('backup-path')
  if (!path) throw new InputError('backup-path', 'the backup store directory', path)
  return {
    url,
    path,
    identity: inputs.string('age-identity'),
    engine: inputs.string('engine'),
    name: inputs.string('backup-name'),
    timeoutMs: inputs.duration('backup-timeout', { default: '30m', min: 1000 })
  }
}

function readSmoke(inputs: Inputs, dryRun: boolean): SmokePlan | undefined {
  const smokeUrl = inputs.string('smoke-url')
  const smokeChecks = inputs.yaml('smoke-checks')
  if (!smokeUrl && !smokeChecks) return undefined
  return planSmoke({
    url: smokeUrl,
    checks: smokeChecks,
    expectStatus: inputs.string('smoke-expect-status'),
    expectBody: inputs.string('smoke-expect-body'),
    followRedirects: true,
    insecure: false,
    timeoutMs: inputs.duration('smoke-timeout', { default: '1m', min: 1 }),
    requestTimeoutMs: 10_000,
    retryIntervalMs: 500,
    concurrency: 10,
    loadConnections: 1,
    loadMaxRequests: 1,
    watchIntervalMs: 30_000,
    failureLimit: 1,
    dryRun
  })
}
