import type { ArtifactClient } from '@actions/artifact'
import type { Progress, RunnerEnv } from '@slipway/kit'
import type { RepoRef } from '@slipway/github'
import type { DeploymentRecords } from '@slipway/deployments'
import type { ReleaseStore } from '@slipway/release'
import type { DeploymentHistorySource } from '@slipway/report'
import type { HistoryReader } from '@slipway/rollback'
import type { CommitChecks, DeploymentActivity } from '@slipway/preflight'

/** What a stage's settings say about reaching GitHub: its token and repository. */
export interface GitHubAccess {
  token: string
  repository: RepoRef
  /** GITHUB_API_URL; undefined means the backends' own. */
  apiUrl?: string
}

/**
 * Everything outside the process a stage reaches: GitHub on a runner (githubBackends), the
 * ledger file and the git checkout in the CLI's local mode (localBackends). Each port takes the
 * stage's own access, since a stage may name its own token; the local ones ignore it.
 */
export interface Backends {
  readonly kind: 'github' | 'local'
  readonly progress: Progress
  readonly runnerEnv: RunnerEnv
  records(access: GitHubAccess): DeploymentRecords
  /**
   * Records for the rollback's own Deployment: without this run's id, so the run that deployed
   * the bad version is not "continued" as if it were the rollback.
   */
  rollbackRecords(access: GitHubAccess): DeploymentRecords
  /** The rollback's reader of the history, as far back as its target; undefined: the records'. */
  rollbackHistory(access: GitHubAccess): HistoryReader | undefined
  releases(access: Partial<GitHubAccess>): ReleaseStore
  history(access: GitHubAccess | undefined): DeploymentHistorySource | undefined
  deploymentActivity(access: GitHubAccess | undefined): DeploymentActivity | undefined
  commitChecks(access: GitHubAccess | undefined): CommitChecks | undefined
  artifacts(): Promise<ArtifactClient>
}
