import type { DeploymentRecord } from '@slipway/deployments'
import type { ApiCalls } from './history.js'

/** The deployments the quality figures are measured over. */
export interface HistoryWindow {
  environment: string
  /** Only deployments created at or after this time (ms); undefined reads the whole history. */
  sinceMs?: number
  /** Only deployments created at or before this time (ms). */
  untilMs: number
  /** Upper bound on deployments read, so a huge history cannot run away. */
  maxDeployments?: number
}

export interface HistoryRead {
  /** Newest first, each with its statuses. */
  deployments: DeploymentRecord[]
  /** Deployments looked at, including those outside the window. */
  scanned: number
  /** True when maxDeployments stopped the read before the window's start. */
  truncated: boolean
  /** The API calls it took; absent for a source that makes none (a local file). */
  calls?: ApiCalls
}

/**
 * Where the report reads an environment's deployment history: the port of the report stage.
 * GitHub's implementation (githubHistorySource) reads the Deployments API with GraphQL, and
 * REST when GraphQL cannot.
 */
export interface DeploymentHistorySource {
  read(window: HistoryWindow): Promise<HistoryRead>
}
