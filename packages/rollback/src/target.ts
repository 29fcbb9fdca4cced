import { InputError, UserError } from '@slipway/kit'
import type { DeploymentRecord } from '@slipway/deployments'

/** What a rollback replaces and what it returns to, chosen from the environment's history. */
export interface RollbackChoice {
  /** The deployment being rolled back (the bad one). */
  from: DeploymentRecord
  /** The deployment whose version, artifact and slot we return to. */
  target: DeploymentRecord
  /** Every deployment to mark as rolled back: `from`, and older records of the same bad version. */
  bad: DeploymentRecord[]
}

export function versionOf(deployment: DeploymentRecord): string {
  return typeof deployment.payload.version === 'string' && deployment.payload.version
    ? deployment.payload.version
    : deployment.ref
}

/** Our own mark on a deployment a rollback replaced (status descriptions are all we may change). */
export const ROLLED_BACK_MARK = /\brolled back\b/i

/** Deployments already rolled back: named by a rollback's `rollback_of`, or carrying our status mark. */
export function rolledBackIds(history: DeploymentRecord[]): Set<number> {
  const ids = new Set<number>()
  for (const deployment of history) {
    if (typeof deployment.payload.rollback_of === 'number') ids.add(deployment.payload.rollback_of)
    if (deployment.payload.rolled_back === true && deployment.payload.rollback_of === undefined)
      ids.add(deployment.id)
    if (
      deployment.statuses.some(
        s =>
          (s.state === 'inactive' || s.state === 'failure') && ROLLED_BACK_MARK.test(s.description)
      )
    )
      ids.add(deployment.id)
  }
  return ids
}

/** Succeeded at some point: `auto_inactive` turns old successes `inactive`, so the latest state is not enough. */
export function everSucceeded(deployment: DeploymentRecord): boolean {
  return deployment.statuses.some(s => s.state === 'success')
}

/**
 * Picks the deployment to roll back from (`fromId`, or the newest of the environment) and
 * the one to return to: the explicit `version`, or the newest earlier deployment that once
 * succeeded, was not itself rolled back, and runs a different version than the bad one.
 * `history` is newest first. Errors name the input the user can change.
 */
export function chooseRollback(
  environment: string,
  history: DeploymentRecord[],
  options: { fromId?: number; version?: string } = {}
): RollbackChoice {
  if (history.length === 0)
    throw new UserError(
      `No deployments are recorded for environment ${environment}: nothing to roll back`,
      'check the environment name: it is the one the deploy job recorded its deployments under'
    )
  let fromIndex = 0
  if (options.fromId !== undefined) {
    fromIndex = history.findIndex(d => d.id === options.fromId)
    if (fromIndex < 0)
      throw new InputError(
        'deployment-id',
        `a deployment of environment ${environment} (recent: ${history
          .slice(0, 5)
          .map(d => `#${d.id} ${versionOf(d)}`)
          .join(', ')})`,
        String(options.fromId)
      )
  }
  const from = history[fromIndex]
  const fromVersion = versionOf(from)
  const rolledBack = rolledBackIds(history)
  const usable = (d: DeploymentRecord): boolean =>
    d.id !== from.id && everSucceeded(d) && !rolledBack.has(d.id) && versionOf(d) !== fromVersion

  let target: DeploymentRecord | undefined
  if (options.version !== undefined) {
    if (options.version === fromVersion)
      throw new InputError(
        'version',
        `a version other than the one being rolled back (${fromVersion})`,
        options.version
      )
    target = history.find(d => usable(d) && versionOf(d) === options.version)
    if (!target) {
      const known = [...new Set(history.filter(usable).map(versionOf))].slice(0, 8)
      throw new InputError(
        'version',
        `a version with a successful, not rolled back deployment in ${environment} (${known.join(', ') || 'none'})`,
        options.version
      )
    }
  } else {
    target = history.slice(fromIndex + 1).find(usable)
    if (!target)
      throw new UserError(
        `No earlier successful deployment of ${environment} to roll back to: looked at ${history.length - fromIndex - 1} deployment(s) before #${from.id} (${fromVersion})`,
        'name the version to go back to with the version input'
      )
  }
  // The bad version may also have an earlier record (a rollback deployment returned to it, or a
  // re-deploy): mark those too, so the next lookup never chooses the bad version again.
  const targetIndex = history.indexOf(target)
  const bad = history.filter(
    (d, index) =>
      d.id === from.id ||
      (index > fromIndex &&
        (targetIndex < 0 || index < targetIndex) &&
        versionOf(d) === fromVersion &&
        !rolledBack.has(d.id))
  )
  return { from, target, bad }
}

/**
 * The choice with `from` moved to the version that is live, when that is neither the chosen
 * `from` nor the target: the newest deployment failed and its deploy put traffic back on the
 * version before it, so the rollback replaces that version, not the one that never served. Its
 * records join the bad ones (marked, their backup and down-command the ones that apply). A
 * `from` the user named (`deployment-id`) is kept as named.
 */
export function fromWhatIsLive(
  choice: RollbackChoice,
  history: DeploymentRecord[],
  liveVersion: string | undefined
): RollbackChoice {
  const toVersion = versionOf(choice.target)
  if (!liveVersion || liveVersion === versionOf(choice.from) || liveVersion === toVersion)
    return choice
  const fromIndex = history.indexOf(choice.from)
  const targetIndex = history.indexOf(choice.target)
  const rolledBack = rolledBackIds(history)
  const between = (index: number): boolean =>
    index > fromIndex && (targetIndex < 0 || index < targetIndex)
  const liveIndex = history.findIndex(
    (d, index) =>
      between(index) && versionOf(d) === liveVersion && everSucceeded(d) && !rolledBack.has(d.id)
  )
  if (liveIndex < 0) return choice
  const liveRecords = history.filter(
    (d, index) =>
      index >= liveIndex && between(index) && versionOf(d) === liveVersion && !rolledBack.has(d.id)
  )
  return {
    from: history[liveIndex],
    target: choice.target,
    bad: [...choice.bad, ...liveRecords.filter(d => !choice.bad.includes(d))]
  }
}
