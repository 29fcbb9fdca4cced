import { requestAs } from '@slipway/kit'
import type { GitHubClient } from '@slipway/github'
import { findWorkflowRun } from './github-runs.js'
import type { Probe } from './types.js'

export interface GitHubChecksSpec {
  client: GitHubClient
  owner: string
  repo: string
  /** Commit SHA, branch or tag whose checks must be green. */
  ref: string
  /** Check-run names or status contexts that must be present and successful. */
  required?: string[]
  /** Check-run names or status contexts to leave out (e.g. a job that is allowed to fail). */
  ignore?: string[]
  /**
   * The workflow run this check runs in: its own check suite is left out, since its jobs —
   * this one included — are still running by definition.
   */
  currentRunId?: number
}

interface Entry {
  name: string
  kind: 'check run' | 'status'
  /** completed/success → 'success'; failures keep their conclusion; unfinished → 'pending:<status>'. */
  state: string
}

const SUCCESSFUL = new Set(['success', 'neutral', 'skipped'])

/**
 * Passes when every check run and commit status of the ref has completed successfully and
 * every required name is among them. Anything still queued or running fails with a message
 * that says so — a deployment must not start on a commit whose CI has not finished.
 */
export const githubChecksProbe: Probe<GitHubChecksSpec> = async (spec, context) => {
  const { client, owner, repo, ref } = spec
  const ownSuite =
    spec.currentRunId === undefined
      ? undefined
      : await checkSuiteOf(client, owner, repo, spec.currentRunId, context.signal)
  const [runs, combined] = await Promise.all([
    requestAs({ what: 'list check runs', permission: 'checks: read' }, () =>
      client.paginate(client.rest.checks.listForRef, {
        owner,
        repo,
        ref,
        per_page: 100,
        filter: 'latest',
        request: { signal: context.signal }
      })
    ),
    requestAs({ what: 'read commit statuses', permission: 'statuses: read' }, () =>
      client.rest.repos.getCombinedStatusForRef({
        owner,
        repo,
        ref,
        per_page: 100,
        request: { signal: context.signal }
      })
    )
  ])
  const ignored = new Set(spec.ignore ?? [])
  const entries: Entry[] = []
  for (const run of runs) {
    if (ignored.has(run.name)) continue
    if (ownSuite !== undefined && run.check_suite?.id === ownSuite) continue
    const state =
      run.status === 'completed' ? (run.conclusion ?? 'unknown') : `pending:${run.status}`
    entries.push({ name: run.name, kind: 'check run', state })
  }
  for (const status of combined.data.statuses) {
    if (ignored.has(status.context)) continue
    entries.push({
      name: status.context,
      kind: 'status',
      state: status.state === 'pending' ? 'pending:pending' : status.state
    })
  }
  const pending = entries.filter(entry => entry.state.startsWith('pending:'))
  const failed = entries.filter(
    entry => !entry.state.startsWith('pending:') && !SUCCESSFUL.has(entry.state)
  )
  const names = new Set(entries.map(entry => entry.name))
  const missing = (spec.required ?? []).filter(name => !names.has(name))
  const details = {
    ref,
    checks: entries.map(entry => ({
      name: entry.name,
      kind: entry.kind,
      state: entry.state.replace(/^pending:/, '')
    })),
    pending: pending.map(entry => entry.name),
    failed: failed.map(entry => entry.name),
    missing
  }
  const problems: string[] = []
  if (failed.length > 0)
    problems.push(`failed: ${failed.map(entry => `${entry.name} (${entry.state})`).join(', ')}`)
  if (pending.length > 0) {
    problems.push(
      `not finished yet: ${pending.map(entry => `${entry.name} (${entry.state.slice('pending:'.length)})`).join(', ')}`
    )
  }
  if (missing.length > 0) problems.push(`required but not reported: ${missing.join(', ')}`)
  const shortRef = /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 7) : ref
  if (problems.length > 0)
    return { ok: false, message: `${shortRef}: ${problems.join('; ')}`, details }
  if (entries.length === 0)
    return { ok: true, message: `${shortRef}: no check runs or statuses reported`, details }
  return {
    ok: true,
    message: `${shortRef}: all ${entries.length} check runs and statuses succeeded`,
    details
  }
}

/** The check suite of a workflow run; undefined when it cannot be read (local runs, other tokens). */
async function checkSuiteOf(
  client: GitHubClient,
  owner: string,
  repo: string,
  runId: number,
  signal: AbortSignal
): Promise<number | undefined> {
  try {
    return (await findWorkflowRun(client, owner, repo, runId, signal))?.checkSuiteId
  } catch {
    return undefined
  }
}
