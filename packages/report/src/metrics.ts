import type { DeploymentRecord, StatusRecord } from '@slipway/deployments'

/** The SOP's quality targets; the report marks each figure against them. */
export interface Targets {
  /** Deployment success rate, percent (SOP: ≥ 99). */
  successRate: number
  /** Rollback success rate, percent (SOP: 100). */
  rollbackSuccessRate: number
  /** Deploy time, ms (SOP: ≤ 30 min); mean and p90 are both held to it. */
  deployTimeMs: number
  /** Mean time to restore, ms (SOP: ≤ 1 h). */
  mttrMs: number
}

export const DEFAULT_TARGETS: Targets = {
  successRate: 99,
  rollbackSuccessRate: 100,
  deployTimeMs: 30 * 60_000,
  mttrMs: 60 * 60_000
}

export type Verdict = 'pass' | 'fail' | 'n/a'

export interface Figure {
  name: string
  /** undefined when the history holds nothing to measure. */
  value?: number
  unit: '%' | 'ms' | 'per day' | 'per week' | 'count'
  target?: { comparison: '>=' | '<='; value: number }
  verdict: Verdict
  /** How it was counted, e.g. "97 of 98 completed deployments". */
  basis: string
}

export interface DeploymentFacts {
  id: number
  version: string
  rollback: boolean
  createdAtMs: number
  /** First in_progress status, else the deployment's creation. */
  startedAtMs: number
  /** The deploy's own result: its first success/failure/error status after the start. */
  outcome: 'success' | 'failure' | 'pending'
  finishedAtMs?: number
  durationMs?: number
  /** Went live, then needed remediation: rolled back, or failed after its success. */
  changeFailed: boolean
  /** When remediation became necessary (for MTTR): the rollback's start or the later failure. */
  failedAtMs?: number
}

export interface Quality {
  window: { sinceMs?: number; untilMs: number; days: number }
  deployments: number
  rollbacks: number
  figures: {
    successRate: Figure
    rollbackSuccessRate: Figure
    meanDeployTime: Figure
    p90DeployTime: Figure
    mttr: Figure
    changeFailureRate: Figure
    frequencyPerDay: Figure
    frequencyPerWeek: Figure
  }
  /** Incidents still open at the end of the window (no success since the failure). */
  openIncidents: number
  incidents: { startMs: number; restoredMs?: number; deployments: number[] }[]
  facts: DeploymentFacts[]
}

const TERMINAL = new Set(['success', 'failure', 'error'])
const ROLLED_BACK = /\brolled back\b/i
const DAY = 86_400_000

const ms = (text: string): number => Date.parse(text)

/** What one deployment's status history says, by the definitions documented in docs/cli.md. */
export function factsOf(
  deployment: DeploymentRecord,
  rolledBackBy?: DeploymentRecord
): DeploymentFacts {
  const statuses = [...deployment.statuses].sort(
    (a, b) => ms(a.createdAt) - ms(b.createdAt) || a.id - b.id
  )
  const createdAtMs = ms(deployment.createdAt)
  const firstProgress = statuses.find(s => s.state === 'in_progress')
  const startedAtMs = firstProgress ? ms(firstProgress.createdAt) : createdAtMs
  const terminal = statuses.find(s => TERMINAL.has(s.state) && ms(s.createdAt) >= startedAtMs) as
    StatusRecord | undefined
  const outcome: DeploymentFacts['outcome'] = !terminal
    ? 'pending'
    : terminal.state === 'success'
      ? 'success'
      : 'failure'
  const finishedAtMs = terminal ? ms(terminal.createdAt) : undefined
  const rollback = typeof deployment.payload.rollback_of === 'number'
  let changeFailed = false
  let failedAtMs: number | undefined
  if (outcome === 'success' && !rollback) {
    const laterFailure = statuses.find(
      s =>
        (s.state === 'failure' || s.state === 'error') &&
        ms(s.createdAt) >= (finishedAtMs as number) &&
        s.id !== terminal!.id
    )
    const marked =
      deployment.payload.rolled_back === true ||
      statuses.some(s => ROLLED_BACK.test(s.description) && s.state !== 'success')
    if (rolledBackBy || laterFailure || marked) {
      changeFailed = true
      const candidates = [
        rolledBackBy ? ms(rolledBackBy.createdAt) : undefined,
        laterFailure ? ms(laterFailure.createdAt) : undefined
      ].filter((t): t is number => t !== undefined)
      failedAtMs = candidates.length > 0 ? Math.min(...candidates) : finishedAtMs
    }
  }
  if (outcome === 'failure') failedAtMs = finishedAtMs
  return {
    id: deployment.id,
    version:
      typeof deployment.payload.version === 'string' && deployment.payload.version
        ? deployment.payload.version
        : deployment.ref,
    rollback,
    createdAtMs,
    startedAtMs,
    outcome,
    finishedAtMs,
    durationMs: finishedAtMs === undefined ? undefined : finishedAtMs - startedAtMs,
    changeFailed,
    failedAtMs
  }
}

/** p-th percentile by the nearest-rank method (p90 of 10 values is the 9th smallest). */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]
}

function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length
}

function judge(value: number | undefined, target?: Figure['target']): Verdict {
  if (value === undefined || !target) return 'n/a'
  return (target.comparison === '>=' ? value >= target.value : value <= target.value)
    ? 'pass'
    : 'fail'
}

function figure(
  name: string,
  value: number | undefined,
  unit: Figure['unit'],
  basis: string,
  target?: Figure['target']
): Figure {
  return { name, value, unit, target, verdict: judge(value, target), basis }
}

