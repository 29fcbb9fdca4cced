import { payloadOf, type DeploymentRecord, type DeploymentState } from '@slipway/deployments'
import { requestAs, type GitHubClient, type RepoRef } from '@slipway/github'

/**
 * The environment's deployments newest first, with statuses fetched only as far as needed.
 * MTTR counts every request before traffic moves: the full history costs one request per
 * deployment, while the target is usually one or two deployments back. `enough` is asked after
 * each batch; a prefix of the history decides the target exactly (see chooseRollback).
 */
export async function loadHistory(
  client: GitHubClient,
  repo: RepoRef,
  environment: string,
  options: { limit?: number; batch?: number; enough: (records: DeploymentRecord[]) => boolean }
): Promise<DeploymentRecord[]> {
  const limit = options.limit ?? 50
  const { data } = await requestAs(
    { what: 'list deployments', permission: 'deployments: read', notFoundIsRefusal: true },
    () =>
      client.rest.repos.listDeployments({ ...repo, environment, per_page: Math.min(100, limit) })
  )
  const records: DeploymentRecord[] = []
  const batch = options.batch ?? 4
  for (let i = 0; i < Math.min(data.length, limit); i += batch) {
    const slice = data.slice(i, i + batch)
    const statuses = await Promise.all(
      slice.map(d =>
        requestAs({ what: 'read deployment statuses', permission: 'deployments: read' }, () =>
          client.paginate(client.rest.repos.listDeploymentStatuses, {
            ...repo,
            deployment_id: d.id,
            per_page: 100
          })
        )
      )
    )
    slice.forEach((d, index) => {
      const ordered = statuses[index]
        .map(s => ({
          id: s.id,
          state: s.state as DeploymentState,
          description: s.description ?? '',
          environmentUrl: s.environment_url || undefined,
          logUrl: s.log_url || undefined,
          createdAt: s.created_at
        }))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id)
      records.push({
        id: d.id,
        ref: d.ref,
        sha: d.sha,
        environment: d.environment,
        createdAt: d.created_at,
        payload: payloadOf(d.payload),
        statuses: ordered,
        state: ordered[ordered.length - 1]?.state
      })
    })
    if (options.enough(records)) break
  }
  return records
}
