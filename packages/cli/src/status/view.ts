import { lastGoodOf, type DeploymentRecord, type DeploymentRecords } from '@slipway/deployments'
import { parseCanaryProgress, type CanaryStepLine } from './canary-progress.js'

/** A deployment as `slipway status` lists it. */
export interface DeploymentLine {
  id: number
  version: string
  strategy?: string
  /** The newest status's state; `pending` before the first status. */
  state: string
  /** The newest status's description (what the deploy stage said last). */
  description: string
  createdAt: string
  /** When the newest status was written. */
  updatedAt: string
  runId?: string
  logUrl?: string
  environmentUrl?: string
  /** Set on a rollback's own deployment: the deployment it undid. */
  rollbackOf?: number
  /**
   * A canary under way: the weight step its newest status recorded, the weights per target
   * and the last analysis. Only while it has not finished.
   */
  canary?: CanaryStepLine
}

/**
 * Where the environment's traffic is, as far as the records say. The weights below are those of
 * a finished deploy (all traffic on `slot`); a canary under way records its step's weights in
 * its own status, read into `DeploymentLine.canary` of the unfinished deployment.
 */
export interface LiveState extends DeploymentLine {
  /** When it went live: its first `success` status. */
  liveSince: string
  slot?: string
  previousSlot?: string
  previousVersion?: string
  hosts?: string[]
  /** Percent per slot after the deploy finished: 100 on `slot`, 0 on `previousSlot`. */
  weights?: Record<string, number>
  /** Until when the previous slot stays warm (a rollback can switch back to it instantly). */
  previousWarmUntil?: string
}

export interface EnvironmentStatus {
  environment: string
  /** The last good deployment: what serves the environment. Undefined when none ever succeeded. */
  live?: LiveState
  /** Deployments that have not finished (in progress, queued, pending), newest first. */
  unfinished: DeploymentLine[]
  /** The newest deployments, newest first. */
  recent: DeploymentLine[]
}

const UNFINISHED = new Set(['in_progress', 'queued', 'pending'])

function lineOf(d: DeploymentRecord): DeploymentLine {
  const last = d.statuses.at(-1)
  const withLink = [...d.statuses].reverse()
  return {
    id: d.id,
    version: typeof d.payload.version === 'string' ? d.payload.version : d.ref,
    strategy: typeof d.payload.strategy === 'string' ? d.payload.strategy : undefined,
    state: last?.state ?? 'pending',
    description: last?.description ?? '',
    createdAt: d.createdAt,
    updatedAt: last?.createdAt ?? d.createdAt,
    runId: typeof d.payload.run_id === 'string' ? d.payload.run_id : undefined,
    logUrl: withLink.find(s => s.logUrl)?.logUrl,
    environmentUrl: withLink.find(s => s.environmentUrl)?.environmentUrl,
    rollbackOf: typeof d.payload.rollback_of === 'number' ? d.payload.rollback_of : undefined,
    ...canaryOf(last?.state ?? 'pending', last?.description ?? '')
  }
}

function canaryOf(state: string, description: string): { canary?: CanaryStepLine } {
  if (!UNFINISHED.has(state)) return {}
  const canary = parseCanaryProgress(description)
  return canary ? { canary } : {}
}

function liveOf(d: DeploymentRecord): LiveState {
  const line = lineOf(d)
  const liveSince = d.statuses.find(s => s.state === 'success')?.createdAt ?? line.updatedAt
  const { slot, previous_slot: previousSlot, previous_version, hosts } = d.payload
  const keep = d.payload.keep_previous_ms
  const weights =
    typeof slot === 'string'
      ? { [slot]: 100, ...(typeof previousSlot === 'string' ? { [previousSlot]: 0 } : {}) }
      : undefined
  return {
    ...line,
    liveSince,
    slot: typeof slot === 'string' ? slot : undefined,
    previousSlot: typeof previousSlot === 'string' ? previousSlot : undefined,
    previousVersion: typeof previous_version === 'string' ? previous_version : undefined,
    hosts: Array.isArray(hosts) ? hosts.filter(h => typeof h === 'string') : undefined,
    weights,
    previousWarmUntil:
      typeof keep === 'number' && keep > 0 && typeof previousSlot === 'string'
        ? new Date(Date.parse(liveSince) + keep).toISOString()
        : undefined
  }
}

/** What is live in one environment, from its newest `limit` deployments. */
export async function environmentStatus(
  records: DeploymentRecords,
  environment: string,
  limit: number
): Promise<EnvironmentStatus> {
  // Read deeper than shown: the live version may be older than the last few (failed) deploys.
  const history = await records.history(environment, { limit: Math.max(limit, 30) })
  const good = lastGoodOf(history)
  return {
    environment,
    live: good ? liveOf(good) : undefined,
    unfinished: history.filter(d => UNFINISHED.has(d.state ?? 'pending')).map(lineOf),
    recent: history.slice(0, limit).map(lineOf)
  }
}

/** Every environment asked for, or every one the records know (most recently deployed first). */
export async function readStatus(
  records: DeploymentRecords,
  options: { environments?: string[]; limit: number }
): Promise<EnvironmentStatus[]> {
  const names = options.environments?.length
    ? options.environments
    : ((await records.environments?.()) ?? [])
  const statuses: EnvironmentStatus[] = []
  for (const name of names) statuses.push(await environmentStatus(records, name, options.limit))
  return statuses
}