/**
 * The procedure's quality figures over a window of an environment's Deployment history.
 * Rollback deployments (payload.rollback_of) are counted apart from deployments.
 */
export function computeQuality(
  history: DeploymentRecord[],
  options: { sinceMs?: number; untilMs: number; targets?: Partial<Targets> }
): Quality {
  const targets = { ...DEFAULT_TARGETS, ...options.targets }
  const byId = new Map(history.map(d => [d.id, d]))
  const rollbackOf = new Map<number, DeploymentRecord>()
  for (const d of history) {
    const of = d.payload.rollback_of
    if (typeof of === 'number' && byId.has(of)) {
      const earlier = rollbackOf.get(of)
      if (!earlier || ms(d.createdAt) < ms(earlier.createdAt)) rollbackOf.set(of, d)
    }
  }
  const facts = history
    .map(d => factsOf(d, rollbackOf.get(d.id)))
    .sort((a, b) => a.createdAtMs - b.createdAtMs || a.id - b.id)
  const deploys = facts.filter(f => !f.rollback)
  const rollbacks = facts.filter(f => f.rollback)
  const completed = deploys.filter(f => f.outcome !== 'pending')
  const succeeded = completed.filter(f => f.outcome === 'success')
  const rollbacksDone = rollbacks.filter(f => f.outcome !== 'pending')
  const rollbacksOk = rollbacksDone.filter(f => f.outcome === 'success')
  const durations = completed.map(f => f.durationMs as number)
  const changeFailures = completed.filter(f => f.outcome === 'failure' || f.changeFailed)

  // MTTR: an incident opens at the first failure while none is open and closes at the next
  // success status of any deployment (a redeploy or a rollback) in the environment.
  const failures = facts
    .filter(f => f.failedAtMs !== undefined)
    .map(f => ({ at: f.failedAtMs as number, id: f.id }))
    .sort((a, b) => a.at - b.at)
  const successes = facts
    .filter(f => f.outcome === 'success')
    .map(f => ({ at: f.finishedAtMs as number, id: f.id }))
    .sort((a, b) => a.at - b.at || a.id - b.id)
  // GitHub's timestamps have whole seconds: a fast route-back succeeds in the second its
  // rollback started. A success in the failure's second restores it when it belongs to a later
  // deployment (ids grow with creation), never the failed deployment's own or an earlier one's.
  const restores = (success: { at: number; id: number }, failure: { at: number; id: number }) =>
    success.at > failure.at || (success.at === failure.at && success.id > failure.id)
  const incidents: Quality['incidents'] = []
  for (const failure of failures) {
    const open = incidents[incidents.length - 1]
    if (open && (open.restoredMs === undefined || failure.at < open.restoredMs)) {
      open.deployments.push(failure.id)
      continue
    }
    const restoredMs = successes.find(success => restores(success, failure))?.at
    incidents.push({ startMs: failure.at, restoredMs, deployments: [failure.id] })
  }
  const restored = incidents.filter(i => i.restoredMs !== undefined)
  const mttr = mean(restored.map(i => (i.restoredMs as number) - i.startMs))

  const firstMs = facts[0]?.createdAtMs
  const sinceMs = options.sinceMs ?? firstMs ?? options.untilMs
  const days = Math.max((options.untilMs - sinceMs) / DAY, 1 / 24)
  const pct = (part: number, whole: number): number | undefined =>
    whole === 0 ? undefined : (part / whole) * 100

  return {
    window: { sinceMs: options.sinceMs, untilMs: options.untilMs, days },
    deployments: deploys.length,
    rollbacks: rollbacks.length,
    figures: {
      successRate: figure(
        'Deployment success rate',
        pct(succeeded.length, completed.length),
        '%',
        `${succeeded.length} of ${completed.length} completed deployments`,
        { comparison: '>=', value: targets.successRate }
      ),
      rollbackSuccessRate: figure(
        'Rollback success rate',
        pct(rollbacksOk.length, rollbacksDone.length),
        '%',
        `${rollbacksOk.length} of ${rollbacksDone.length} completed rollbacks`,
        { comparison: '>=', value: targets.rollbackSuccessRate }
      ),
      meanDeployTime: figure(
        'Mean deploy time',
        mean(durations),
        'ms',
        `first in_progress → success/failure, ${durations.length} deployments`,
        { comparison: '<=', value: targets.deployTimeMs }
      ),
      p90DeployTime: figure(
        'p90 deploy time',
        percentile(durations, 90),
        'ms',
        `nearest rank, ${durations.length} deployments`,
        { comparison: '<=', value: targets.deployTimeMs }
      ),
      mttr: figure(
        'MTTR',
        mttr,
        'ms',
        `failure → next success, ${restored.length} incidents restored` +
          (incidents.length > restored.length
            ? `, ${incidents.length - restored.length} open`
            : ''),
        { comparison: '<=', value: targets.mttrMs }
      ),
      changeFailureRate: figure(
        'Change-failure rate',
        pct(changeFailures.length, completed.length),
        '%',
        `${changeFailures.length} of ${completed.length} failed or were rolled back`
      ),
      frequencyPerDay: figure(
        'Deployment frequency',
        deploys.length / days,
        'per day',
        `${deploys.length} deployments in ${round(days, 2)} days`
      ),
      frequencyPerWeek: figure(
        'Deployment frequency',
        (deploys.length / days) * 7,
        'per week',
        `${deploys.length} deployments in ${round(days / 7, 2)} weeks`
      )
    },
    openIncidents: incidents.length - restored.length,
    incidents,
    facts
  }
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
