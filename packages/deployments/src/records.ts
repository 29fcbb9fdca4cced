/**
 * The deployment-records port: what a stage needs from "the Deployment history of the
 * environment", the one source of truth for what is live. `DeploymentLedger` implements it
 * over GitHub's API, `FileDeploymentRecords` over the CLI's local ledger file; both follow the
 * contract in test/ports/deployment-records.contract.ts.
 */

export type DeploymentState =
  'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success'

/** What Slipway keeps in a Deployment's payload: enough for rollback to act without guessing. */
export interface DeploymentPayload {
  slipway: 1
  version: string
  artifact?: string
  strategy: string
  /** blue-green / canary: the slot now serving `version`; the previous slot kept warm. */
  slot?: string
  previous_slot?: string
  hosts?: string[]
  previous_version?: string
  backup_id?: string
  /** docker/compose: the image that ran (`repo@sha256:…`, else the reference) and its id. */
  image?: string
  image_id?: string
  /** How long the previous slot stays warm after the success status (ms): rollback can route back until then. */
  keep_previous_ms?: number
  run_id?: string
  run_attempt?: string
  /** Set on the deployment a rollback replaced, and on the rollback's own deployment. */
  rolled_back?: boolean
  rollback_of?: number
  [key: string]: unknown
}

export interface StatusRecord {
  id: number
  state: DeploymentState
  description: string
  environmentUrl?: string
  logUrl?: string
  createdAt: string
}

export interface DeploymentRecord {
  id: number
  ref: string
  sha: string
  environment: string
  createdAt: string
  payload: Partial<DeploymentPayload>
  /** Oldest first. */
  statuses: StatusRecord[]
  /** The newest status's state, or undefined when none yet. */
  state?: DeploymentState
}

export interface StartOptions {
  environment: string
  version: string
  payload: { version: string; strategy: string } & Partial<DeploymentPayload>
  /** Adopt this deployment (GitHub created it for an environment with protection rules). */
  deploymentId?: number
  productionEnvironment?: boolean
  transientEnvironment?: boolean
  description?: string
  /** Used as ref when `version` is not a ref in the repository (e.g. a build number). */
  fallbackRef?: string
}

export interface StatusOptions {
  environmentUrl?: string
  /**
   * GitHub's rule, default true: a `success` turns the environment's other successful
   * deployments `inactive`, unless they are production or transient ones.
   */
  autoInactive?: boolean
}

export interface DeploymentRecords {
  /** Where the statuses link to (the workflow run); undefined when there is no such page. */
  readonly logUrl?: string

  /**
   * Creates the environment's deployment, or finds the one this run already created (same ref
   * + environment + payload.run_id: a re-run of the job converges instead of duplicating), or
   * adopts `deploymentId` (a UserError when it does not exist). Returns the deployment and
   * whether it is new.
   */
  start(options: StartOptions): Promise<{ deployment: DeploymentRecord; created: boolean }>

  /** Adds a status, its description clipped to one line of 140 characters; links to `logUrl`. */
  setStatus(
    deploymentId: number,
    state: DeploymentState,
    description: string,
    options?: StatusOptions
  ): Promise<StatusRecord>

  /** An `inactive` status saying "rolled back [by deployment N]": `lastGood` skips it from then on. */
  markRolledBack(deploymentId: number, byDeploymentId?: number): Promise<StatusRecord>

  /** The environment's newest `limit` (default 30) deployments, newest first, statuses oldest first. */
  history(environment: string, options?: { limit?: number }): Promise<DeploymentRecord[]>

  /** `lastGoodOf` the environment's history (`limit` deployments deep), older than `before`. */
  lastGood(
    environment: string,
    options?: { before?: number; limit?: number }
  ): Promise<DeploymentRecord | undefined>

  /**
   * The environments the newest `limit` (default 100) deployments were made to, most recently
   * deployed first: what `slipway status` shows when no environment is named.
   */
  environments?(options?: { limit?: number }): Promise<string[]>
}

/** How many of the repository's newest deployments `environments` looks through when not told. */
export const DEFAULT_ENVIRONMENTS_SCAN = 100

/** Distinct environments of deployments listed newest first, in that order. */
export function environmentsOf(newestFirst: { environment?: unknown }[]): string[] {
  const seen = new Set<string>()
  for (const d of newestFirst) if (typeof d.environment === 'string') seen.add(d.environment)
  return [...seen]
}

/** How many deployments `history` reads when not told. */
export const DEFAULT_HISTORY_LIMIT = 30

/** The status description `markRolledBack` writes (and `lastGoodOf` recognises). */
export function rolledBackDescription(byDeploymentId?: number): string {
  return `rolled back${byDeploymentId ? ` by deployment ${byDeploymentId}` : ''}`
}
