import { notFound, intParam, paginate, type RouteContext, type RouteTable } from '../http.js'

const REPO = '/repos/{owner}/{repo}'

/** `status` filters on either the run status or its conclusion, as GitHub does. */
function listRuns(ctx: RouteContext) {
  const { state, query } = ctx
  const runs = state.workflowRuns
    .filter(r => !query.status || r.status === query.status || r.conclusion === query.status)
    .filter(r => !query.branch || r.head_branch === query.branch)
    .filter(r => !query.head_sha || r.head_sha === query.head_sha)
    .filter(r => !query.event || r.event === query.event)
  const page = paginate(ctx, runs, `${state.repoUrl}/actions/runs`)
  return {
    status: 200,
    headers: page.headers,
    body: { total_count: runs.length, workflow_runs: page.items }
  }
}

export const actionRoutes: RouteTable = {
  [`GET ${REPO}/actions/runs`]: listRuns,
  [`GET ${REPO}/actions/runs/{run_id}`]: ctx => {
    const run = ctx.state.workflowRuns.find(r => r.id === intParam(ctx, 'run_id'))
    if (!run) throw notFound()
    return { status: 200, body: run }
  }
}
