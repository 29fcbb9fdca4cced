import { createGitHubClient, parseRepository } from '@slipway/github'
import { hookEnvironment, InputError, urlCredentials, type Redactor } from '@slipway/kit'
import { runChecks, type CheckResult, type CheckStatus, type Severity } from '@slipway/probes'
import { toCheck, type Runtime } from './checks.js'
import type { CheckDefinition } from './definitions.js'
import { parseChecks, type PreflightInputs } from './inputs.js'

export type FailOn = 'error' | 'never'

export interface PreflightOptions {
  inputs: PreflightInputs
  failOn: FailOn
  dryRun: boolean
  /** How many checks run at once. */
  maxParallel: number
  /** For github-checks and deployment-lock. */
  token?: string
  /** `owner/name`; GITHUB_REPOSITORY by default. */
  repository?: string
  /** GITHUB_API_URL by default. */
  apiUrl?: string
  env: NodeJS.ProcessEnv
  /** Removes secrets from command output. */
  redactor?: Redactor
  /** Registers a secret for masking (the runner's and ours). */
  secret?: (value: string | undefined) => void
  /** One line per finished check, for the log. */
  log?: (line: string) => void
  now?: () => number
}

export interface ReportEntry {
  name: string
  type: string
  severity: Severity
  source: string
  target: string
  /** `planned` only in a dry run. */
  status: CheckStatus | 'planned'
  message: string
  attempts: number
  durationMs: number
  timeoutMs: number
  retries: number
  details?: Record<string, unknown>
}

export interface PreflightReport {
  /** No check of severity error failed (a dry run passes: nothing ran). */
  passed: boolean
  dryRun: boolean
  failOn: FailOn
  startedAt: string
  durationMs: number
  counts: { total: number; passed: number; failed: number; warnings: number }
  checks: ReportEntry[]
}

/** Variables whose names look secret have their values masked, in case a command prints them. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|PASS$|_KEY$|^KEY$|PRIVATE|CREDENTIAL|AUTH/i

/**
 * Validates every check (InputError before anything runs), then runs them all in parallel —
 * or, in a dry run, only lists them — and returns the report.
 */
export async function preflight(options: PreflightOptions): Promise<PreflightReport> {
  const started = (options.now ?? Date.now)()
  const definitions = parseChecks(options.inputs)
  for (const definition of definitions) {
    if (definition.type === 'http') {
      for (const secret of urlCredentials(definition.spec.url)) options.secret?.(secret)
    }
    if (definition.type === 'command') {
      // A command check is the user's script: it sees the job's variables (what the workflow
      // set with `env:`) and its own `env`, never our inputs or the runner's tokens.
      definition.spec.env = hookEnvironment(definition.spec.env, options.env)
    }
    if (definition.type !== 'env') continue
    for (const name of definition.spec.names)
      if (SECRET_NAME.test(name)) options.secret?.(options.env[name])
  }
  const runtime: Runtime = {
    env: options.env,
    redactor: options.redactor,
    currentRunId: runId(options.env.GITHUB_RUN_ID),
    now: options.now,
    github: needsGitHub(definitions) ? github(options) : undefined
  }
  if (options.dryRun) {
    return report(
      options,
      started,
      definitions,
      definitions.map(definition => plannedEntry(definition))
    )
  }
  const checks = definitions.map(definition => toCheck(definition, runtime))
  const results = await runChecks(checks, {
    concurrency: options.maxParallel,
    onResult: result =>
      options.log?.(
        `${STATUS_ICON[result.status]} ${result.name}: ${result.message} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}, ${result.durationMs}ms)`
      )
  })
  return report(
    options,
    started,
    definitions,
    results.map((result, index) => resultEntry(definitions[index], result))
  )
}

export const STATUS_ICON: Record<ReportEntry['status'], string> = {
  passed: '✅',
  failed: '❌',
  warning: '⚠️',
  planned: '📋'
}

function needsGitHub(definitions: CheckDefinition[]): boolean {
  return definitions.some(
    definition => definition.type === 'github-checks' || definition.type === 'deployment-lock'
  )
}

function github(options: PreflightOptions): Runtime['github'] {
  const repositoryText = options.repository ?? options.env.GITHUB_REPOSITORY
  const repo = parseRepository(repositoryText)
  if (!repo)
    throw new InputError('repository', 'owner/name (GITHUB_REPOSITORY by default)', repositoryText)
  if (!options.token) {
    throw new InputError(
      'token',
      'a GitHub token with checks:read, statuses:read, deployments:read and actions:read (github.token works)',
      undefined
    )
  }
  options.secret?.(options.token)
  return { client: createGitHubClient({ token: options.token, baseUrl: options.apiUrl }), repo }
}

function runId(text: string | undefined): number | undefined {
  return text && /^\d+$/.test(text) ? Number(text) : undefined
}

function plannedEntry(definition: CheckDefinition): ReportEntry {
  return {
    ...common(definition),
    status: 'planned',
    message: `would check ${definition.target}`,
    attempts: 0,
    durationMs: 0
  }
}

function resultEntry(definition: CheckDefinition, result: CheckResult): ReportEntry {
  return {
    ...common(definition),
    status: result.status,
    message: result.message,
    attempts: result.attempts,
    durationMs: result.durationMs,
    details: result.details
  }
}

function common(
  definition: CheckDefinition
): Pick<ReportEntry, 'name' | 'type' | 'severity' | 'source' | 'target' | 'timeoutMs' | 'retries'> {
  const { name, type, severity, source, target, timeoutMs, retries } = definition
  return { name, type, severity, source, target, timeoutMs, retries }
}

function report(
  options: PreflightOptions,
  started: number,
  definitions: CheckDefinition[],
  checks: ReportEntry[]
): PreflightReport {
  const count = (status: ReportEntry['status']): number =>
    checks.filter(check => check.status === status).length
  const failed = count('failed')
  return {
    passed: failed === 0,
    dryRun: options.dryRun,
    failOn: options.failOn,
    startedAt: new Date(started).toISOString(),
    durationMs: (options.now ?? Date.now)() - started,
    counts: {
      total: definitions.length,
      passed: count('passed'),
      failed,
      warnings: count('warning')
    },
    checks
  }
}
