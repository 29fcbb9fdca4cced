import { requestAs } from '@slipway/kit'
import type { GitHubClient } from '@slipway/github'
import { findWorkflowRun } from './github-runs.js'
import type { Probe, ProbeOutcome } from './types.js'

export interface DeploymentLockSpec {
  client: GitHubClient
  owner: string
  repo: string
  environment: string
  /** This workflow run: its own deployments never lock it out. */
  currentRunId?: number
  /**
   * An unfinished deployment whose workflow run cannot be identified holds the lock only while
   * its latest status is younger than this (default one hour): after that it was abandoned.
   */
  staleAfterMs?: number
  /** How many of the newest deployments of the environment to look at (default 30). */
  limit?: number
  now?: () => number
}

// `waiting` (for an environment's approval) is GraphQL's; REST has no such state.
const UNFINISHED = new Set(['in_progress', 'queued', 'pending', 'waiting'])

interface Holder {
  deploymentId: number
  ref: string
  state: string
  runId?: number
  reason: string
}

const LIST_DEPLOYMENTS = {
  what: 'list deployments',
  permission: 'deployments: read',
  notFoundIsRefusal: true
}
const READ_STATUSES = { what: 'read deployment statuses', permission: 'deployments: read' }

/**
 * Passes when no other deployment of the environment is in progress. A deployment counts when
 * its latest status is in_progress, queued or pending (or it has none yet) and the workflow
 * run that created it — read from the status `log_url` or the deployment's `payload.run_id` — is
 * still running. Deployments of finished runs are stale leftovers (a cancelled job never posts
 * its final status) and are reported but do not block.
 */
export const deploymentLockProbe: Probe<DeploymentLockSpec> = async (spec, context) => {
  const { client, owner, repo, environment } = spec
  const { data: deployments } = await requestAs(LIST_DEPLOYMENTS, () =>
    client.rest.repos.listDeployments({
      owner,
      repo,
      environment,
      per_page: Math.min(spec.limit ?? 30, 100),
      request: { signal: context.signal }
    })
  )
  const entries = await Promise.all(
    deployments.map(async (deployment): Promise<LockEntry> => {
      const { data: statuses } = await requestAs(READ_STATUSES, () =>
        client.rest.repos.listDeploymentStatuses({
          owner,
          repo,
          deployment_id: deployment.id,
          per_page: 1,
          request: { signal: context.signal }
        })
      )
      const latest = statuses[0]
      return {
        deploymentId: deployment.id,
        ref: deployment.ref,
        state: latest?.state,
        runId:
          runIdFrom(latest?.log_url, latest?.target_url) ?? runIdFromPayload(deployment.payload),
        updatedAt: latest?.updated_at ?? deployment.updated_at
      }
    })
  )
  return judgeDeploymentLock(spec, entries, runId =>
    findWorkflowRun(client, owner, repo, runId, context.signal).then(run => run?.status)
  )
}

/** One deployment as the lock sees it: its latest status's state (none yet: undefined) and run. */
export interface LockEntry {
  deploymentId: number
  ref: string
  state: string | undefined
  runId?: number
  /** When its latest status (or, without one, the deployment) was last updated. */
  updatedAt: string
}

/**
 * The lock's rule, whichever API read the deployments: a deployment holds the environment when
 * its latest status is unfinished (or it has none yet) and the workflow run that created it is
 * still running; one whose run finished or cannot be found is a stale leftover, reported but
 * not blocking; one with no run recorded holds it until `staleAfterMs` without an update.
 */
export async function judgeDeploymentLock(
  spec: Pick<DeploymentLockSpec, 'environment' | 'currentRunId' | 'staleAfterMs' | 'now'>,
  entries: LockEntry[],
  runStatusOf: (runId: number) => Promise<string | undefined>
): Promise<ProbeOutcome> {
  const { environment } = spec
  const now = (spec.now ?? Date.now)()
  const staleAfterMs = spec.staleAfterMs ?? 3_600_000
  const holders: Holder[] = []
  const stale: Holder[] = []
  const runStatus = new Map<number, Promise<string | undefined>>()
  await Promise.all(
    entries.map(async entry => {
      // No status yet: the deployment was just created, and counts as pending.
      const state = entry.state?.toLowerCase() ?? 'pending'
      if (!UNFINISHED.has(state)) return
      const { runId } = entry
      if (runId !== undefined && runId === spec.currentRunId) return
      const base = { deploymentId: entry.deploymentId, ref: entry.ref, state, runId }
      if (runId === undefined) {
        const updated = Date.parse(entry.updatedAt)
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
      if (!runStatus.has(runId)) runStatus.set(runId, runStatusOf(runId))
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
    checked: entries.length,
    holders: holders.map(holder => ({ ...holder })),
    stale: stale.map(holder => ({ ...holder }))
  }
  if (holders.length > 0) {
    return {
      ok: false,
      message: `${environment} is locked: ${holders.map(describe).join('; ')}`,
      details
    }
  }
  const leftovers =
    stale.length > 0 ? `; ignored ${stale.length} stale: ${stale.map(describe).join('; ')}` : ''
  return {
    ok: true,
    message: `no deployment of ${environment} in progress (${entries.length} checked)${leftovers}`,
    details
  }
}

/** `https://github.com/o/r/actions/runs/123/job/456` → 123. */
export function runIdFrom(...urls: (string | null | undefined)[]): number | undefined {
  for (const url of urls) {
    const match = url ? /\/actions\/runs\/(\d+)/.exec(url) : null
    if (match) return Number(match[1])
  }
  return undefined
}

/** The `run_id` our deploy action stores in the deployment payload (object, or JSON text). */
export function runIdFromPayload(payload: unknown): number | undefined {
  let value = payload
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return undefined
    }
  }
  if (typeof value !== 'object' || value === null) return undefined
  const runId = (value as { run_id?: unknown }).run_id
  const number = typeof runId === 'string' && /^\d+$/.test(runId) ? Number(runId) : runId
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0
    ? number
    : undefined
}
