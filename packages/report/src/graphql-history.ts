import { graphqlBaseUrl, type GitHubClient, type RepoRef } from '@slipway/github'
import type { ApiDeployment, ApiStatus } from '@slipway/deployments'

/**
 * One query per 100 deployments, each with its first 100 statuses: the whole history in
 * ceil(n/100) calls instead of REST's n + ceil(n/100). Field names are GitHub's GraphQL
 * schema's (checked by the emulator against @octokit/graphql-schema). DeploymentStatus has
 * no databaseId in GraphQL, so status ids are their position (see statusesOf).
 */
export const HISTORY_QUERY = `query($owner: String!, $name: String!, $env: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: 100, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes {
        databaseId
        ref { name }
        commitOid
        environment
        createdAt
        payload
        statuses(first: 100) {
          pageInfo { hasNextPage }
          nodes { state description environmentUrl logUrl createdAt }
        }
      }
    }
  }
}`

interface StatusNode {
  state: string
  description: string | null
  environmentUrl: string | null
  logUrl: string | null
  createdAt: string
}

interface DeploymentNode {
  databaseId: number | null
  ref: { name: string } | null
  commitOid: string
  environment: string | null
  createdAt: string
  payload: string | null
  statuses: { pageInfo: { hasNextPage: boolean }; nodes: (StatusNode | null)[] }
}

export interface HistoryPage {
  hasNextPage: boolean
  endCursor: string | null
  /** Each deployment in REST's shape; `statuses` is undefined when it has more than 100. */
  deployments: { deployment: ApiDeployment; statuses?: ApiStatus[] }[]
}

export async function queryHistoryPage(
  octokit: GitHubClient,
  repo: RepoRef,
  environment: string,
  after: string | null
): Promise<HistoryPage> {
  const restBase = String(octokit.request.endpoint.DEFAULTS.baseUrl)
  const data = await octokit.graphql<{
    repository: {
      deployments: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null }
        nodes: (DeploymentNode | null)[]
      }
    } | null
  }>(HISTORY_QUERY, {
    owner: repo.owner,
    name: repo.repo,
    env: environment,
    after,
    baseUrl: graphqlBaseUrl(restBase)
  })
  if (!data.repository) throw new Error(`repository ${repo.owner}/${repo.repo} not found`)
  const { pageInfo, nodes } = data.repository.deployments
  return {
    hasNextPage: pageInfo.hasNextPage,
    endCursor: pageInfo.endCursor,
    deployments: nodes
      .filter((node): node is DeploymentNode => node !== null)
      .map(node => ({
        deployment: {
          id: node.databaseId ?? 0,
          ref: node.ref?.name ?? node.commitOid,
          sha: node.commitOid,
          environment: node.environment ?? environment,
          created_at: node.createdAt,
          payload: node.payload ?? {}
        },
        statuses: node.statuses.pageInfo.hasNextPage ? undefined : statusesOf(node.statuses.nodes)
      }))
  }
}

/**
 * GraphQL statuses in REST's field names. They come newest first, like REST's; the id (only a
 * tie-break for statuses created in the same second) keeps that order: older = smaller.
 */
function statusesOf(nodes: (StatusNode | null)[]): ApiStatus[] {
  const present = nodes.filter((node): node is StatusNode => node !== null)
  return present.map((node, index) => ({
    id: present.length - index,
    state: node.state.toLowerCase(),
    description: node.description,
    environment_url: node.environmentUrl ?? undefined,
    log_url: node.logUrl ?? undefined,
    created_at: node.createdAt
  }))
}
