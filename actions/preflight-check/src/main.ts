import type { ActionContext } from '@slipway/kit'
import {
  failureMessage,
  headline,
  preflight,
  reportOutputs,
  reportWarnings,
  writeSummary
} from '@slipway/preflight'

export async function main({
  inputs,
  redactor,
  secret,
  setOutput,
  summary,
  info,
  warning
}: ActionContext): Promise<void> {
  const report = await preflight({
    inputs: {
      checks: inputs.yaml('checks'),
      httpUrl: inputs.string('http-url'),
      expectStatus: inputs.string('expect-status'),
      tcp: inputs.list('tcp'),
      dns: inputs.list('dns'),
      tls: inputs.list('tls'),
      requiredVars: inputs.list('required-vars'),
      configFile: inputs.string('config-file'),
      configSchema: inputs.string('config-schema'),
      artifact: inputs.string('artifact'),
      artifactSha256: inputs.string('artifact-sha256'),
      diskPath: inputs.string('disk-path'),
      diskMinFree: inputs.string('disk-min-free'),
      memoryMinFree: inputs.string('memory-min-free'),
      command: inputs.string('command'),
      githubChecks: inputs.bool('github-checks'),
      requiredChecks: inputs.list('required-checks'),
      freezeWindows: inputs.yaml('freeze-windows'),
      deploymentLock: inputs.bool('deployment-lock'),
      defaults: {
        timeoutMs: inputs.duration('timeout', { default: '10s', min: 1 })!,
        retries: inputs.int('retries', { default: 0, min: 0, max: 20 })!,
        retryDelayMs: inputs.duration('retry-delay', { default: '2s' })!,
        tlsMinDays: inputs.int('tls-min-days', { default: 14, min: 0 })!,
        timezone: inputs.string('timezone', { default: 'UTC' })!,
        ref: inputs.string('ref') ?? process.env.GITHUB_SHA,
        environment: inputs.string('environment')
      }
    },
    failOn: inputs.enumOf('fail-on', ['error', 'never'] as const, { default: 'error' })!,
    dryRun: inputs.bool('dry-run'),
    maxParallel: inputs.int('max-parallel', { default: 16, min: 1, max: 256 })!,
    token: inputs.string('token'),
    repository: inputs.string('repository'),
    apiUrl: process.env.GITHUB_API_URL,
    env: process.env,
    redactor,
    secret,
    log: info
  })
  for (const line of reportWarnings(report)) warning(line)
  for (const [name, value] of Object.entries(reportOutputs(report, redactor)))
    setOutput(name, value)
  writeSummary(report, summary)
  info(headline(report).replace(/\*\*/g, ''))
  const failure = failureMessage(report)
  if (failure) throw new Error(failure)
}
