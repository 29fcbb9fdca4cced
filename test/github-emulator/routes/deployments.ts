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
import { ACTOR, nodeId } from '../shapes.js'
import type { ApiObject, EmulatorState } from '../state.js'

const BASE = '/repos/{owner}/{repo}/deployments'

interface CreateDeployment {
  ref: string
  task: string
  auto_merge: boolean
  required_contexts: string[]
  payload: Record<string, unknown> | string
  environment: string
  description: string | null
  transient_environment: boolean
  production_environment: boolean
}

interface CreateStatus {
  state: string
  target_url: string
  log_url: string
  description: string
  environment: string
  environment_url: string
  auto_inactive: boolean
}

function findDeployment(state: EmulatorState, id: number): ApiObject {
  const deployment = state.deploymentList.find(d => d.id === id)
  if (!deployment) throw notFound()
  return deployment
}

/** Latest status first, as GitHub lists them. */
function latestState(state: EmulatorState, id: number): string | undefined {
  return state.statusMap.get(id)?.[0]?.state as string | undefined
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
  const input = bodyOf<CreateDeployment>(ctx)
  const ref = input.ref!
  const sha = state.resolveCommit(ref)
  if (!sha) throw new ApiError(422, `No ref found for: ${ref}`)
  if (input.auto_merge ?? true) checkAutoMerge(state, ref, sha)
  checkRequiredContexts(state, ref, sha, input.required_contexts)
  const id = state.nextId()
  const environment = input.environment ?? 'production'
  const at = state.now()
  const url = `${state.repoUrl}/deployments/${id}`
  const deployment: ApiObject = {
    url,
    id,
    node_id: nodeId('Deployment', id),
    sha,
    ref,
    task: input.task ?? 'deploy',
    payload: input.payload ?? {},
    original_environment: environment,
    environment,
    description: input.description ?? null,
    creator: ACTOR,
    created_at: at,
    updated_at: at,
    statuses_url: `${url}/statuses`,
    repository_url: state.repoUrl,
    transient_environment: input.transient_environment ?? false,
    production_environment: input.production_environment ?? environment === 'production',
    performed_via_github_app: null
  }
  state.deploymentList.push(deployment)
  state.statusMap.set(id, [])
  return { status: 201, body: deployment, headers: { location: url } }
}

function list(ctx: RouteContext) {
  const { state, query } = ctx
  const filtered = state.deploymentList
    .filter(d => !query.sha || d.sha === query.sha)
    .filter(d => !query.ref || d.ref === query.ref)
    .filter(d => !query.task || d.task === query.task)
    .filter(d => query.environment === undefined || d.environment === query.environment)
    .slice()
    .reverse() // newest first
  const page = paginate(ctx, filtered, `${state.repoUrl}/deployments`)
  return { status: 200, body: page.items, headers: page.headers }
}

function remove(ctx: RouteContext) {
  const { state } = ctx
  const id = intParam(ctx, 'deployment_id')
  findDeployment(state, id)
  const only = state.deploymentList.length === 1
  if (!only && latestState(state, id) !== 'inactive')
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

function addStatus(
  state: EmulatorState,
  deployment: ApiObject,
  input: Partial<CreateStatus>
): ApiObject {
  const id = state.nextId()
  const at = state.now()
  const deploymentId = deployment.id as number
  if (input.environment) deployment.environment = input.environment
  const logUrl = input.log_url ?? input.target_url ?? ''
  const status: ApiObject = {
    url: `${deployment.url}/statuses/${id}`,
    id,
    node_id: nodeId('DeploymentStatus', id),
    state: input.state,
    creator: ACTOR,
    description: input.description ?? '',
    environment: deployment.environment,
    target_url: logUrl,
    created_at: at,
    updated_at: at,
    deployment_url: deployment.url,
    repository_url: state.repoUrl,
    environment_url: input.environment_url ?? '',
    log_url: logUrl,
    performed_via_github_app: null
  }
  state.statusMap.get(deploymentId)!.unshift(status)
  deployment.updated_at = at
  return status
}

function createStatus(ctx: RouteContext) {
  const { state } = ctx
  const deployment = findDeployment(state, intParam(ctx, 'deployment_id'))
  const input = bodyOf<CreateStatus>(ctx)
  if ((input.description ?? '').length > 140)
    throw invalid(
      'DeploymentStatus',
      'description',
      'description is too long (maximum is 140 characters)'
    )
  const status = addStatus(state, deployment, input)
  // GitHub docs: auto_inactive "adds a new inactive status to all prior non-transient,
  // non-production environment deployments with the same repository and environment name
  // as the created status's deployment. An inactive status is only added to deployments
  // that had a success state."
  if (input.state === 'success' && (input.auto_inactive ?? true)) {
    for (const other of state.deploymentList) {
      if (other === deployment || other.environment !== deployment.environment) continue
      if (other.transient_environment || other.production_environment) continue
      if (latestState(state, other.id as number) !== 'success') continue
      addStatus(state, other, { state: 'inactive', description: '' })
    }
  }
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
