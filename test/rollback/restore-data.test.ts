import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { backup, dirStore } from '@slipway/backup'
import { tempDir } from '../services/process.js'
import { startHarness, type Harness } from './harness.js'

// restore-data round trip on SQLite: a backup is recorded with the deploy,
// the "bad" version changes the data, and the rollback takes a fresh verified backup, then
// restores the recorded one.

let h: Harness
const dataDir = tempDir('rollback-data')
const db = join(dataDir, 'app.db')
const dbUrl = `sqlite://${db}`
const store = tempDir('rollback-store')
const sql = (statement: string): string =>
  execFileSync('sqlite3', [db, statement], { encoding: 'utf8' }).trim()

beforeAll(async () => {
  h = await startHarness()
}, 60_000)
afterAll(async () => {
  await h?.close()
})

async function deploy(version: string, backupId?: string): Promise<number> {
  h.gh.state.addTag(version)
  const run = await h.run('deploy-strategy', {
    ...h.providerInputs,
    strategy: 'blue-green',
    version,
    environment: 'data',
    'keep-previous': '10m',
    'backup-id': backupId
  })
  expect(run.exitCode).toBe(0)
  return Number(run.outputs['deployment-id'])
}

test('restore-data: fresh verified backup, then the recorded backup is restored', async () => {
  sql(
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT); INSERT INTO orders (item) VALUES ('tea'), ('coffee');"
  )
  await deploy('v1.0.0')
  // the backup the backup stage takes (its package; the action is tested in test/backup)
  const taken = await backup({ source: { url: dbUrl }, store: dirStore(store) })
  const backupId = taken.manifest!.id
  expect(backupId).toBeTruthy()
  const bad = await deploy('v2.0.0', backupId)
  // v2's "migration" destroys data
  sql("DELETE FROM orders WHERE item = 'tea'; ALTER TABLE orders ADD COLUMN price INTEGER;")

  // a deployment without a recorded backup cannot restore: refused before any change
  const refused = await h.run('rollback', {
    ...h.providerInputs,
    environment: 'data',
    'restore-data': 'true',
    'deployment-id': String(bad),
    'database-url': dbUrl
  })
  expect(refused.exitCode).toBe(1)
  expect(refused.annotations.errors.join('\n')).toMatch(/backup-path/)

  const run = await h.run('rollback', {
    ...h.providerInputs,
    environment: 'data',
    'deployment-id': String(bad),
    'restore-data': 'true',
    'database-url': dbUrl,
    'backup-path': store
  })
  expect(run.annotations.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(run.outputs['rolled-back-to']).toBe('v1.0.0')
  expect(run.outputs['restored-backup-id']).toBe(backupId)
  // the data comes back before traffic: the old version finds the data it knew
  const plan = JSON.parse(run.outputs.plan) as { steps: { kind: string; backupId?: string }[] }
  expect(plan.steps.map(step => step.kind)).toEqual([
    'restore-data',
    'health',
    'route',
    'record',
    'mark-deployments',
    'mark-release'
  ])
  expect(plan.steps[0].backupId).toBe(backupId)
  expect(sql('SELECT group_concat(item) FROM orders ORDER BY id')).toBe('tea,coffee')
  expect(sql("SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'price'")).toBe('0')
  // the fresh backup (the bad version's data) is kept beside the restored one
  expect(
    readdirSync(store, { recursive: true }).filter(f => String(f).endsWith('.json')).length
  ).toBe(2)
  expect(run.summary).toMatch(/fresh backup .* verified, restored/)
  expect(await h.live()).toBe('v1.0.0')
}, 90_000)
