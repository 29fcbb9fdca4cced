import { requestAs, type GitHubClient, type RepoRef } from '@slipway/github'
import { payloadOf } from './api-objects.js'

/**
 * What creating a deployment needs to know first, in one GraphQL request: whether this run
 * already created it (a re-run of the job converges on it) and whether the version names a
 * commit GitHub has (a tag the release stage has not pushed yet does not: the deployment is
 * then made against the commit, without a 422 from GitHub first). REST needs a list of the
 * environment's deployments per ref and a failed create for the same answers. Field names are
 * GitHub's GraphQL schema's (the emulator checks them).
 */
export const START_QUERY = `query($owner: String!, $name: String!, $env: String!, $version: String!) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: 30, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes { databaseId ref { name } commitOid payload }
    }
    object(expression: $version) { oid }
  }
}`

interface StartNode {
  databaseId: number | null
  ref: { name: string } | null
  commitOid: string
  payload: string | null
}

export interface StartLookup {
  /** The id of the deployment this run made of one of the refs, newest first. */
  existingId?: number
  /** The version is a branch, tag or commit GitHub knows. */
  versionIsRef: boolean
}

const READ = {
  what: 'read the deployments (GraphQL)',
  permission: 'deployments: read',
  notFoundIsRefusal: false
}

export async function lookUpStart(
  octokit: GitHubClient,
  repo: RepoRef,
  query: { environment: string; version: string; refs: string[]; runId?: string }
): Promise<StartLookup> {
  const data = await requestAs(READ, () =>
    octokit.graphql<{
      repository: {
        deployments: { nodes: (StartNode | null)[] }
        object: { oid: string } | null
      } | null
    }>(START_QUERY, {
      owner: repo.owner,
      name: repo.repo,
      env: query.environment,
      version: query.version,
      baseUrl: graphqlBaseUrl(String(octokit.request.endpoint.DEFAULTS.baseUrl))
    })
  )
  if (!data.repository) throw new Error(`repository ${repo.owner}/${repo.repo} not found (GraphQL)`)
  const mine = query.runId
    ? data.repository.deployments.nodes.find(
        node =>
          node !== null &&
          node.databaseId !== null &&
          query.refs.includes(node.ref?.name ?? node.commitOid) &&
          payloadOf(node.payload).run_id === query.runId
      )
    : undefined
  return {
    existingId: mine?.databaseId ?? undefined,
    versionIsRef: data.repository.object !== null
  }
}

/**
 * GitHub.com serves GraphQL at api.github.com/graphql, GitHub Enterprise Server at
 * <host>/api/graphql while its REST API is <host>/api/v3; octokit.graphql appends /graphql.
 */
function graphqlBaseUrl(restBaseUrl: string): string {
  const base = restBaseUrl.replace(/\/+$/, '')
  return base.endsWith('/api/v3') ? base.slice(0, -'/v3'.length) : base
}

/**
 * GraphQL is not there (404, 501: an old GitHub Enterprise Server, a REST-only proxy) or does
 * not let this token read what the query asks (403, or 200 with FORBIDDEN errors): REST can
 * still answer the same questions, at more calls. A rate limit is shared with REST: it fails.
 */
export function graphqlUnavailable(error: unknown): boolean {
  const failure = error as {
    status?: number
    message?: string
    errors?: { type?: string }[]
    response?: { headers?: Record<string, string | undefined> }
  }
  const errors = Array.isArray(failure.errors) ? failure.errors : []
  if (errors.some(e => e?.type === 'RATE_LIMITED')) return false
  if (/\brate limit\b/i.test(failure.message ?? '')) return false
  if (errors.some(e => e?.type === 'FORBIDDEN' || e?.type === 'NOT_FOUND')) return true
  const headers = failure.response?.headers ?? {}
  if (failure.status === 403)
    return headers['x-ratelimit-remaining'] !== '0' && headers['retry-after'] === undefined
  return failure.status === 404 || failure.status === 501
}
