import type { ApiObject, EmulatorState } from '../state.js'

/**
 * `Repository.object(expression:)` for the expressions Slipway asks about: a branch, a tag or a
 * commit SHA (GitHub takes any git revision; `HEAD:path` and the like resolve to null here).
 * An annotated tag's ref gives the Tag object, whose target is the commit, as on GitHub.
 */
export function objectOf(state: EmulatorState, expression: string): Record<string, unknown> | null {
  const commit = (oid: string) => ({ __typename: 'Commit', id: nodeId('Commit', oid), oid })
  const refs = expression.startsWith('refs/')
    ? [expression]
    : [`refs/heads/${expression}`, `refs/tags/${expression}`, `refs/${expression}`]
  for (const name of refs) {
    const target = state.refMap.get(name)
    if (!target) continue
    const tag = state.tagObjects.get(target) as (ApiObject & { tag?: string }) | undefined
    if (!tag) return commit(target)
    const peeled = state.peel(target)
    return {
      __typename: 'Tag',
      id: nodeId('Tag', target),
      oid: target,
      name: tag.tag,
      target: peeled ? commit(peeled) : null
    }
  }
  const sha = state.resolveCommit(expression)
  return sha && /^[0-9a-f]{7,40}$/.test(expression) ? commit(sha) : null
}

const nodeId = (type: string, oid: string): string =>
  Buffer.from(`${type}:${oid}`).toString('base64')
