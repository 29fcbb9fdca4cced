import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { FileDeploymentRecords } from '@slipway/deployments'
import { LedgerFile, UserError, type Json } from '@slipway/kit'
import { fileFixture, git } from './deployment-records.fixtures.js'

jest.setTimeout(60_000)

// What only the file-backed records do: the file's layout, shared by the CLI's earlier local
// GitHub server and by other writers of the same file, and what a broken file gives.

/** A ledger as the CLI's local GitHub server wrote it: two deployments, statuses, a release. */
const SAMPLE = readFileSync(
  new URL('./deployment-records.sample-ledger.json', import.meta.url),
  'utf8'
)

let fixture: Awaited<ReturnType<typeof fileFixture>>
beforeEach(async () => {
  fixture = await fileFixture()
})
afterEach(async () => {
  await fixture.close()
})

const writeLedger = (text: string) => {
  mkdirSync(dirname(fixture.file.path), { recursive: true })
  writeFileSync(fixture.file.path, text)
}
const stored = () => JSON.parse(readFileSync(fixture.file.path, 'utf8')) as Json

describe('FileDeploymentRecords and the ledger written by earlier versions', () => {
  test("reads today's layout: history, statuses oldest first, lastGood, adoption and re-runs", async () => {
    writeLedger(SAMPLE)
    const records = new FileDeploymentRecords(fixture.file, { cwd: fixture.cwd, runId: '12' })
    const history = await records.history('staging')
    expect(history.map(d => [d.id, d.ref, d.sha, d.state])).toEqual([
      [4, 'build-7', '2'.repeat(40), 'failure'],
      [1, 'v1.0.0', '1'.repeat(40), 'success']
    ])
    expect(history[1]).toMatchObject({
      environment: 'staging',
      createdAt: '2025-03-04T10:00:00Z',
      payload: { version: 'v1.0.0', slot: 'blue', run_id: '11' }
    })
    expect(history[1].statuses).toEqual([
      {
        id: 2,
        state: 'in_progress',
        description: 'deploying v1.0.0',
        createdAt: '2025-03-04T10:00:01Z'
      },
      {
        id: 3,
        state: 'success',
        description: 'v1.0.0 is live',
        environmentUrl: 'http://127.0.0.1:8080/',
        createdAt: '2025-03-04T10:00:01Z'
      }
    ])
    expect((await records.lastGood('staging'))?.id).toBe(1)
    const adopted = await records.start({
      environment: 'staging',
      version: 'v1.0.0',
      deploymentId: 1,
      payload: { version: 'v1.0.0', strategy: 'blue-green' }
    })
    expect(adopted).toEqual({ created: false, deployment: history[1] })
    // run 12 made deployment 4: its re-run converges on it
    const rerun = await records.start({
      environment: 'staging',
      version: 'build-7',
      fallbackRef: fixture.commits['v1.0.0'],
      payload: { version: 'build-7', strategy: 'blue-green' }
    })
    expect(rerun).toEqual({ created: false, deployment: history[0] })
    expect(readFileSync(fixture.file.path, 'utf8')).toBe(SAMPLE)
  })

  test('writes the same layout, continuing the ids and keeping the releases', async () => {
    writeLedger(SAMPLE)
    const sample = JSON.parse(SAMPLE) as { deployments: Json[]; statuses: Record<string, Json[]> }
    const records = new FileDeploymentRecords(fixture.file, {
      cwd: fixture.cwd,
      repository: 'local/sample',
      runId: '13',
      runAttempt: '1'
    })
    const { deployment } = await records.start({
      environment: 'staging',
      version: 'v1.1.0',
      payload: { version: 'v1.1.0', strategy: 'blue-green', slot: 'blue' },
      productionEnvironment: false
    })
    await records.setStatus(deployment.id, 'success', 'v1.1.0 is live')
    const after = stored() as typeof sample & Json
    expect(deployment.id).toBe(8)
    expect(after.nextId).toBe(11) // a status of its own, and the inactive one for deployment 1
    expect(after.releases).toEqual(JSON.parse(SAMPLE).releases)
    const written = after.deployments[2]
    expect(Object.keys(written).sort()).toEqual(Object.keys(sample.deployments[0]).sort())
    expect(written).toMatchObject({
      id: 8,
      url: '{{slipway-ledger}}/repos/local/sample/deployments/8',
      sha: fixture.commits['v1.1.0'],
      ref: 'v1.1.0',
      task: 'deploy',
      payload: { slipway: 1, version: 'v1.1.0', run_id: '13', run_attempt: '1' },
      description: 'blue-green deploy of v1.1.0',
      production_environment: false,
      transient_environment: false
    })
    const [status] = after.statuses['8']
    expect(Object.keys(status).sort()).toEqual(Object.keys(sample.statuses['1'][0]).sort())
    expect(status).toMatchObject({
      id: 9,
      state: 'success',
      log_url: '',
      target_url: '',
      environment_url: '',
      deployment_url: '{{slipway-ledger}}/repos/local/sample/deployments/8'
    })
    // GitHub's auto_inactive, kept in the file newest first
    expect(after.statuses['1'].map(s => [s.id, s.state])).toEqual([
      [10, 'inactive'],
      [3, 'success'],
      [2, 'in_progress']
    ])
  })
})

