import type { GitHubClient } from '@slipway/github'
import { requestAs } from '@slipway/kit'
import {
  deploymentLockProbe,
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

const UNFINISHED = new Set(['in_progress', 'queued', 'pending', 'waiting'])

interface Holder {
  deploymentId: number
  ref: string
  state: string
  runId?: number
  reason: string
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
    if (!graphqlMissing(error)) throw error
    return deploymentLockProbe(spec, context)
  }
  return judge(spec, nodes, context.signal)
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

async function judge(
  spec: LockSpec,
  deployments: LockNode[],
  signal?: AbortSignal
): Promise<ProbeOutcome> {
  const { environment } = spec
  const now = (spec.now ?? Date.now)()
  const staleAfterMs = spec.staleAfterMs ?? 3_600_000
  const holders: Holder[] = []
  const stale: Holder[] = []
  const runStatus = new Map<number, Promise<string | undefined>>()
  await Promise.all(
    deployments.map(async deployment => {
      const latest = deployment.latestStatus
      // No status yet: the deployment was just created, and counts as pending.
      const state = latest?.state.toLowerCase() ?? 'pending'
      if (!UNFINISHED.has(state)) return
      const runId = runIdFrom(latest?.logUrl) ?? runIdFromPayload(deployment.payload)
      if (runId !== undefined && runId === spec.currentRunId) return
      const base = {
        deploymentId: deployment.databaseId ?? 0,
        ref: deployment.ref?.name ?? deployment.commitOid,
        state,
        runId
      }
      if (runId === undefined) {
        const updated = Date.parse(latest?.updatedAt ?? deployment.updatedAt)
        const ageMinutes = Math.round((now - updated) / 60_000)
        if (now - updated < staleAfterMs)
          holders.push({
            ...base,
            reason: `no workflow run recorded, updated ${ageMinutes} min ago`
          })
        else
          stale.push({
            ...base,
            reason: `no workflow run recorded, untouched for ${ageMinutes} min`
          })
        return
      }
      if (!runStatus.has(runId)) runStatus.set(runId, workflowRunStatus(spec, runId, signal))
      const status = await runStatus.get(runId)
      if (status === undefined) stale.push({ ...base, reason: `run ${runId} not found` })
      else if (status === 'completed') stale.push({ ...base, reason: `run ${runId} has finished` })
      else holders.push({ ...base, reason: `run ${runId} is ${status}` })
    })
  )
  const describe = (holder: Holder): string =>
    `deployment ${holder.deploymentId} of ${holder.ref} is ${holder.state} (${holder.reason})`
  const details = {
    environment,
    checked: deployments.length,
    holders: holders.map(holder => ({ ...holder })),
    stale: stale.map(holder => ({ ...holder }))
  }
  if (holders.length > 0)
    return {
      ok: false,
      message: `${environment} is locked: ${holders.map(describe).join('; ')}`,
      details
    }
  const leftovers =
    stale.length > 0 ? `; ignored ${stale.length} stale: ${stale.map(describe).join('; ')}` : ''
  return {
    ok: true,
    message: `no deployment of ${environment} in progress (${deployments.length} checked)${leftovers}`,
    details
  }
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

/**
 * GitHub.com serves GraphQL at api.github.com/graphql, GitHub Enterprise Server at
 * <host>/api/graphql while its REST API is <host>/api/v3; octokit.graphql appends /graphql.
 */
function graphqlBaseUrl(restBaseUrl: string): string {
  const base = restBaseUrl.replace(/\/+$/, '')
  return base.endsWith('/api/v3') ? base.slice(0, -'/v3'.length) : base
}

/**
 * GraphQL is not there (404, 501: an old GitHub Enterprise Server, a REST-only proxy) or does
 * not let this token read deployments (403, or 200 with FORBIDDEN errors), while REST may: the
 * REST probe decides then. A rate limit is shared with REST, so it fails the check instead.
 */
function graphqlMissing(error: unknown): boolean {
  const failure = error as {
    status?: number
    message?: string
    errors?: { type?: string }[]
    response?: { headers?: Record<string, string | undefined> }
  }
  const errors = Array.isArray(failure.errors) ? failure.errors : []
  if (errors.some(e => e?.type === 'RATE_LIMITED')) return false
  if (/\brate limit\b/i.test(failure.message ?? '')) return false
  if (errors.some(e => e?.type === 'FORBIDDEN' || e?.type === 'NOT_FOUND')) return true
  const headers = failure.response?.headers ?? {}
  if (failure.status === 403)
    return headers['x-ratelimit-remaining'] !== '0' && headers['retry-after'] === undefined
  return failure.status === 404 || failure.status === 501
}
