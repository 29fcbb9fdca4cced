import { join } from 'node:path'
import { urlCredentials, type Inputs, type RunnerEnv } from '@slipway/kit'
import { parseMonitoringSettings } from '@slipway/monitoring'
import { planSmoke, type SmokeInputs, type SmokePlan } from './plan.js'

/** The smoke test's plan, every input validated, with where its JUnit report goes. */
export interface SmokeSettings extends SmokePlan {
  /** `junit-path`, or a file in the runner's temporary directory. */
  junitPath: string
  /** URL credentials and credential headers: masked before anything is sent or logged. */
  readonly secrets: string[]
}

/**
 * Reads and validates the smoke-test inputs; sends nothing. Every problem is an InputError
 * naming the input, so a typo fails the step before any request.
 */
export function parseSmokeSettings(inputs: Inputs, runnerEnv: RunnerEnv): SmokeSettings {
  const monitoring = parseMonitoringSettings(inputs, runnerEnv)
  const plan = planSmoke({ ...readSmokeInputs(inputs), alerts: monitoring.alerts })
  return {
    ...plan,
    junitPath: plan.junitPath ?? join(runnerEnv.runnerTemp, 'slipway-smoke-junit.xml'),
    secrets: [...new Set([...secretsOf(plan), ...monitoring.secrets])]
  }
}

/** Reads every input with its typed reader; validation of their combination is planSmoke's job. */
export function readSmokeInputs(inputs: Inputs): SmokeInputs {
  return {
    url: inputs.string('url'),
    baseUrl: inputs.string('base-url'),
    method: inputs.string('method'),
    body: inputs.string('body'),
    headers: inputs.yaml('headers'),
    expectStatus: inputs.string('expect-status'),
    expectBody: inputs.string('expect-body'),
    expectBodyRegex: inputs.string('expect-body-regex'),
    expectJson: inputs.yaml('expect-json'),
    maxLatencyMs: inputs.duration('max-latency', { min: 1 }),
    followRedirects: inputs.bool('follow-redirects', true),
    insecure: inputs.bool('insecure', false),
    caFile: inputs.string('ca-file'),
    checks: inputs.yaml('checks'),
    timeoutMs: inputs.duration('timeout', { default: '2m', min: 1 }),
    requestTimeoutMs: inputs.duration('request-timeout', { default: '10s', min: 1 }),
    retryIntervalMs: inputs.duration('retry-interval', { default: '1s', min: 1 }),
    concurrency: inputs.int('concurrency', { default: 10, min: 1, max: 256 }),
    loadDurationMs: inputs.duration('load-duration', { min: 100 }),
    loadUrl: inputs.string('load-url'),
    loadConnections: inputs.int('load-connections', { default: 10, min: 1, max: 1000 }),
    loadRate: inputs.int('load-rate', { min: 1 }),
    loadMaxRequests: inputs.int('load-max-requests', {
      default: 1_000_000,
      min: 1,
      max: 5_000_000
    }),
    loadMaxErrorRate: inputs.string('load-max-error-rate'),
    loadMaxP95Ms: inputs.duration('load-max-p95', { min: 1 }),
    loadMaxP99Ms: inputs.duration('load-max-p99', { min: 1 }),
    loadMinRps: inputs.string('load-min-rps'),
    baseline: inputs.string('baseline'),
    baselineTolerance: inputs.string('baseline-tolerance'),
    watchMs: inputs.duration('watch', { min: 1 }),
    watchIntervalMs: inputs.duration('watch-interval', { default: '30s', min: 100 }),
    prometheusUrl: inputs.string('prometheus-url'),
    queries: inputs.yaml('queries'),
    failureLimit: inputs.int('failure-limit', { default: 1, min: 1, max: 1000 }),
    junitPath: inputs.string('junit-path'),
    dryRun: inputs.bool('dry-run')
  }
}

/** Credentials in URLs and in request headers stay out of the log, the summary and the report. */
function secretsOf(plan: SmokePlan): string[] {
  const secrets: Array<string | undefined> = []
  for (const url of [
    ...plan.checks.map(c => c.spec.url),
    plan.load?.url,
    plan.watch?.queries[0]?.url
  ])
    secrets.push(...urlCredentials(url ?? ''))
  for (const check of plan.checks)
    for (const [name, value] of Object.entries(check.spec.headers ?? {}))
      if (/authorization|token|key|secret|cookie|password/i.test(name)) {
        secrets.push(value)
        // `Bearer <token>`: a server may echo the credential without its scheme.
        secrets.push(/^[A-Za-z]+\s+(\S+)$/.exec(value)?.[1])
      }
  return [...new Set(secrets.filter((s): s is string => !!s))]
}
