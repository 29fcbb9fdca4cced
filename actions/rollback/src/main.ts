import { InputError, Inputs, UserError, type ActionContext } from '@slipway/kit'
import { layeredInputs } from '@slipway/config'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient, parseRepository } from '@slipway/github'
import { dirStore } from '@slipway/backup'
import { planSmoke } from '@slipway/smoke'
import { buildDeployConfig, isContainerProvider } from '@slipway/strategies'
import {
  readConfigFile,
  renderRollbackSummary,
  rollback,
  rollbackSource,
  type DataRestore
} from '@slipway/rollback'
import { FORMATS, notifyWebhook } from '@slipway/notify'
import { readProviderInputs, withRecordedImage } from './provider-inputs.js'

export async function main(ctx: ActionContext): Promise<void> {
  const { secret, setOutput, summary, info, redactor } = ctx
  // A config file (per-environment sections) fills what the step's inputs leave unset.
  const configFile = ctx.inputs.string('config-file')
  const environment = ctx.inputs.string('environment', { default: 'production' })
  const inputs = configFile
    ? new Inputs(
        layeredInputs(
          name => ctx.inputs.raw(name),
          rollbackSource(readConfigFile(configFile), environment)
        )
      )
    : ctx.inputs
  const version = inputs.string('version')
  const fromDeploymentId = inputs.int('deployment-id', { min: 1 })
  const reason = inputs.string('reason')
  const dryRun = inputs.bool('dry-run')
  const provider = readProviderInputs(inputs, secret)
  const environmentUrl = inputs.url('environment-url')?.toString()
  const production = inputs.bool('production-environment', /^(production|prod)$/i.test(environment))

  let restore: DataRestore | undefined
  if (inputs.bool('restore-data')) {
    const url = inputs.string('database-url')
    if (!url)
      throw new InputError('database-url', 'the database to restore (restore-data is true)', url)
    const path = inputs.string('backup-path')
    if (!path) throw new InputError('backup-path', 'the backup store directory', path)
    const identity = inputs.string('age-identity')
    secret(identity)
    restore = {
      store: dirStore(path, { warn: ctx.warning }),
      source: { engine: inputs.string('engine'), url, input: 'database-url' },
      name: inputs.string('backup-name'),
      identities: identity ? [identity] : [],
      timeoutMs: inputs.duration('backup-timeout', { default: '30m', min: 1000 }),
      describe: `${redactor.redact(url)} → ${path}`
    }
  }

  const smokeUrl = inputs.string('smoke-url')
  const smokeChecks = inputs.yaml('smoke-checks')
  const smoke =
    smokeUrl || smokeChecks
      ? planSmoke({
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
      : undefined

  const token = inputs.string('github-token') ?? process.env.GITHUB_TOKEN
  secret(token)
  const repo = parseRepository(process.env.GITHUB_REPOSITORY)
  if (!token) throw new InputError('github-token', 'a token with deployments: write', token)
  if (!repo)
    throw new UserError(
      'GITHUB_REPOSITORY (owner/name) is not set',
      'run the step on GitHub Actions, or set GITHUB_REPOSITORY to owner/name'
    )
  const client = createGitHubClient({ token, log: info })
  const ledger = new DeploymentLedger(client, repo, {
    runId: process.env.GITHUB_RUN_ID,
    runAttempt: process.env.GITHUB_RUN_ATTEMPT,
    serverUrl: process.env.GITHUB_SERVER_URL,
    repository: process.env.GITHUB_REPOSITORY
  })
  const markRelease = inputs.bool('mark-release', true)
  const webhookUrl = inputs.string('webhook-url')
  secret(webhookUrl)
  const webhookFormat = inputs.enumOf('webhook-format', FORMATS, { default: 'slack' })

  const result = await rollback({
    environment,
    version,
    fromDeploymentId,
    reason,
    dryRun,
    ledger,
    github: { client, repo },
    recordLedger: new DeploymentLedger(client, repo, {
      serverUrl: process.env.GITHUB_SERVER_URL,
      repository: process.env.GITHUB_REPOSITORY
    }),
    deployConfig: ({ image, ...request }) =>
      buildDeployConfig(
        {
          ...withRecordedImage(
            provider,
            isContainerProvider(provider.provider) ? image : undefined
          ),
          ...request,
          environment,
          dryRun,
          steps: undefined
        },
        redactor
      ),
    restore,
    smoke,
    release: markRelease
      ? {
          client,
          repo,
          markPrerelease: inputs.bool('release-prerelease', true),
          // unset: the package's default, tag-and-release's `v`
          tagPrefix: inputs.string('tag-prefix')
        }
      : undefined,
    environmentUrl,
    productionEnvironment: production,
    fallbackRef: process.env.GITHUB_SHA,
    runId: process.env.GITHUB_RUN_ID,
    log: info
  })
  setOutput('rolled-back-to', result.to)
  setOutput('rolled-back-from', result.from)
  setOutput('duration', Math.round(result.durationMs / 100) / 10)
  setOutput('deployment-id', result.deployment?.id ?? '')
  setOutput('mode', result.mode)
  setOutput('status', result.status)
  setOutput('plan', result.steps)
  renderRollbackSummary(summary, environment, result, { logUrl: ledger.logUrl })
  if (!dryRun)
    await notifyWebhook(
      { url: webhookUrl, format: webhookFormat, secret, warning: ctx.warning, info },
      {
        event: result.status === 'failure' ? 'rollback-failure' : 'rollback-success',
        environment,
        version: result.to,
        previousVersion: result.from,
        repository: process.env.GITHUB_REPOSITORY,
        runUrl: ledger.logUrl,
        environmentUrl,
        durationMs: result.durationMs,
        detail: result.error ?? reason
      }
    )
  if (result.status === 'failure') throw new Error(result.error ?? 'rollback failed')
}
