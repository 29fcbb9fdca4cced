import { createGitHubClient, type GitHubClient, type RepoRef } from '@slipway/github'
import type { DeploymentHistorySource } from './history-source.js'
import { readHistory, type HistoryOptions } from './history.js'

/** GitHub's deployment history of a repository, read with readHistory. */
export function githubHistorySource(
  octokit: GitHubClient,
  repo: RepoRef,
  options: Pick<HistoryOptions, 'api' | 'concurrency' | 'log'> = {}
): DeploymentHistorySource {
  return { read: window => readHistory(octokit, repo, { ...window, ...options }) }
}

/** What the report action needs to read GitHub: the front end builds the source from it. */
export interface GitHubHistoryAccess {
  token: string
  repository: RepoRef
  /** GITHUB_API_URL; undefined means github.com. */
  apiUrl?: string
}

/** The history source of the action: a client from the token, its log lines to `log`. */
export function githubDeploymentHistory(
  access: GitHubHistoryAccess | undefined,
  log: (line: string) => void
): DeploymentHistorySource | undefined {
  if (!access) return undefined
  const octokit = createGitHubClient({ token: access.token, baseUrl: access.apiUrl, log })
  return githubHistorySource(octokit, access.repository, { log })
}
