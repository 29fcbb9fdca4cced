import { hookEnvironment, Redactor, systemClock, type Clock, type Progress } from '@slipway/kit'
import { runChecks, type CheckResult } from '@slipway/probes'
import { toCheck, type Runtime } from './checks.js'
import type { CheckDefinition } from './definitions.js'
import type { CommitChecks, DeploymentActivity } from './ports.js'
import { STATUS_ICON, type PreflightReport, type ReportEntry } from './preflight-report.js'
import { headline, reportWarnings } from './report.js'
import type { PreflightSettings } from './settings.js'

export interface PreflightPorts {
  /** One line per finished check, the warnings and the headline. */
  progress: Progress
  clock?: Clock
  /** The step's variables: what env checks look for and command checks inherit. */
  variables: NodeJS.ProcessEnv
  /** Masks a value wherever the front end prints: variables with secret-looking names. */
  mask?: (value: string | undefined) => void
  /** Holds the masked values: command output and the report are redacted with it. */
  redactor?: Redactor
  /** For github-checks. */
  commitChecks?: CommitChecks
  /** For deployment-lock. */
  deploymentActivity?: DeploymentActivity
}

/** Variables whose names look secret have their values masked, in case a command prints them. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|PASS$|_KEY$|^KEY$|PRIVATE|CREDENTIAL|AUTH/i

/**
 * Runs every check in parallel — or, in a dry run, only lists them — and returns the report,
 * redacted with the ports' redactor (check names and messages are the user's text and may hold
 * a secret). The settings were validated by parsePreflightSettings; nothing here is a user error.
 */
export async function runPreflight(
  settings: PreflightSettings,
  ports: PreflightPorts
): Promise<PreflightReport> {
  const clock = ports.clock ?? systemClock
  const now = (): number => clock.now()
  const started = now()
  for (const warning of settings.warnings ?? []) ports.progress.warning(warning)
  const definitions = settings.checks.map(definition => withStepVariables(definition, ports))
  const runtime: Runtime = {
    env: ports.variables,
    redactor: ports.redactor,
    currentRunId: settings.currentRunId,
    now,
    commitChecks: ports.commitChecks,
    deploymentActivity: ports.deploymentActivity
  }
  let entries: ReportEntry[]
  if (settings.dryRun) {
    entries = definitions.map(definition => plannedEntry(definition))
  } else {
    const checks = definitions.map(definition => toCheck(definition, runtime))
    const results = await runChecks(checks, {
      concurrency: settings.maxParallel,
      onResult: result =>
        ports.progress.info(
          `${STATUS_ICON[result.status]} ${result.name}: ${result.message} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}, ${result.durationMs}ms)`
        )
    })
    entries = results.map((result, index) => resultEntry(definitions[index], result))
  }
  const report = (ports.redactor ?? new Redactor()).redactValue(
    reportOf(settings, started, now() - started, entries)
  )
  for (const line of reportWarnings(report)) ports.progress.warning(line)
  ports.progress.info(headline(report).replace(/\*\*/g, ''))
  return report
}

/**
 * A command check is the user's script: it sees the job's variables (what the workflow set
 * with `env:`) and its own `env`, never our inputs or the runner's tokens. An env check's
 * variables with secret-looking names are masked, in case a command prints them.
 */
function withStepVariables(definition: CheckDefinition, ports: PreflightPorts): CheckDefinition {
  if (definition.type === 'command') {
    return {
      ...definition,
      spec: { ...definition.spec, env: hookEnvironment(definition.spec.env, ports.variables) }
    }
  }
  if (definition.type === 'env') {
    for (const name of definition.spec.names)
      if (SECRET_NAME.test(name)) ports.mask?.(ports.variables[name])
  }
  return definition
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

function reportOf(
  settings: PreflightSettings,
  started: number,
  durationMs: number,
  checks: ReportEntry[]
): PreflightReport {
  const count = (status: ReportEntry['status']): number =>
    checks.filter(check => check.status === status).length
  const failed = count('failed')
  return {
    passed: failed === 0,
    dryRun: settings.dryRun,
    failOn: settings.failOn,
    startedAt: new Date(started).toISOString(),
    durationMs,
    counts: {
      total: checks.length,
      passed: count('passed'),
      failed,
      warnings: count('warning')
    },
    checks
  }
}
