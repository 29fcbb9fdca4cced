import type { GitHubClient, RepoRef } from '@slipway/github'
import {
  deploymentRecordOf,
  type ApiDeployment,
  type ApiStatus,
  type DeploymentRecord
} from '@slipway/deployments'

export interface HistoryOptions {
  environment: string
  /** Only deployments created at or after this time (ms); paging stops once past it. */
  sinceMs?: number
  /** Only deployments created at or before this time (ms). */
  untilMs?: number
  /** Upper bound on deployments read, so a huge history cannot run away. */
  maxDeployments?: number
  /** Parallel status requests (reads are not spaced by the write throttle). */
  concurrency?: number
}

export interface ApiCalls {
  listDeployments: number
  listStatuses: number
  total: number
}

export interface History {
  deployments: DeploymentRecord[]
  calls: ApiCalls
  /** Deployments listed, including the ones outside the window on the last page read. */
  scanned: number
  /** True when maxDeployments stopped the read before the window's start. */
  truncated: boolean
}

const PAGE = 100

/**
 * Reads an environment's Deployment history with as few REST calls as REST allows:
 * deployments 100 a page, newest first, and paging stops at the first page that reaches
 * back past the window; statuses (100 a page) only for the deployments inside the window.
 * That is ceil(n/100) + n calls for n deployments in the window (GraphQL could do it in
 * ceil(n/100), but the runner's token and our emulator speak REST, and REST is what the
 * rest of Slipway uses).
 */
export async function readHistory(
  octokit: GitHubClient,
  repo: RepoRef,
  options: HistoryOptions
): Promise<History> {
  const calls: ApiCalls = { listDeployments: 0, listStatuses: 0, total: 0 }
  const max = options.maxDeployments ?? 5000
  const inWindow: ApiDeployment[] = []
  let scanned = 0
  let truncated = false
  const pages = octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
    ...repo,
    environment: options.environment,
    per_page: PAGE
  })
  pageLoop: for await (const page of pages) {
    calls.listDeployments++
    let pastWindow = false
    for (const deployment of page.data as ApiDeployment[]) {
      scanned++
      const created = Date.parse(deployment.created_at)
      if (options.untilMs !== undefined && created > options.untilMs) continue
      if (options.sinceMs !== undefined && created < options.sinceMs) {
        pastWindow = true
        continue
      }
      if (inWindow.length >= max) {
        truncated = true
        break pageLoop
      }
      inWindow.push(deployment)
    }
    // Newest first: once a page reaches back before the window, later pages are all older.
    if (pastWindow || page.data.length < PAGE) break
  }

  const records: DeploymentRecord[] = new Array(inWindow.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let index = next++; index < inWindow.length; index = next++) {
      const deployment = inWindow[index]
      const statuses: ApiStatus[] = []
      for await (const page of octokit.paginate.iterator(
        octokit.rest.repos.listDeploymentStatuses,
        { ...repo, deployment_id: deployment.id, per_page: PAGE }
      )) {
        calls.listStatuses++
        statuses.push(...(page.data as ApiStatus[]))
      }
      records[index] = deploymentRecordOf(deployment, statuses)
    }
  }
  const workers = Math.max(1, Math.min(options.concurrency ?? 8, inWindow.length))
  await Promise.all(Array.from({ length: workers }, worker))
  calls.total = calls.listDeployments + calls.listStatuses
  return { deployments: records, calls, scanned, truncated }
}
