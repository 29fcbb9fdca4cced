import { deploymentRecordOf, type DeploymentRecord } from '@slipway/deployments'
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
    slice.forEach((d, index) => records.push(deploymentRecordOf(d, statuses[index])))
    if (options.enough(records)) break
  }
  return records
}
