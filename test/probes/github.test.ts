import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient, type GitHubClient } from '@slipway/github'
import {
  deploymentLockProbe,
  githubChecksProbe,
  runIdFrom,
  runIdFromPayload,
  runOne,
  type ProbeContext
} from '@slipway/probes'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

const context: ProbeContext = { signal: new AbortController().signal, timeoutMs: 10_000 }

let gh: Emulator
let client: GitHubClient
let sha: string
beforeEach(async () => {
  gh = await startEmulator()
  client = createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 0 })
  sha = gh.state.addCommit({ message: 'feat: checkout' })
})
afterEach(async () => {
  await gh.close()
})

describe('github-checks probe', () => {
  const spec = () => ({ client, owner: gh.owner, repo: gh.repo, ref: sha })

  it('passes when every check run and status succeeded', async () => {
    gh.state.addCheckRun(sha, { name: 'build' })
    gh.state.addCheckRun(sha, { name: 'docs', conclusion: 'skipped' })
    gh.state.addCommitStatus(sha, { context: 'ci/e2e', state: 'success' })
    const outcome = await githubChecksProbe({ ...spec(), required: ['build', 'ci/e2e'] }, context)
    expect(outcome.ok).toBe(true)
    expect(outcome.message).toBe(`${sha.slice(0, 7)}: all 3 check runs and statuses succeeded`)
  })

  it('fails clearly while checks are still pending', async () => {
    gh.state.addCheckRun(sha, { name: 'build' })
    gh.state.addCheckRun(sha, { name: 'test', status: 'in_progress' })
    gh.state.addCommitStatus(sha, { context: 'ci/e2e', state: 'pending' })
    const outcome = await githubChecksProbe(spec(), context)
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toBe(
      `${sha.slice(0, 7)}: not finished yet: test (in_progress), ci/e2e (pending)`
    )
  })

  it('fails on failed checks and missing required ones, and honours ignore', async () => {
    gh.state.addCheckRun(sha, { name: 'build', conclusion: 'failure' })
    gh.state.addCheckRun(sha, { name: 'flaky', conclusion: 'cancelled' })
    gh.state.addCommitStatus(sha, { context: 'security', state: 'error' })
    const outcome = await githubChecksProbe(
      { ...spec(), required: ['deploy-approval'], ignore: ['flaky'] },
      context
    )
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toBe(
      `${sha.slice(0, 7)}: failed: build (failure), security (error); required but not reported: deploy-approval`
    )
    expect(outcome.details).toMatchObject({
      failed: ['build', 'security'],
      missing: ['deploy-approval']
    })
  })

  it('turns a slow or failing API into a failed result, not a crash', async () => {
    const check = {
      name: 'ci',
      type: 'github-checks',
      severity: 'error' as const,
      timeoutMs: 300,
      retries: 0,
      retryDelayMs: 0,
      run: (ctx: ProbeContext) => githubChecksProbe(spec(), ctx)
    }
    gh.faults.inject({ path: /\/check-runs$/, delayMs: 2000 })
    expect(await runOne(check)).toMatchObject({
      status: 'failed',
      message: 'timed out after 300ms'
    })
    gh.faults.clear()
    gh.faults.inject({ path: /\/status$/, status: 502 })
    const failed = await runOne({ ...check, timeoutMs: 5000 })
    expect(failed.status).toBe('failed')
    expect(failed.message).toContain('Server Error')
  })

  it('leaves out the check suite of the run it runs in', async () => {
    gh.state.addCheckRun(sha, { name: 'build' })
    const own = gh.state.addCheckRun(sha, { name: 'preflight', status: 'in_progress' })
    const runId = gh.state.addWorkflowRun({ status: 'in_progress', head_sha: sha })
    const suiteId = gh.state.workflowRuns.find(run => run.id === runId)!.check_suite_id
    // The emulator has no seeding option for a check run's suite: point our job's run at it.
    gh.state.checkRuns(sha).find(run => run.id === own)!.check_suite = { id: suiteId }
    expect((await githubChecksProbe(spec(), context)).ok).toBe(false)
    const outcome = await githubChecksProbe({ ...spec(), currentRunId: runId }, context)
    expect(outcome).toMatchObject({
      ok: true,
      message: `${sha.slice(0, 7)}: all 1 check runs and statuses succeeded`
    })
  })
})

