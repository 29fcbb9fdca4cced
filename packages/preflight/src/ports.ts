import type { ProbeContext, ProbeOutcome } from '@slipway/probes'

/** What the deployment lock asks: is another deployment of this environment in progress? */
export interface DeploymentLockQuery {
  environment: string
  /** An unfinished deployment whose run cannot be identified stops holding the lock after this. */
  staleAfterMs?: number
  /** This workflow run: its own deployments never lock it out. */
  currentRunId?: number
  now?: () => number
}

/**
 * Other deployments of an environment, as far as the deployment lock needs them. The outcome
 * fails (closed) while one is in progress; GitHub's implementation reads the Deployments API.
 */
export interface DeploymentActivity {
  lock(query: DeploymentLockQuery, context: ProbeContext): Promise<ProbeOutcome>
}

/** What the github-checks check asks: has the commit's CI finished, and green? */
export interface CommitChecksQuery {
  /** Commit SHA, branch or tag. */
  ref: string
  /** Names that must be present and successful. */
  required: string[]
  /** Names left out (a job allowed to fail). */
  ignore: string[]
  /** This workflow run: its own check suite is still running by definition, so it is left out. */
  currentRunId?: number
}

/**
 * The check runs and statuses of a commit. The outcome fails while any is unfinished or failed,
 * or a required one is missing; GitHub's implementation reads the Checks and Statuses APIs.
 */
export interface CommitChecks {
  evaluate(query: CommitChecksQuery, context: ProbeContext): Promise<ProbeOutcome>
}
