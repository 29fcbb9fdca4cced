import type {
  DeploymentPayload,
  DeploymentRecord,
  DeploymentState,
  StatusRecord
} from './records.js'

/**
 * GitHub's deployment and status objects, as the API answers and as the local ledger file
 * stores them, and their reading into records: both implementations of the port read the same
 * shapes the same way.
 */

/** The fields of GitHub's deployment object that the records read. */
export interface ApiDeployment {
  id: number
  ref: string
  sha: string
  environment: string
  created_at: string
  payload: unknown
}

/** The fields of GitHub's deployment status object that the records read. */
export interface ApiStatus {
  id: number
  state: string
  description?: string | null
  environment_url?: string
  log_url?: string
  created_at: string
}

/** A deployment with its statuses, oldest status first, as the ledger and the report read it. */
export function deploymentRecordOf(
  deployment: ApiDeployment,
  statuses: ApiStatus[]
): DeploymentRecord {
  const ordered = statuses
    .map(statusOf)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id)
  return {
    id: deployment.id,
    ref: deployment.ref,
    sha: deployment.sha,
    environment: deployment.environment,
    createdAt: deployment.created_at,
    payload: payloadOf(deployment.payload),
    statuses: ordered,
    state: ordered[ordered.length - 1]?.state
  }
}

export function statusOf(data: ApiStatus): StatusRecord {
  return {
    id: data.id,
    state: data.state as DeploymentState,
    description: data.description ?? '',
    environmentUrl: data.environment_url || undefined,
    logUrl: data.log_url || undefined,
    createdAt: data.created_at
  }
}

/** The payload arrives as an object, or as a JSON string when it was sent as one. */
export function payloadOf(payload: unknown): Partial<DeploymentPayload> {
  if (typeof payload === 'string') {
    try {
      const parsed = JSON.parse(payload) as unknown
      return parsed && typeof parsed === 'object' ? (parsed as Partial<DeploymentPayload>) : {}
    } catch {
      return {}
    }
  }
  return payload && typeof payload === 'object' ? (payload as Partial<DeploymentPayload>) : {}
}
