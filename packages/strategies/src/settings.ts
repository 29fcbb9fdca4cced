import { UserError, type Inputs, type RunnerEnv } from '@slipway/kit'
import { parseMonitoringSettings, parsePushSettings, type AlertSettings } from '@slipway/monitoring'
import { parseRepository, type RepoRef } from '@slipway/github'
import { FORMATS, type NotifyFormat } from '@slipway/notify'
import { buildDeployConfig } from './config.js'
import type { DeployInputs } from './deploy-inputs.js'
import { parseProviderSettings } from './provider-settings.js'
import { parseRehearsalSettings, type RehearsalSettings } from './rehearsal-settings.js'
import { inWorkspace } from './runner-env.js'

/** Where the Deployment is recorded on GitHub: the front end builds the records port from it. */
export interface DeploymentsAccess {
  token: string
  repository: RepoRef
}

/** How the Deployment is recorded, when it is (record-deployment and not a dry run). */
export interface RecordSettings {
  /** Adopt this deployment (GitHub created it for an environment with protection rules). */
  deploymentId?: number
  backupId?: string
  productionEnvironment: boolean
  transientEnvironment: boolean
  /** The commit to record against when `version` is not a ref (the runner's sha). */
  fallbackRef?: string
  github: DeploymentsAccess
}

export interface DeploySettings {
  /** Every deploy input, validated: buildDeployConfig accepted them. */
  deploy: DeployInputs
  environmentUrl?: string
  record?: RecordSettings
  webhook: { url: string | undefined; format: NotifyFormat }
  /** `owner/name`, for notifications. */
  repository?: string
  /** The migration rehearsed on a copy of production data before anything changes. */
  rehearsal?: RehearsalSettings
  /** Silences for the deploy window, and where the deploy's event is pushed as metrics. */
  monitoring: { alerts?: AlertSettings; pushgatewayUrl?: string }
  /** The token, the webhook URL, the SSH key, the registry password, every secret-env value. */
  readonly secrets: string[]
}

/** What the front end offers when an input is empty. */
export interface DeployFallbacks {
  /** The action: GITHUB_TOKEN of the step's environment. */
  token?: string
}

/**
 * Reads and validates every deploy-strategy input; the only place their user errors come
 * from. Changes nothing: bad input never touches a host, a router or GitHub.
 */
export function parseDeploySettings(
  inputs: Inputs,
  runnerEnv: RunnerEnv,
  fallbacks: DeployFallbacks = {}
): DeploySettings {
  const deploy = {
    strategy: inputs.string('strategy', { required: true }),
    version: inputs.requiredString('version'),
    environment: inputs.string('environment', { default: 'production' }),
    artifact: workspacePath(inputs.string('artifact'), runnerEnv.workspace),
    dryRun: inputs.bool('dry-run'),
    switchTraffic: inputs.bool('switch', true),
    steps: inputs.string('steps'),
    intervalMs: inputs.duration('interval', { default: '1m', min: 100 }),
    measureEveryMs: inputs.duration('measure-every', { min: 100 }),
    failureLimit: inputs.int('failure-limit', { default: 0, min: 0 }),
    consecutiveSuccesses: inputs.int('consecutive-successes', { default: 3, min: 1 }),
    analysisUrl: inputs.string('analysis-url'),
    analysisRequests: inputs.int('analysis-requests', { default: 20, min: 1, max: 1000 }),
    maxErrorRate: inputs.string('max-error-rate'),
    maxLatencyMs: inputs.duration('max-latency'),
    prometheusUrl: inputs.string('prometheus-url'),
    prometheusQuery: inputs.string('prometheus-query'),
    prometheusMin: inputs.string('prometheus-min'),
    prometheusMax: inputs.string('prometheus-max'),
    migrateCommand: inputs.string('migrate-command'),
    recordDeployment: inputs.bool('record-deployment', true)
  }
  const provider = parseProviderSettings(inputs, runnerEnv)
  const alerting = parseMonitoringSettings(inputs, runnerEnv)
  const push = parsePushSettings(inputs)
  const deployInputs: DeployInputs = { ...deploy, ...provider.inputs, alerts: alerting.alerts }
  // Validation only: the stage builds its own provider, with the front end's redactor.
  buildDeployConfig(deployInputs)
  const rehearsalSecrets: string[] = []
  const rehearsal = parseRehearsalSettings(inputs, deploy.migrateCommand, rehearsalSecrets)
  const deploymentId = inputs.int('deployment-id', { min: 1 })
  const backupId = inputs.string('backup-id')
  const environmentUrl = inputs.url('environment-url')?.toString()
  const production = inputs.string('production-environment')
  const transient = inputs.bool('transient-environment')
  const webhookUrl = inputs.string('webhook-url')
  const webhookFormat = inputs.enumOf('webhook-format', FORMATS, { default: 'slack' })
  const token = inputs.string('github-token') ?? fallbacks.token
  let record: RecordSettings | undefined
  if (deploy.recordDeployment && !deploy.dryRun) {
    const repository = parseRepository(runnerEnv.repository)
    if (!token || !repository)
      throw new UserError(
        'record-deployment needs github-token and GITHUB_REPOSITORY (set record-deployment: false to skip)',
        'run the step on GitHub Actions with a github-token that has deployments: write, or set record-deployment: false'
      )
    record = {
      deploymentId,
      backupId,
      productionEnvironment:
        production === undefined
          ? /^(production|prod)$/i.test(deploy.environment)
          : production === 'true',
      transientEnvironment: transient,
      fallbackRef: runnerEnv.sha,
      github: { token, repository }
    }
  }
  return {
    deploy: deployInputs,
    environmentUrl,
    record,
    webhook: { url: webhookUrl, format: webhookFormat },
    repository: runnerEnv.repository,
    rehearsal,
    monitoring: { alerts: alerting.alerts, pushgatewayUrl: push.pushgatewayUrl },
    secrets: [
      ...provider.secrets,
      ...alerting.secrets,
      ...push.secrets,
      ...rehearsalSecrets,
      token,
      webhookUrl
    ].filter((s): s is string => Boolean(s))
  }
}

/** A relative `artifact` names a file in the checkout (`inWorkspace`). */
function workspacePath(path: string | undefined, workspace: string): string | undefined {
  return path === undefined ? undefined : inWorkspace(path, workspace)
}
