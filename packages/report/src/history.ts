import type { GitHubClient, RepoRef } from '@slipway/github'
import {
  deploymentRecordOf,
  type ApiDeployment,
  type ApiStatus,
  type DeploymentRecord
} from '@slipway/deployments'
import { graphqlFallbackReason } from './graphql-fallback.js'
import { queryHistoryPage, type HistoryPage } from './graphql-history.js'

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
  /**
   * 'auto' (default): GraphQL, REST when GraphQL is missing (404/501), refuses the token (403,
   * not a rate limit) or answers errors; or force one of them.
   */
  api?: 'auto' | 'graphql' | 'rest'
  log?: (line: string) => void
}

export interface ApiCalls {
  /** Which API read the history: GraphQL when the endpoint answers, REST otherwise. */
  api: 'graphql' | 'rest'
  /** GraphQL queries (100 deployments with their statuses each), including a failed probe. */
  graphql: number
  listDeployments: number
  listStatuses: number
  total: number
  /** Why REST read the history after GraphQL was tried (`api: 'rest'` and `graphql` > 0). */
  fallback?: string
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

type Verdict = 'take' | 'skip' | 'past' | 'full'

/** Where a deployment falls: newer than the window, inside, older (paging can stop), or over max. */
function windowCheck(options: HistoryOptions, max: number, taken: number) {
  return (createdAt: string): Verdict => {
    const created = Date.parse(createdAt)
    if (options.untilMs !== undefined && created > options.untilMs) return 'skip'
    if (options.sinceMs !== undefined && created < options.sinceMs) return 'past'
    return taken >= max ? 'full' : 'take'
  }
}

/**
 * Reads an environment's Deployment history with few API calls. By default (`api: 'auto'`)
 * with GraphQL: one query per 100 deployments with their statuses, so ceil(n/100) calls;
 * when GraphQL cannot read it (see graphqlFallbackReason: missing, refused, errors; never a
 * rate limit), with REST: ceil(n/100) deployment pages + one status page per deployment.
 * Either way newest first, and paging stops at the first page that reaches back past the window.
 */
export async function readHistory(
  octokit: GitHubClient,
  repo: RepoRef,
  options: HistoryOptions
): Promise<History> {
  const calls: ApiCalls = {
    api: 'rest',
    graphql: 0,
    listDeployments: 0,
    listStatuses: 0,
    total: 0
  }
  const api = options.api ?? 'auto'
  let history: Omit<History, 'calls'> | undefined
  if (api !== 'rest') {
    try {
      history = await readWithGraphql(octokit, repo, options, calls)
      calls.api = 'graphql'
    } catch (error) {
      // Any page may fail (a costly query times out late): REST then reads the window anew.
      const reason = api === 'graphql' ? undefined : graphqlFallbackReason(error)
      if (!reason) throw error
      calls.fallback = reason
      options.log?.(`${reason}; reading the history with REST`)
    }
  }
  history ??= await readWithRest(octokit, repo, options, calls)
  calls.total = calls.graphql + calls.listDeployments + calls.listStatuses
  return { ...history, calls }
}

async function readWithGraphql(
  octokit: GitHubClient,
  repo: RepoRef,
  options: HistoryOptions,
  calls: ApiCalls
): Promise<Omit<History, 'calls'>> {
  const max = options.maxDeployments ?? 5000
  const { taken, scanned, truncated } = await takeWindow(
    graphqlPages(octokit, repo, options.environment, max, calls),
    item => item.deployment.created_at,
    options,
    max
  )
  const records: DeploymentRecord[] = []
  for (const { deployment, statuses } of taken) {
    // More than 100 statuses (rare): the rest of them from REST.
    records.push(
      deploymentRecordOf(
        deployment,
        statuses ?? (await listStatuses(octokit, repo, deployment.id, calls))
      )
    )
  }
  return { deployments: records, scanned, truncated }
}

/** One GraphQL query per page of 100 deployments with their statuses. */
async function* graphqlPages(
  octokit: GitHubClient,
  repo: RepoRef,
  environment: string,
  max: number,
  calls: ApiCalls
): AsyncGenerator<WindowPage<HistoryPage['deployments'][number]>> {
  let after: string | null = null
  // Bounded: every page but the last holds 100 deployments, and we stop past max anyway.
  for (let page = 0; page <= Math.ceil(max / PAGE) + 1000; page++) {
    calls.graphql++
    const result = await queryHistoryPage(octokit, repo, environment, after)
    const more = result.hasNextPage && result.endCursor !== null
    yield { items: result.deployments, more }
    if (!more) return
    after = result.endCursor
  }
}

interface WindowPage<T> {
  items: T[]
  /** Whether another page follows. */
  more: boolean
}

/**
 * Takes the deployments inside the window from pages listed newest first, and stops reading
 * at the first page that reaches back past the window (later pages are all older) or at max.
 */
async function takeWindow<T>(
  pages: AsyncGenerator<WindowPage<T>>,
  createdAt: (item: T) => string,
  options: HistoryOptions,
  max: number
): Promise<{ taken: T[]; scanned: number; truncated: boolean }> {
  const taken: T[] = []
  let scanned = 0
  for await (const page of pages) {
    let pastWindow = false
    for (const item of page.items) {
      scanned++
      const verdict = windowCheck(options, max, taken.length)(createdAt(item))
      if (verdict === 'skip') continue
      if (verdict === 'past') {
        pastWindow = true
        continue
      }
      if (verdict === 'full') {
        await pages.return(undefined)
        return { taken, scanned, truncated: true }
      }
      taken.push(item)
    }
    if (pastWindow || !page.more) {
      await pages.return(undefined)
      break
    }
  }
  return { taken, scanned, truncated: false }
}

async function listStatuses(
  octokit: GitHubClient,
  repo: RepoRef,
  deploymentId: number,
  calls: ApiCalls
): Promise<ApiStatus[]> {
  const statuses: ApiStatus[] = []
  for await (const page of octokit.paginate.iterator(octokit.rest.repos.listDeploymentStatuses, {
    ...repo,
    deployment_id: deploymentId,
    per_page: PAGE
  })) {
    calls.listStatuses++
    statuses.push(...(page.data as ApiStatus[]))
  }
  return statuses
}

async function readWithRest(
  octokit: GitHubClient,
  repo: RepoRef,
  options: HistoryOptions,
  calls: ApiCalls
): Promise<Omit<History, 'calls'>> {
  const max = options.maxDeployments ?? 5000
  const {
    taken: inWindow,
    scanned,
    truncated
  } = await takeWindow(
    restPages(octokit, repo, options.environment, calls),
    deployment => deployment.created_at,
    options,
    max
  )

  const records: DeploymentRecord[] = new Array(inWindow.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let index = next++; index < inWindow.length; index = next++) {
      const deployment = inWindow[index]
      records[index] = deploymentRecordOf(
        deployment,
        await listStatuses(octokit, repo, deployment.id, calls)
      )
    }
  }
  const workers = Math.max(1, Math.min(options.concurrency ?? 8, inWindow.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return { deployments: records, scanned, truncated }
}

/** REST deployment pages of 100; a short page is the last. */
async function* restPages(
  octokit: GitHubClient,
  repo: RepoRef,
  environment: string,
  calls: ApiCalls
): AsyncGenerator<WindowPage<ApiDeployment>> {
  const pages = octokit.paginate.iterator(octokit.rest.repos.listDeployments, {
    ...repo,
    environment,
    per_page: PAGE
  })
  for await (const page of pages) {
    calls.listDeployments++
    const items = page.data as ApiDeployment[]
    yield { items, more: items.length >= PAGE }
  }
}
