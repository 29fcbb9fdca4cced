import type { DeploymentRecord } from './records.js'

/**
 * The last good deployment of a history (newest first): the first one older than `before` whose
 * statuses contain `success` (not only its latest one: `auto_inactive` turns old successes
 * inactive) and that was not rolled back — no `rolled_back` in its payload, no later
 * deployment's `rollback_of` naming it, no status saying "rolled back".
 */
export function lastGoodOf(
  history: DeploymentRecord[],
  options: { before?: number } = {}
): DeploymentRecord | undefined {
  const rolledBack = new Set(
    history.map(d => d.payload.rollback_of).filter((id): id is number => typeof id === 'number')
  )
  return history.find(
    d =>
      (options.before === undefined || d.id < options.before) &&
      d.statuses.some(s => s.state === 'success') &&
      !d.payload.rolled_back &&
      !rolledBack.has(d.id) &&
      !d.statuses.some(s => /rolled back/i.test(s.description))
  )
}
