import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, dirStore } from '@slipway/backup'
import { repoRoot, runBundle } from '../helpers/run-bundle.js'
import { startPostgres, type PostgresServer } from '../services/postgres.js'
import { waitFor } from '../services/process.js'

// deploy-strategy as the runner runs it: the rehearsal gates a destructive migration before
// any hook runs, and a cancelled rehearsal drops its scratch database.

let pg: PostgresServer
let root: string
let storePath: string

const scratchDatabases = (): Promise<string> =>
  pg.sql("select count(*) from pg_database where datname like 'slipway\\_%'")

const inputs = (extra: Record<string, string>): Record<string, string> => ({
  strategy: 'blue-green',
  version: 'v2',
  provider: 'script',
  targets: 'blue=127.0.0.1:1\ngreen=127.0.0.1:2',
  'current-command': 'echo blue v1 100',
  'prepare-command': `touch ${root}/prepared`,
  'route-command': 'true',
  'health-check': 'command',
  'health-command': 'true',
  'record-deployment': 'false',
  'backup-path': storePath,
  'database-url': pg.url('app'),
  'rehearse-from': 'latest',
  'rehearsal-database-url-env': 'DATABASE_URL',
  ...extra
})

beforeAll(async () => {
  pg = await startPostgres()
  await pg.createDatabase('app')
  await pg.sql(
    "create table users (id serial primary key, email text not null unique, nick text); insert into users (email, nick) select 'u' || i || '@x', 'n' || i from generate_series(1, 100) i",
    'app'
  )
  root = mkdtempSync(join(tmpdir(), 'slipway-rehearsal-bundle-'))
  storePath = join(root, 'store')
  await backup({ source: { url: pg.url('app') }, store: dirStore(storePath) })
}, 120_000)

afterAll(async () => {
  await pg?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('deploy-strategy bundle', () => {
  it('stops a destructive migration before any hook runs; the summary shows the diff', async () => {
    const run = await runBundle('deploy-strategy', {
      inputs: inputs({
        'migrate-command': 'psql "$DATABASE_URL" -c "alter table users drop column nick"'
      }),
      timeoutMs: 120_000
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs['migration-verdict']).toBe('destructive')
    expect(run.outputs['migration-destructive']).toBe('true')
    expect(run.annotations.errors.join('\n')).toMatch(/allow-destructive-migration: true/)
    expect(run.summary).toMatch(/Migration rehearsal: destructive/)
    expect(run.summary).toMatch(/column-dropped/)
    // The password reaches the runner only to be masked.
    const stdout = run.stdout.replace(/^::add-mask::.*$/gm, '')
    for (const text of [stdout, run.stderr, run.summary, JSON.stringify(run.outputs)])
      expect(text).not.toContain(pg.password)
    expect(existsSync(join(root, 'prepared'))).toBe(false)
    expect(
      await pg.sql(
        "select count(*) from information_schema.columns where table_name = 'users' and column_name = 'nick'",
        'app'
      )
    ).toBe('1')
    expect(await scratchDatabases()).toBe('0')
  }, 150_000)

  it('cancelled while the migration runs on the copy: exits 143 and drops the scratch database', async () => {
    const marker = join(root, 'migrating')
    const runnerTemp = mkdtempSync(join(root, 'runner-temp-'))
    const files = ['output', 'summary', 'state', 'env', 'path'].map(name => join(runnerTemp, name))
    for (const file of files) writeFileSync(file, '')
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      RUNNER_TEMP: runnerTemp,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: files[0],
      GITHUB_STEP_SUMMARY: files[1],
      GITHUB_STATE: files[2],
      GITHUB_ENV: files[3],
      GITHUB_PATH: files[4]
    }
    for (const [name, value] of Object.entries(
      inputs({ 'migrate-command': `touch ${marker}; sleep 120` })
    ))
      env[`INPUT_${name.toUpperCase()}`] = value
    const action = spawn(
      process.execPath,
      [join(repoRoot, 'dist', 'deploy-strategy', 'index.js')],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env
      }
    )
    let output = ''
    action.stdout!.on('data', chunk => (output += chunk))
    action.stderr!.on('data', chunk => (output += chunk))
    const exited = new Promise<number | null>(resolve => action.once('exit', code => resolve(code)))
    await waitFor(
      'the migration to run on the copy',
      () => {
        if (action.exitCode !== null) throw new Error(`the action exited early: ${output}`)
        return existsSync(marker)
      },
      90_000
    )
    expect(await scratchDatabases()).toBe('1')
    action.kill('SIGTERM')
    expect(await exited).toBe(143)
    await waitFor(
      'the scratch database to be dropped',
      async () => (await scratchDatabases()) === '0',
      30_000
    )
    expect(existsSync(join(root, 'prepared'))).toBe(false)
  }, 150_000)
})
