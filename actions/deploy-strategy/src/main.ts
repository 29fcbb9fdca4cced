import { readFileSync } from 'node:fs'
import type { ActionContext } from '@slipway/kit'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient, parseRepository } from '@slipway/github'
import {
  buildDeployConfig,
  renderSummary,
  runDeploy,
  type RecordOptions
} from '@slipway/strategies'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info,
  redactor
}: ActionContext): Promise<void> {
  const sshKey = inputs.string('ssh-private-key')
  secret(sshKey)
  const knownHostsText = inputs.string('known-hosts')
  const config = buildDeployConfig(
    {
      strategy: inputs.string('strategy', { required: true }),
      version: inputs.requiredString('version'),
      environment: inputs.string('environment', { default: 'production' })!,
      artifact: inputs.string('artifact'),
      provider: inputs.enumOf('provider', ['script', 'nginx'] as const, { default: 'script' })!,
      dryRun: inputs.bool('dry-run'),
      targets: inputs.list('targets'),
      switchTraffic: inputs.bool('switch', true),
      keepPreviousMs: inputs.duration('keep-previous', { default: '30m' })!,
      steps: inputs.string('steps'),
      intervalMs: inputs.duration('interval', { default: '1m', min: 100 })!,
      measureEveryMs: inputs.duration('measure-every', { min: 100 }),
      failureLimit: inputs.int('failure-limit', { default: 0, min: 0 })!,
      consecutiveSuccesses: inputs.int('consecutive-successes', { default: 3, min: 1 })!,
      analysisUrl: inputs.string('analysis-url'),
      analysisRequests: inputs.int('analysis-requests', { default: 20, min: 1, max: 1000 })!,
      maxErrorRate: inputs.string('max-error-rate'),
      maxLatencyMs: inputs.duration('max-latency'),
      prometheusUrl: inputs.string('prometheus-url'),
      prometheusQuery: inputs.string('prometheus-query'),
      prometheusMin: inputs.string('prometheus-min'),
      prometheusMax: inputs.string('prometheus-max'),
      batchSize: inputs.string('batch-size', { default: '1' })!,
      maxUnavailable: inputs.string('max-unavailable'),
      healthUrl: inputs.string('health-url'),
      healthCommand: inputs.string('health-command'),
      healthPath: inputs.string('health-path', { default: '/health' })!,
      healthTimeoutMs: inputs.duration('health-timeout', { default: '60s', min: 100 })!,
      healthIntervalMs: inputs.duration('health-interval', { default: '1s', min: 10 })!,
      drainDelayMs: inputs.duration('drain-delay', { default: '2s' })!,
      hookTimeoutMs: inputs.duration('hook-timeout', { default: '5m', min: 100 })!,
      migrateCommand: inputs.string('migrate-command'),
      prepareCommand: inputs.string('prepare-command'),
      routeCommand: inputs.string('route-command'),
      retireCommand: inputs.string('retire-command'),
      currentCommand: inputs.string('current-command'),
      upstreamFile: inputs.string('nginx-upstream-file'),
      upstreamName: inputs.string('nginx-upstream-name', { default: 'slipway' })!,
      nginxTestCommand: inputs.string('nginx-test-command', { default: 'nginx -t -q' })!,
      nginxReloadCommand: inputs.string('nginx-reload-command', { default: 'nginx -s reload' })!,
      nginxPidFile: inputs.string('nginx-pid-file', { default: '/run/nginx.pid' }),
      routerHost: inputs.string('router-host', { default: 'local' }),
      releaseDir: inputs.string('release-dir', { default: '/srv/slipway/releases' })!,
      startCommand: inputs.string('start-command'),
      stopCommand: inputs.string('stop-command'),
      knownHosts: knownHostsText?.startsWith('/')
        ? readFileSync(knownHostsText, 'utf8')
        : knownHostsText,
      sshPrivateKey: sshKey,
      recordDeployment: inputs.bool('record-deployment', true),
      router: inputs.enumOf('router', ['provider', 'haproxy'] as const, { default: 'provider' })!,
      haproxySocket: inputs.string('haproxy-socket', { default: '/run/haproxy/admin.sock' }),
      haproxyBackend: inputs.string('haproxy-backend', { default: 'slipway' }),
      haproxyConfig: inputs.string('haproxy-config', { default: '/etc/haproxy/haproxy.cfg' }),
      haproxyBackendFile: inputs.string('haproxy-backend-file'),
      haproxyStateFile: inputs.string('haproxy-state-file'),
      haproxyServerOptions: inputs.string('haproxy-server-options'),
      haproxyDrainTimeoutMs: inputs.duration('haproxy-drain-timeout', { default: '30s', min: 0 }),
      haproxyRelay: inputs.enumOf('haproxy-relay', ['perl', 'socat'] as const, { default: 'perl' })
    },
    redactor
  )
  const environment = config.environment
  const deploymentId = inputs.int('deployment-id', { min: 1 })
  const backupId = inputs.string('backup-id')
  const environmentUrl = inputs.url('environment-url')?.toString()
  config.environmentUrl = environmentUrl
  const production = inputs.string('production-environment')
  const transient = inputs.bool('transient-environment')
  const token = inputs.string('github-token') ?? process.env.GITHUB_TOKEN
  secret(token)
  let record: RecordOptions | undefined
  if (inputs.bool('record-deployment', true) && !config.dryRun) {
    const repo = parseRepository(process.env.GITHUB_REPOSITORY)
    if (!token || !repo)
      throw new Error(
        'record-deployment needs github-token and GITHUB_REPOSITORY (set record-deployment: false to skip)'
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
  if (outcome.result.status === 'failure')
    throw new Error(outcome.result.error ?? 'deployment failed')
}
