import { UserError, type ActionContext } from '@slipway/kit'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient, parseRepository } from '@slipway/github'
import {
  buildDeployConfig,
  renderSummary,
  runDeploy,
  type RecordOptions
} from '@slipway/strategies'
import { FORMATS, notifyWebhook } from '@slipway/notify'
import { readProviderInputs } from './provider-inputs.js'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info,
  warning,
  redactor
}: ActionContext): Promise<void> {
  const config = buildDeployConfig(
    {
      strategy: inputs.string('strategy', { required: true }),
      version: inputs.requiredString('version'),
      environment: inputs.string('environment', { default: 'production' }),
      artifact: inputs.string('artifact'),
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
      recordDeployment: inputs.bool('record-deployment', true),
      ...readProviderInputs(inputs, secret)
    },
    redactor
  )
  if (config.health.kind === 'none')
    warning(
      'health-check: none — the health gate is off: traffic moves to the new version without any probe reaching it'
    )
  const environment = config.environment
  const deploymentId = inputs.int('deployment-id', { min: 1 })
  const backupId = inputs.string('backup-id')
  const environmentUrl = inputs.url('environment-url')?.toString()
  config.environmentUrl = environmentUrl
  const production = inputs.string('production-environment')
  const transient = inputs.bool('transient-environment')
  const webhookUrl = inputs.string('webhook-url')
  secret(webhookUrl)
  const webhookFormat = inputs.enumOf('webhook-format', FORMATS, { default: 'slack' })
  const token = inputs.string('github-token') ?? process.env.GITHUB_TOKEN
  secret(token)
  let record: RecordOptions | undefined
  if (inputs.bool('record-deployment', true) && !config.dryRun) {
    const repo = parseRepository(process.env.GITHUB_REPOSITORY)
    if (!token || !repo)
      throw new UserError(
        'record-deployment needs github-token and GITHUB_REPOSITORY (set record-deployment: false to skip)',
        'run the step on GitHub Actions with a github-token that has deployments: write, or set record-deployment: false'
      )
    const ledger = new DeploymentLedger(createGitHubClient({ token, log: info }), repo, {
      runId: process.env.GITHUB_RUN_ID,
      runAttempt: process.env.GITHUB_RUN_ATTEMPT,
      serverUrl: process.env.GITHUB_SERVER_URL,
      repository: process.env.GITHUB_REPOSITORY
    })
    record = {
      ledger,
      deploymentId,
      backupId,
      environmentUrl,
      productionEnvironment:
        production === undefined ? /^(production|prod)$/i.test(environment) : production === 'true',
      transientEnvironment: transient,
      fallbackRef: process.env.GITHUB_SHA
    }
  }
  const outcome = await runDeploy(config, record, info)
  for (const [name, value] of Object.entries(outcome.outputs)) setOutput(name, value ?? '')
  renderSummary(summary, config, outcome, { logUrl: record?.ledger.logUrl })
  if (outcome.result.status === 'success' || outcome.result.status === 'failure')
    await notifyWebhook(
      { url: webhookUrl, format: webhookFormat, secret, warning, info },
      {
        event: outcome.result.status === 'success' ? 'deploy-success' : 'deploy-failure',
        environment,
        version: config.version,
        previousVersion: outcome.outputs['previous-version'] || undefined,
        strategy: config.strategy,
        repository: process.env.GITHUB_REPOSITORY,
        runUrl: record?.ledger.logUrl,
        environmentUrl,
        durationMs: outcome.result.durationMs,
        detail: outcome.result.error
      }
    )
  // The release failed a gate (health, analysis, a hook): the user's to fix, not a Slipway bug.
  if (outcome.result.status === 'failure')
    throw new UserError(
      outcome.result.error ?? 'deployment failed',
      'the summary shows which gate failed and what it measured; fix the release (or the gate settings) and deploy again'
    )
}
