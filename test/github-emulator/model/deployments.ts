import { ACTOR, nodeId } from '../shapes.js'
import type { ApiObject, EmulatorState } from '../state.js'

/** What POST /deployments accepts, after GitHub's defaults are applied by createDeployment. */
export interface DeploymentInput {
  ref: string
  /** Default: the ref resolved to a commit. */
  sha?: string
  task?: string
  payload?: Record<string, unknown> | string
  environment?: string
  description?: string | null
  transient_environment?: boolean
  production_environment?: boolean
}

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

export interface DeploymentStatusInput {
  state: DeploymentState
  target_url?: string
  log_url?: string
  description?: string
  environment?: string
  environment_url?: string
  /** Default true: see createDeploymentStatus. */
  auto_inactive?: boolean
}

export function createDeployment(state: EmulatorState, input: DeploymentInput): ApiObject {
  const sha = input.sha ?? state.resolveCommit(input.ref)
  if (!sha) throw new Error(`createDeployment: no commit for ref ${input.ref}`)
  const id = state.nextId()
  const environment = input.environment ?? 'production'
  const at = state.now()
  const url = `${state.repoUrl}/deployments/${id}`
  const deployment: ApiObject = {
    url,
    id,
    node_id: nodeId('Deployment', id),
    sha,
    ref: input.ref,
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
  // GitHub creates the environment the first time a deployment names it.
  if (!state.environmentMap.has(environment)) state.addEnvironment(environment)
  return deployment
}

/** Latest status first, as GitHub lists them. */
export function latestDeploymentState(state: EmulatorState, id: number): string | undefined {
  return state.statusMap.get(id)?.[0]?.state as string | undefined
}

export function createDeploymentStatus(
  state: EmulatorState,
  deploymentId: number,
  input: DeploymentStatusInput
): ApiObject {
  const deployment = state.deploymentList.find(d => d.id === deploymentId)
  if (!deployment) throw new Error(`createDeploymentStatus: no deployment ${deploymentId}`)
  const status = appendStatus(state, deployment, input)
  // GitHub docs: auto_inactive "adds a new inactive status to all prior non-transient,
  // non-production environment deployments with the same repository and environment name
  // as the created status's deployment. An inactive status is only added to deployments
  // that had a success state."
  if (input.state === 'success' && (input.auto_inactive ?? true)) {
    for (const other of state.deploymentList) {
      if (other === deployment || other.environment !== deployment.environment) continue
      if (other.transient_environment || other.production_environment) continue
      if (latestDeploymentState(state, other.id as number) !== 'success') continue
      appendStatus(state, other, { state: 'inactive', description: '' })
    }
  }
  return status
}

function appendStatus(
  state: EmulatorState,
  deployment: ApiObject,
  input: DeploymentStatusInput
): ApiObject {
  const id = state.nextId()
  const at = state.now()
  if (input.environment) deployment.environment = input.environment
  // log_url replaces target_url; setting either sets both, as GitHub does.
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
  state.statusMap.get(deployment.id as number)!.unshift(status)
  deployment.updated_at = at
  return status
}
