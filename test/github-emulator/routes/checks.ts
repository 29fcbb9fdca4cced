import { ApiError, bodyOf, paginate, type RouteContext, type RouteTable } from '../http.js'
import type { CommitStatusInput } from '../state.js'
import { resolveOr404 } from './git.js'

const REPO = '/repos/{owner}/{repo}'

function checkRuns(ctx: RouteContext) {
  const { state, query } = ctx
  const sha = resolveOr404(state, ctx.params.ref)
  let runs = state.checkRuns(sha)
  if (query.check_name) runs = runs.filter(r => r.name === query.check_name)
  if (query.status) runs = runs.filter(r => r.status === query.status)
  // filter=latest (the default) keeps the newest run per name.
  if ((query.filter ?? 'latest') === 'latest') {
    const seen = new Set<unknown>()
    runs = runs
      .slice()
      .reverse()
      .filter(r => !seen.has(r.name) && seen.add(r.name))
      .reverse()
  }
  const page = paginate(ctx, runs, `${state.repoUrl}/commits/${ctx.params.ref}/check-runs`)
  return {
    status: 200,
    headers: page.headers,
    body: { total_count: runs.length, check_runs: page.items }
  }
}

/** GitHub's combined state: failure if any failed/errored, pending if any pending or none. */
function combinedStatus(ctx: RouteContext) {
  const { state } = ctx
  const sha = resolveOr404(state, ctx.params.ref)
  const latest = new Map<string, Record<string, unknown>>()
  for (const s of state.commitStatuses(sha))
    if (!latest.has(s.context as string)) latest.set(s.context as string, s)
  const statuses = [...latest.values()]
  const states = statuses.map(s => s.state)
  const combined = states.some(s => s === 'failure' || s === 'error')
    ? 'failure'
    : states.length === 0 || states.includes('pending')
      ? 'pending'
      : 'success'
  const page = paginate(ctx, statuses, `${state.repoUrl}/commits/${ctx.params.ref}/status`)
  return {
    status: 200,
    headers: page.headers,
    body: {
      state: combined,
      statuses: page.items,
      sha,
      total_count: statuses.length,
      repository: state.minimalRepository(),
      commit_url: `${state.repoUrl}/commits/${sha}`,
      url: `${state.repoUrl}/commits/${sha}/status`
    }
  }
}

function createStatus(ctx: RouteContext) {
  const { state } = ctx
  const sha = ctx.params.sha
  if (!state.commit(sha)) throw new ApiError(422, `No commit found for SHA: ${sha}`)
  const input = bodyOf<CommitStatusInput>(ctx)
  if ((input.description ?? '').length > 140)
    throw new ApiError(422, 'Validation Failed', [
      {
        resource: 'Status',
        code: 'custom',
        field: 'description',
        message: 'description is too long (maximum is 140 characters)'
      }
    ])
  const id = state.addCommitStatus(sha, { context: 'default', ...input } as CommitStatusInput)
  return { status: 201, body: state.commitStatuses(sha).find(s => s.id === id) }
}

export const checkRoutes: RouteTable = {
  [`GET ${REPO}/commits/{ref}/check-runs`]: checkRuns,
  [`GET ${REPO}/commits/{ref}/status`]: combinedStatus,
  [`GET ${REPO}/commits/{ref}/statuses`]: ctx => {
    const sha = resolveOr404(ctx.state, ctx.params.ref)
    const page = paginate(
      ctx,
      ctx.state.commitStatuses(sha),
      `${ctx.state.repoUrl}/commits/${ctx.params.ref}/statuses`
    )
    return { status: 200, body: page.items, headers: page.headers }
  },
  [`POST ${REPO}/statuses/{sha}`]: createStatus
}
