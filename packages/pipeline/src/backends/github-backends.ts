import { createGitHubClient } from '@slipway/github'
import type { Progress, RunnerEnv } from '@slipway/kit'
import { DeploymentLedger } from '@slipway/deployments'
import { GitHubReleaseStore } from '@slipway/release'
import { githubDeploymentHistory } from '@slipway/report'
import { loadHistory } from '@slipway/rollback'
import { githubPreflightPorts } from '@slipway/preflight'
import { runnerArtifactClient } from '@slipway/backup'
import type { Backends, GitHubAccess } from './backends.js'

/**
 * The backends of a run on GitHub: the API at `runnerEnv.apiUrl`, with the stage's token (the
 * step's `token` when a stage names none), as each stage's action does it.
 */
export function githubBackends(
  token: string | undefined,
  runnerEnv: RunnerEnv,
  progress: Progress
): Backends {
  const withApi = (access: GitHubAccess) => ({
    ...access,
    apiUrl: access.apiUrl ?? runnerEnv.apiUrl
  })
  const preflight = (access: GitHubAccess | undefined) =>
    githubPreflightPorts(access && withApi(access))
  const client = (access: GitHubAccess) =>
    createGitHubClient({ token: access.token, baseUrl: withApi(access).apiUrl, log: progress.info })
  const run = { serverUrl: runnerEnv.serverUrl, repository: runnerEnv.repository }
  return {
    kind: 'github',
    progress,
    runnerEnv,
    records: access =>
      new DeploymentLedger(client(access), access.repository, {
        ...run,
        runId: runnerEnv.runId,
        runAttempt: runnerEnv.runAttempt
      }),
    rollbackRecords: access => new DeploymentLedger(client(access), access.repository, run),
    rollbackHistory: access => {
      const github = client(access)
      return (environment, options) => loadHistory(github, access.repository, environment, options)
    },
    releases: access =>
      new GitHubReleaseStore({
        token: access.token ?? token,
        apiUrl: access.apiUrl ?? runnerEnv.apiUrl,
        repository: access.repository,
        log: progress.info
      }),
    history: access => githubDeploymentHistory(access && withApi(access), progress.info),
    deploymentActivity: access => preflight(access).deploymentActivity,
    commitChecks: access => preflight(access).commitChecks,
    artifacts: runnerArtifactClient
  }
}
