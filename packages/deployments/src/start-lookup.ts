import { graphqlBaseUrl, requestAs, type GitHubClient, type RepoRef } from '@slipway/github'
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