describe('FileDeploymentRecords in the checkout', () => {
  test('commits: annotated tags peeled, a build number on its fallback, else HEAD; links and times as given', async () => {
    const { cwd, file, commits } = fixture
    git(cwd, 'tag', '-a', 'v2.0.0', '-m', 'annotated', commits['v1.1.0'])
    const records = new FileDeploymentRecords(file, {
      cwd,
      logUrl: 'https://ci.example.com/runs/5',
      clock: { now: () => Date.parse('2025-06-07T08:09:10.987Z') }
    })
    const start = (version: string, fallbackRef?: string) =>
      records.start({
        environment: 'qa',
        version,
        fallbackRef,
        payload: { version, strategy: 'rolling' }
      })
    const tagged = (await start('v2.0.0')).deployment
    expect(tagged.sha).toBe(commits['v1.1.0'])
    const built = (await start('build-8', 'v1.0.0')).deployment
    expect(built).toMatchObject({ ref: 'build-8', sha: commits['v1.0.0'] })
    const bare = (await start('build-9')).deployment
    expect(bare).toMatchObject({ ref: 'build-9', sha: commits['v1.2.0'] })
    expect(tagged.createdAt).toBe('2025-06-07T08:09:10Z')
    expect(records.logUrl).toBe('https://ci.example.com/runs/5')
    expect(await records.setStatus(bare.id, 'success', 'ok')).toMatchObject({
      logUrl: 'https://ci.example.com/runs/5',
      createdAt: '2025-06-07T08:09:10Z'
    })
    const written = (stored().deployments as Json[])[0]
    expect(written.url).toBe(
      `{{slipway-ledger}}/repos/local/${basename(cwd)}/deployments/${tagged.id}`
    )
    expect(new FileDeploymentRecords(file, { cwd }).logUrl).toBeUndefined()
  })

  test("two instances on one file, and a release written in between, keep each other's data", async () => {
    const { cwd, file } = fixture
    const first = new FileDeploymentRecords(file, { cwd, runId: '1' })
    const second = new FileDeploymentRecords(new LedgerFile(file.path), { cwd, runId: '2' })
    const start = (records: FileDeploymentRecords, version: string) =>
      records.start({ environment: 'staging', version, payload: { version, strategy: 'rolling' } })
    const a = (await start(first, 'v1.0.0')).deployment
    const b = (await start(second, 'v1.1.0')).deployment
    await second.setStatus(b.id, 'success', 'b is live')
    file.update(data => {
      data.releases.push({ id: LedgerFile.nextId(data), tag_name: 'v1.1.0', draft: true })
    })
    await first.setStatus(a.id, 'success', 'a is live')
    const history = await second.history('staging')
    expect(history.map(d => [d.id, d.statuses.map(s => s.state)])).toEqual([
      [b.id, ['success', 'inactive']],
      [a.id, ['success']]
    ])
    const data = file.read()
    expect(data.releases.map(r => r.tag_name)).toEqual(['v1.1.0'])
    const ids = [
      ...data.deployments.map(d => d.id),
      ...Object.values(data.statuses).flatMap(list => list.map(s => s.id)),
      ...data.releases.map(r => r.id)
    ]
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toHaveLength(6)
  })

  test('a corrupt file, or one that is not a ledger, is a UserError and stays as it was', async () => {
    const records = fixture.records()
    const start = () =>
      records.start({
        environment: 'staging',
        version: 'v1.0.0',
        payload: { version: 'v1.0.0', strategy: 'rolling' }
      })
    writeLedger('{"slipwayLedger": 1, "deployments": [')
    await expect(records.history('staging')).rejects.toBeInstanceOf(UserError)
    await expect(start()).rejects.toThrow(/is not valid JSON/)
    await expect(records.setStatus(1, 'success', 'x')).rejects.toBeInstanceOf(UserError)
    expect(readFileSync(fixture.file.path, 'utf8')).toBe('{"slipwayLedger": 1, "deployments": [')
    writeLedger('{"deployments": []}')
    await expect(start()).rejects.toThrow(/is not a Slipway ledger/)
    await expect(records.lastGood('staging')).rejects.toBeInstanceOf(UserError)
    expect(readFileSync(fixture.file.path, 'utf8')).toBe('{"deployments": []}')
  })

  test('a status for a deployment the ledger does not hold is a UserError and writes nothing', async () => {
    writeLedger(SAMPLE)
    const setting = fixture.records().setStatus(99, 'success', 'x')
    await expect(setting).rejects.toBeInstanceOf(UserError)
    await expect(setting).rejects.toThrow(/Deployment 99 does not exist in the ledger/)
    expect(readFileSync(fixture.file.path, 'utf8')).toBe(SAMPLE)
  })
})
