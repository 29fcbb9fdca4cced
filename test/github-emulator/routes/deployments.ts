import {
  ApiError,
  bodyOf,
  intParam,
  invalid,
  notFound,
  paginate,
  type RouteContext,
  type RouteTable
} from '../http.js'
import {
  createDeployment,
  createDeploymentStatus,
  latestDeploymentState,
  type DeploymentInput,
  type DeploymentStatusInput
} from '../model/deployments.js'
import type { ApiObject, EmulatorState } from '../state.js'

const BASE = '/repos/{owner}/{repo}/deployments'

interface CreateDeploymentBody extends DeploymentInput {
  auto_merge: boolean
  required_contexts: string[]
}

function findDeployment(state: EmulatorState, id: number): ApiObject {
  const deployment = state.deploymentList.find(d => d.id === id)
  if (!deployment) throw notFound()
  return deployment
}

/**
 * GitHub's merge check: with auto_merge (the default) a ref behind the default branch is
 * merged first. The emulator always reports the merge conflict, the case that breaks
 * deployments of tags and old versions in real life.
 */
function checkAutoMerge(state: EmulatorState, ref: string, sha: string): void {
  const head = state.headOf()
  if (sha === head || state.isAncestor(head, sha)) return
  throw new ApiError(409, `Conflict merging ${state.repo.defaultBranch} into ${ref}.`)
}

/** Commit statuses and check runs of `sha`, latest per context. */
function contextStates(state: EmulatorState, sha: string): Map<string, string> {
  const contexts = new Map<string, string>()
  for (const s of state.commitStatuses(sha))
    if (!contexts.has(s.context as string)) contexts.set(s.context as string, s.state as string)
  for (const run of state.checkRuns(sha)) {
    const value = run.status === 'completed' ? (run.conclusion as string) : 'pending'
    contexts.set(run.name as string, value === 'neutral' || value === 'skipped' ? 'success' : value)
  }
  return contexts
}

function checkRequiredContexts(
  state: EmulatorState,
  ref: string,
  sha: string,
  required: string[] | undefined
): void {
  const contexts = contextStates(state, sha)
  const names = required ?? [...contexts.keys()]
  const failing = names.filter(name => contexts.get(name) !== 'success')
  if (failing.length === 0) return
  throw new ApiError(409, `Conflict: Commit status checks failed for ${ref}.`, [
    {
      contexts: failing.map(context => ({ context, state: contexts.get(context) ?? 'missing' })),
      resource: 'Deployment',
      field: 'required_contexts',
      code: 'invalid'
    }
  ])
}

function create(ctx: RouteContext) {
  const { state } = ctx
  const input = bodyOf<CreateDeploymentBody>(ctx) as CreateDeploymentBody
  const sha = state.resolveCommit(input.ref)
  if (!sha) throw new ApiError(422, `No ref found for: ${input.ref}`)
  if (input.auto_merge ?? true) checkAutoMerge(state, input.ref, sha)
  checkRequiredContexts(state, input.ref, sha, input.required_contexts)
  const deployment = createDeployment(state, { ...input, sha })
  return { status: 201, body: deployment, headers: { location: deployment.url as string } }
}

/** Filters default to "none" in the description, meaning no filtering. */
const filter = (value: string | undefined): string | undefined =>
  value === undefined || value === 'none' ? undefined : value

function list(ctx: RouteContext) {
  const { state, query } = ctx
  const sha = filter(query.sha)
  const ref = filter(query.ref)
  const task = filter(query.task)
  const environment = filter(query.environment)
  const filtered = state.deploymentList
    .filter(d => !sha || d.sha === sha)
    .filter(d => !ref || d.ref === ref)
    .filter(d => !task || d.task === task)
    .filter(d => environment === undefined || d.environment === environment)
    .reverse() // newest first
  const page = paginate(ctx, filtered, `${state.repoUrl}/deployments`)
  return { status: 200, body: page.items, headers: page.headers }
}

function remove(ctx: RouteContext) {
  const { state } = ctx
  const id = intParam(ctx, 'deployment_id')
  findDeployment(state, id)
  const only = state.deploymentList.length === 1
  if (!only && latestDeploymentState(state, id) !== 'inactive')
    throw new ApiError(
      422,
      'We cannot delete an active deployment unless it is the only deployment in a given environment.'
    )
  state.deploymentList.splice(
    state.deploymentList.findIndex(d => d.id === id),
    1
  )
  state.statusMap.delete(id)
  return { status: 204 }
}

function createStatus(ctx: RouteContext) {
  const { state } = ctx
  const deployment = findDeployment(state, intParam(ctx, 'deployment_id'))
  const input = bodyOf<DeploymentStatusInput>(ctx) as DeploymentStatusInput
  if ((input.description ?? '').length > 140)
    throw invalid(
      'DeploymentStatus',
      'description',
      'description is too long (maximum is 140 characters)'
    )
  const status = createDeploymentStatus(state, deployment.id as number, input)
  return { status: 201, body: status, headers: { location: status.url as string } }
}

export const deploymentRoutes: RouteTable = {
  [`POST ${BASE}`]: create,
  [`GET ${BASE}`]: list,
  [`GET ${BASE}/{deployment_id}`]: ctx => ({
    status: 200,
    body: findDeployment(ctx.state, intParam(ctx, 'deployment_id'))
  }),
  [`DELETE ${BASE}/{deployment_id}`]: remove,
  [`POST ${BASE}/{deployment_id}/statuses`]: createStatus,
  [`GET ${BASE}/{deployment_id}/statuses`]: ctx => {
    const id = intParam(ctx, 'deployment_id')
    findDeployment(ctx.state, id)
    const page = paginate(
      ctx,
      ctx.state.deploymentStatuses(id),
      `${ctx.state.repoUrl}/deployments/${id}/statuses`
    )
    return { status: 200, body: page.items, headers: page.headers }
  },
  [`GET ${BASE}/{deployment_id}/statuses/{status_id}`]: ctx => {
    const id = intParam(ctx, 'deployment_id')
    findDeployment(ctx.state, id)
    const status = ctx.state.deploymentStatuses(id).find(s => s.id === intParam(ctx, 'status_id'))
    if (!status) throw notFound()
    return { status: 200, body: status }
  }
}
