import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHarness, type Harness } from '../rollback/harness.js'
import { GitFixture } from '../release/git-fixture.js'
import { mirrorCommits } from '../release/emulator-mirror.js'
import { tempDir } from '../services/process.js'
import { callTable, runCountedPipeline, writeConfig, type CountedRun } from './pipeline-run.js'

// The GitHub API calls of a full pipeline: preflight with github-checks and the deployment
// lock, a backup, a blue-green deploy, the smoke test, and a release with three assets (two
// files and SHA256SUMS) that moves the major tag. Counted per stage against the emulator,
// which validates every call against GitHub's API description.

/** Calls each stage may make; the whole run at most TOTAL. */
const BUDGET: Record<string, number> = {
  preflight: 4,
  backup: 0,
  deploy: 4,
  smoke: 0,
  release: 8
}
const TOTAL = 16

let h: Harness
let repo: GitFixture
let head: string
let configFile: string

/** The job's environment: a workflow run of its own that is running, as on GitHub. */
const jobEnv = (): Record<string, string> =>
  h.env({
    GITHUB_SHA: head,
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_RUN_ID: String(h.gh.state.addWorkflowRun({ status: 'in_progress', head_sha: head })),
    GITHUB_SERVER_URL: 'https://github.com'
  })

const pipeline = (inputs: Record<string, string>): Promise<CountedRun> =>
  runCountedPipeline(
    h.gh,
    {
      environment: 'staging',
      'config-file': configFile,
      'smoke-url': h.proxy.url,
      'smoke-timeout': '5s',
      ...inputs
    },
    jobEnv()
  )

/** Earlier finished deployments of an environment, oldest first, each with a success status. */
function seedHistory(count: number, environment = 'staging'): void {
  for (let i = 0; i < count; i++)
    h.gh.state.addDeployment({
      ref: head,
      environment,
      payload: {
        slipway: 1,
        version: `v0.${i}.0`,
        strategy: 'blue-green',
        run_id: String(100 + i)
      },
      statuses: ['in_progress', 'success']
    })
}

beforeAll(async () => {
  h = await startHarness()
  repo = await GitFixture.create('slipway-budget-')
  const first = await repo.commit('feat: the app', { files: { 'app.txt': 'app\n' } })
  await repo.git('tag', '-a', 'v1.0.0', '-m', 'v1.0.0', first)
  head = await repo.commit('feat: a detail', { files: { 'app.txt': 'app 2\n' } })
  mkdirSync(join(repo.dir, 'out'))
  writeFileSync(join(repo.dir, 'out', 'app-linux.tar.gz'), 'linux build')
  writeFileSync(join(repo.dir, 'out', 'app-darwin.tar.gz'), 'darwin build')
  await mirrorCommits(repo.dir, h.gh)
  // v1.0.0 was released before: its annotated tag, its release and the major tag v1.
  h.gh.state.addTag('v1.0.0', first, { message: 'v1.0.0' })
  h.gh.state.addTag('v1', first)
  h.gh.state.addRelease({ tag_name: 'v1.0.0', target_commitish: first, name: 'v1.0.0' })
  h.gh.state.addCheckRun(head, { name: 'build' })
  const dir = tempDir('budget-config')
  const database = join(dir, 'app.db')
  spawnSync('sqlite3', [database, 'create table t(x); insert into t values (1),(2);'])
  configFile = writeConfig(dir, {
    version: 1,
    defaults: {
      preflight: { 'github-checks': true, 'deployment-lock': true },
      backup: { 'database-url': `sqlite://${database}`, store: 'dir', path: join(dir, 'backups') },
      deploy: { ...h.providerInputs, strategy: 'blue-green', 'keep-previous': '10m' },
      smoke: { 'expect-status': '200' },
      release: { assets: 'out/*.tar.gz', 'major-tag': true }
    }
  })
}, 120_000)

afterAll(async () => {
  await h?.close()
  repo?.remove()
})

describe('GitHub API calls of a full pipeline', () => {
  test(`v1.1.0 after 3 deployments: each stage within its budget, ≤ ${TOTAL} calls in all`, async () => {
    seedHistory(3)
    const run = await pipeline({ version: 'v1.1.0' })
    console.log(callTable(run, BUDGET))
    expect(run.outcome.failure).toBeUndefined()
    expect(run.outcome.result.runs.map(r => `${r.stage}:${r.status}`)).toEqual([
      'preflight:success',
      'backup:success',
      'deploy:success',
      'smoke:success',
      'release:success'
    ])
    // What the run did, so the count is of a complete pipeline and not of one that skipped work.
    const release = h.gh.state.releases.find(r => r.tag_name === 'v1.1.0')
    expect(release).toMatchObject({ draft: false })
    expect(
      h.gh.state
        .assets(release!.id as number)
        .map(a => a.name)
        .sort()
    ).toEqual(['SHA256SUMS', 'app-darwin.tar.gz', 'app-linux.tar.gz'])
    expect(h.gh.state.refs['refs/tags/v1']).toBe(head)
    expect(h.gh.state.resolveCommit('v1.1.0')).toBe(head)
    const deployment = h.gh.state.deployments.at(-1)!
    expect(deployment).toMatchObject({ sha: head, environment: 'staging' })
    expect(deployment.payload).toMatchObject({ version: 'v1.1.0' })
    expect(await h.live()).toBe('v1.1.0')

    const over = run.stages
      .filter(s => s.requests.length > (BUDGET[s.stage] ?? 0))
      .map(s => `${s.stage}: ${s.requests.length} > ${BUDGET[s.stage] ?? 0}`)
    expect(over).toEqual([])
    expect(run.total).toBeLessThanOrEqual(TOTAL)
  }, 180_000)

  test('the deployment lock costs the same with 3 and with 60 earlier deployments', async () => {
    seedHistory(3, 'qa')
    seedHistory(60, 'perf')
    const preflightCalls = async (environment: string) => {
      const run = await pipeline({ version: 'v1.1.0', environment, stages: 'preflight' })
      expect(run.outcome.failure).toBeUndefined()
      const [stage] = run.stages
      expect(stage.stage).toBe('preflight')
      return stage.requests
    }
    const short = await preflightCalls('qa')
    const long = await preflightCalls('perf')
    console.log(`3 deployments:\n  ${short.join('\n  ')}\n60 deployments:\n  ${long.join('\n  ')}`)
    expect(long.length).toBe(short.length)
    expect(long.length).toBeLessThanOrEqual(BUDGET.preflight)
  }, 120_000)
})
