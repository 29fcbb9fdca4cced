import { requestAs } from '@slipway/kit'
import type { GitHubClient } from '@slipway/github'

export interface RunInfo {
  status: string
  checkSuiteId?: number
}

/** A workflow run's status and check suite; undefined when GitHub answers 404. Other errors throw. */
export async function findWorkflowRun(
  client: GitHubClient,
  owner: string,
  repo: string,
  runId: number,
  signal?: AbortSignal
): Promise<RunInfo | undefined> {
  try {
    const { data } = await requestAs(
      { what: 'read a workflow run', permission: 'actions: read' },
      () => client.rest.actions.getWorkflowRun({ owner, repo, run_id: runId, request: { signal } })
    )
    return { status: data.status ?? 'unknown', checkSuiteId: data.check_suite_id ?? undefined }
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined
    throw error
  }
}
