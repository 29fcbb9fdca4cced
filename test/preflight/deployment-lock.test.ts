import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { githubPreflightPorts, type DeploymentLockQuery } from '@slipway/preflight'
import type { ProbeContext } from '@slipway/probes'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

// The deployment lock as the GitHub ports implement it: one GraphQL read of the environment's
// newest deployments with their latest status, whatever the length of the history, and the
// REST probe where GraphQL is not there.

const context: ProbeContext = { signal: new AbortController().signal, timeoutMs: 10_000 }

let gh: Emulator
let sha: string
beforeEach(async () => {
  gh = await startEmulator()
  sha = gh.state.addCommit({ message: 'feat: checkout' })
})
afterEach(async () => {
  await gh.close()
})

function lock(query: Partial<DeploymentLockQuery> = {}) {
  const { deploymentActivity } = githubPreflightPorts({
    token: gh.token,
    apiUrl: gh.url,
    repository: { owner: gh.owner, repo: gh.repo }
  })
  return deploymentActivity!.lock({ environment: 'production', ...query }, context)
}

const runUrl = (id: number) => `https://github.com/${gh.owner}/${gh.repo}/actions/runs/${id}/job/77`

function deploy(options: {
  environment?: string
  statuses?: { state: string; log_url?: string }[]
  payload?: Record<string, unknown>
}): number {
  const deployment = gh.state.addDeployment({
    ref: sha,
    environment: options.environment ?? 'production',
    payload: options.payload ?? {},
    statuses: (options.statuses ?? []) as never
  })
  return deployment.id as number
}

const calls = (since: number) =>
  gh.requests.slice(since).map(q => `${q.method} ${q.path.split('?')[0]}`)

describe('deployment lock (GitHub ports)', () => {
  it('passes when the environment has no unfinished deployment, in one GraphQL call', async () => {
    deploy({ statuses: [{ state: 'in_progress' }, { state: 'success' }] })
    deploy({ environment: 'staging', statuses: [{ state: 'in_progress' }] })
    const outcome = await lock()
    expect(outcome).toMatchObject({
      ok: true,
      message: 'no deployment of production in progress (1 checked)'
    })
    expect(calls(0)).toEqual(['POST /graphql'])
  })

  it('fails while a running workflow run deploys the environment', async () => {
    const running = gh.state.addWorkflowRun({ status: 'in_progress' })
    deploy({ statuses: [{ state: 'success' }] })
    const id = deploy({ statuses: [{ state: 'in_progress', log_url: runUrl(running) }] })
    const outcome = await lock()
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toBe(
      `production is locked: deployment ${id} of ${sha} is in_progress (run ${running} is in_progress)`
    )
    expect(calls(0)).toEqual(['POST /graphql', `GET /repos/octo/app/actions/runs/${running}`])
  })

  it('reads the run from payload.run_id when the status has no log_url', async () => {
    const queued = gh.state.addWorkflowRun({ status: 'queued' })
    deploy({ statuses: [{ state: 'queued' }], payload: { run_id: queued } })
    const outcome = await lock()
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain(`(run ${queued} is queued)`)
  })

  it('ignores leftovers of finished runs and the current run', async () => {
    const finished = gh.state.addWorkflowRun({ status: 'completed', conclusion: 'cancelled' })
    const current = gh.state.addWorkflowRun({ status: 'in_progress' })
    const stale = deploy({ statuses: [{ state: 'in_progress', log_url: runUrl(finished) }] })
    deploy({ statuses: [{ state: 'in_progress', log_url: runUrl(current) }] })
    const outcome = await lock({ currentRunId: current })
    expect(outcome.ok).toBe(true)
    expect(outcome.message).toContain(
      `ignored 1 stale: deployment ${stale} of ${sha} is in_progress (run ${finished} has finished)`
    )
  })

  it('holds the lock for an unattributed deployment only until it is stale', async () => {
    deploy({})
    const fresh = await lock()
    expect(fresh.ok).toBe(false)
    expect(fresh.message).toMatch(/is pending \(no workflow run recorded, updated 0 min ago\)/)
    const later = await lock({ now: () => Date.now() + 2 * 3_600_000 })
    expect(later.ok).toBe(true)
    expect(later.message).toContain('untouched for 120 min')
  })

  it('looks at the newest 30 deployments: one behind them does not hold the lock', async () => {
    const running = gh.state.addWorkflowRun({ status: 'in_progress' })
    deploy({ statuses: [{ state: 'in_progress', log_url: runUrl(running) }] })
    for (let i = 0; i < 30; i++) deploy({ statuses: [{ state: 'success' }] })
    const outcome = await lock()
    expect(outcome).toMatchObject({ ok: true, details: { checked: 30 } })
  })

  it('where GraphQL is not there (501), the REST probe decides', async () => {
    const running = gh.state.addWorkflowRun({ status: 'in_progress' })
    const id = deploy({ statuses: [{ state: 'in_progress', log_url: runUrl(running) }] })
    gh.faults.inject({ path: '/graphql', status: 501, body: { message: 'Not Implemented' } })
    const outcome = await lock()
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain(`deployment ${id} of ${sha} is in_progress`)
    expect(calls(0)).toEqual([
      'POST /graphql',
      'GET /repos/octo/app/deployments',
      `GET /repos/octo/app/deployments/${id}/statuses`,
      `GET /repos/octo/app/actions/runs/${running}`
    ])
  })

  it('a rate limit on GraphQL fails the check rather than adding REST calls', async () => {
    gh.faults.inject({
      path: '/graphql',
      status: 200,
      times: 4,
      body: { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' }
    } as never)
    await expect(lock()).rejects.toThrow(/rate limit/i)
    expect(calls(0).every(call => call === 'POST /graphql')).toBe(true)
  })
})
