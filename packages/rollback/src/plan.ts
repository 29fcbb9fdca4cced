import { describeStep, type Plan, type PlanStep } from '@slipway/strategies'

/** How traffic gets back to the target: a warm slot, a redeploy of its artifact, or not at all. */
export type RollbackMode = 'route-back' | 'redeploy' | 'none'

/**
 * A step only rollback takes, around the deploy plan's own steps. Listed in the order the
 * rollback runs them; each carries the data it acts on, so a dry run shows what a real run does.
 */
export type RollbackOwnStep =
  /** Back up the live data (verified, so the rollback can itself be undone), then restore `backupId`. */
  | { kind: 'restore-data'; backupId: string; source: string }
  /** A bad deployment's rehearsed down-command, before traffic moves back. */
  | { kind: 'down-migration'; deploymentId: number; version: string; command: string }
  /** The target already serves: nothing to move (a deploy that failed closed). */
  | { kind: 'already-live'; version: string }
  /** The rollback's Deployment, once traffic is back. */
  | { kind: 'record'; from: string; to: string; mode: RollbackMode }
  /** The smoke checks, against the version now live; a failure fails the rollback. */
  | { kind: 'smoke'; checks: number }
  /** The bad deployments: failure + inactive, then the rollback's Deployment success. */
  | { kind: 'mark-deployments'; deploymentIds: number[]; to: string }
  /** Annotate the bad version's release (the first of `tags` that has one). */
  | { kind: 'mark-release'; version: string; tags: string[]; prerelease: boolean }

/** One step of a rollback: the deploy plan's kinds (same data) or rollback's own. */
export type RollbackStep = PlanStep | RollbackOwnStep

/**
 * The rollback as data: the deploy plan's fields (slots, batches, failure path) with its steps
 * set among rollback's own. The dry run, the summary, the `plan` output and the executor all
 * read this one object.
 */
export interface RollbackPlan extends Omit<Plan, 'steps'> {
  mode: RollbackMode
  /** The version rolled back, and the one returned to. */
  from: string
  to: string
  steps: RollbackStep[]
}

const OWN_KINDS: ReadonlySet<string> = new Set<RollbackOwnStep['kind']>([
  'restore-data',
  'down-migration',
  'already-live',
  'record',
  'smoke',
  'mark-deployments',
  'mark-release'
])

/** A step the deploy executor runs (a provider or router call), not one of rollback's own. */
export function isDeployStep(step: RollbackStep): step is PlanStep {
  return !OWN_KINDS.has(step.kind)
}

/** What the mode is, from the deploy plan the provider made for the target. */
export function modeOf(plan: Plan): RollbackMode {
  if (plan.steps.length === 0) return 'none'
  return plan.steps.some(s => s.kind === 'prepare') ? 'redeploy' : 'route-back'
}

/** What a rollback does beyond the deploy plan, and where. */
export interface RollbackSteps {
  from: string
  to: string
  restore?: { backupId: string; source: string }
  /** The bad deployments' rehearsed down-commands, newest first. */
  down?: { deploymentId: number; version: string; command: string }[]
  deploymentIds: number[]
  smokeChecks?: number
  release?: { tags: string[]; prerelease: boolean }
}

/**
 * The rollback plan, in the order the rollback runs it: restore the data first (the old
 * version must find the data it knew), move traffic, record, verify, then mark what was bad.
 */
export function makeRollbackPlan(deploy: Plan, what: RollbackSteps): RollbackPlan {
  const mode = modeOf(deploy)
  const steps: RollbackStep[] = []
  if (what.restore) steps.push({ kind: 'restore-data', ...what.restore })
  for (const down of what.down ?? []) steps.push({ kind: 'down-migration', ...down })
  if (mode === 'none') steps.push({ kind: 'already-live', version: what.to })
  else steps.push(...deploy.steps)
  steps.push({ kind: 'record', from: what.from, to: what.to, mode })
  if (what.smokeChecks !== undefined) steps.push({ kind: 'smoke', checks: what.smokeChecks })
  steps.push({ kind: 'mark-deployments', deploymentIds: what.deploymentIds, to: what.to })
  if (what.release) steps.push({ kind: 'mark-release', version: what.from, ...what.release })
  return { ...deploy, mode, from: what.from, to: what.to, steps }
}

/** The deploy plan inside a rollback plan: what the deploy executor runs. */
export function deployPlanOf(plan: RollbackPlan): Plan {
  const { mode: _mode, from: _from, to: _to, steps, ...deploy } = plan
  return { ...deploy, steps: steps.filter(isDeployStep) }
}

/** One line per step, for the log and the summary. */
export function describeRollbackStep(step: RollbackStep): string {
  if (isDeployStep(step)) return describeStep(step)
  switch (step.kind) {
    case 'restore-data':
      return `back up ${step.source} now, verify it, then restore backup ${step.backupId}`
    case 'down-migration':
      return `run the rehearsed down-command of deployment #${step.deploymentId} (${step.version})`
    case 'already-live':
      return `${step.version} is already live: traffic stays`
    case 'record':
      return `record a rollback Deployment ${step.from} → ${step.to} (${step.mode})`
    case 'smoke':
      return `smoke test (${step.checks} check(s))`
    case 'mark-deployments':
      return `mark ${step.deploymentIds.map(id => `#${id}`).join(', ')} failure + inactive (rolled back to ${step.to})`
    case 'mark-release':
      return `annotate release ${step.tags.join(' or ')}${step.prerelease ? ' and mark it prerelease' : ''}`
    default: {
      const unknown: never = step
      throw new Error(`unknown rollback step ${JSON.stringify(unknown)}`)
    }
  }
}
