import { graphqlBaseUrl, graphqlUnavailable, type GitHubClient } from '@slipway/github'
import { requestAs } from '@slipway/kit'
import {
  deploymentLockProbe,
  judgeDeploymentLock,
  runIdFrom,
  runIdFromPayload,
  type ProbeContext,
  type ProbeOutcome
} from '@slipway/probes'
import type { DeploymentLockQuery } from './ports.js'

export interface LockSpec extends DeploymentLockQuery {
  client: GitHubClient
  owner: string
  repo: string
  /** How many of the newest deployments of the environment to look at (default 30, at most 100). */
  limit?: number
}

/**
 * The environment's newest deployments with their latest status, in one GraphQL request:
 * REST needs one more request per deployment for its status, so the lock's cost grew with the
 * history. Field names are GitHub's GraphQL schema's (the emulator checks them).
 */
export const LOCK_QUERY = `query($owner: String!, $name: String!, $env: String!, $first: Int!) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: $first, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes {
        databaseId
        ref { name }
        commitOid
        payload
        updatedAt
        latestStatus { state logUrl updatedAt }
      }
    }
  }
}`

interface LockNode {
  databaseId: number | null
  ref: { name: string } | null
  commitOid: string
  payload: string | null
  updatedAt: string
  latestStatus: { state: string; logUrl: string | null; updatedAt: string } | null
}

const READ_DEPLOYMENTS = {
  what: 'read the deployments (GraphQL)',
  permission: 'deployments: read',
  notFoundIsRefusal: false
}
const READ_RUN = { what: 'read a workflow run', permission: 'actions: read' }

/**
 * Passes when no other deployment of the environment is in progress: the rule of the REST
 * probe (`deploymentLockProbe`), at a cost that does not grow with the history — one GraphQL
 * request, plus one workflow-run read per distinct run of an unfinished deployment. Where
 * GraphQL is missing or refuses the token, the REST probe decides instead; a rate limit fails.
 */
export async function deploymentLock(spec: LockSpec, context: ProbeContext): Promise<ProbeOutcome> {
  let nodes: LockNode[]
  try {
    nodes = await latestDeployments(spec, context.signal)
  } catch (error) {
    if (!graphqlUnavailable(error)) throw error
    return deploymentLockProbe(spec, context)
  }
  return judgeDeploymentLock(
    spec,
    nodes.map(node => ({
      deploymentId: node.databaseId ?? 0,
      ref: node.ref?.name ?? node.commitOid,
      state: node.latestStatus?.state,
      runId: runIdFrom(node.latestStatus?.logUrl) ?? runIdFromPayload(node.payload),
      updatedAt: node.latestStatus?.updatedAt ?? node.updatedAt
    })),
    runId => workflowRunStatus(spec, runId, context.signal)
  )
}

async function latestDeployments(spec: LockSpec, signal?: AbortSignal): Promise<LockNode[]> {
  const { client, owner, repo, environment } = spec
  const data = await requestAs(READ_DEPLOYMENTS, () =>
    client.graphql<{ repository: { deployments: { nodes: (LockNode | null)[] } } | null }>(
      LOCK_QUERY,
      {
        owner,
        name: repo,
        env: environment,
        first: Math.min(Math.max(spec.limit ?? 30, 1), 100),
        baseUrl: graphqlBaseUrl(String(client.request.endpoint.DEFAULTS.baseUrl)),
        request: { signal }
      }
    )
  )
  if (!data.repository) throw new Error(`repository ${owner}/${repo} not found (GraphQL)`)
  return data.repository.deployments.nodes.filter((node): node is LockNode => node !== null)
}

/** A workflow run's status; undefined when GitHub answers 404. */
async function workflowRunStatus(
  spec: LockSpec,
  runId: number,
  signal?: AbortSignal
): Promise<string | undefined> {
  const { client, owner, repo } = spec
  try {
    const { data } = await requestAs(READ_RUN, () =>
      client.rest.actions.getWorkflowRun({ owner, repo, run_id: runId, request: { signal } })
    )
    return data.status ?? 'unknown'
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined
    throw error
  }
}