describe('deployment-lock probe', () => {
  const spec = () => ({ client, owner: gh.owner, repo: gh.repo, environment: 'production' })

  async function deploy(options: {
    environment?: string
    state?: string
    logUrl?: string
    payload?: Record<string, unknown>
  }) {
    const { data } = await client.rest.repos.createDeployment({
      owner: gh.owner,
      repo: gh.repo,
      ref: sha,
      environment: options.environment ?? 'production',
      auto_merge: false,
      required_contexts: [],
      payload: options.payload ?? {}
    })
    const id = (data as { id: number }).id
    if (options.state) {
      await client.rest.repos.createDeploymentStatus({
        owner: gh.owner,
        repo: gh.repo,
        deployment_id: id,
        state: options.state as 'in_progress',
        log_url: options.logUrl
      })
    }
    return id
  }

  const runUrl = (id: number) =>
    `https://github.com/${gh.owner}/${gh.repo}/actions/runs/${id}/job/77`

  it('passes when the environment has no unfinished deployment', async () => {
    await deploy({ state: 'success' })
    await deploy({ environment: 'staging', state: 'in_progress' })
    const outcome = await deploymentLockProbe(spec(), context)
    expect(outcome).toMatchObject({
      ok: true,
      message: 'no deployment of production in progress (1 checked)'
    })
  })

  it('fails while a running workflow run deploys the environment', async () => {
    const running = gh.state.addWorkflowRun({ status: 'in_progress' })
    const id = await deploy({ state: 'in_progress', logUrl: runUrl(running) })
    const outcome = await deploymentLockProbe(spec(), context)
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toBe(
      `production is locked: deployment ${id} of ${sha} is in_progress (run ${running} is in_progress)`
    )
  })

  it('reads the run from payload.run_id when the status has no log_url', async () => {
    const queued = gh.state.addWorkflowRun({ status: 'queued' })
    await deploy({ state: 'queued', payload: { run_id: queued } })
    const outcome = await deploymentLockProbe(spec(), context)
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain(`(run ${queued} is queued)`)
  })

  it('ignores leftovers of finished runs and the current run', async () => {
    const finished = gh.state.addWorkflowRun({ status: 'completed', conclusion: 'cancelled' })
    const current = gh.state.addWorkflowRun({ status: 'in_progress' })
    const stale = await deploy({ state: 'in_progress', logUrl: runUrl(finished) })
    await deploy({ state: 'in_progress', logUrl: runUrl(current) })
    const outcome = await deploymentLockProbe({ ...spec(), currentRunId: current }, context)
    expect(outcome.ok).toBe(true)
    expect(outcome.message).toContain(
      `ignored 1 stale: deployment ${stale} of ${sha} is in_progress (run ${finished} has finished)`
    )
  })

  it('holds the lock for an unattributed deployment only until it is stale', async () => {
    await deploy({})
    const fresh = await deploymentLockProbe(spec(), context)
    expect(fresh.ok).toBe(false)
    expect(fresh.message).toMatch(/is pending \(no workflow run recorded, updated 0 min ago\)/)
    const later = await deploymentLockProbe(
      { ...spec(), now: () => Date.now() + 2 * 3_600_000 },
      context
    )
    expect(later.ok).toBe(true)
    expect(later.message).toContain('untouched for 120 min')
  })

  it('parses run ids', () => {
    expect(runIdFrom(null, 'https://github.com/o/r/actions/runs/123/job/4')).toBe(123)
    expect(runIdFrom('https://example.com/log')).toBeUndefined()
    expect(runIdFromPayload('{"run_id":"77"}')).toBe(77)
    expect(runIdFromPayload({ run_id: -1 })).toBeUndefined()
    expect(runIdFromPayload('not json')).toBeUndefined()
  })
})
