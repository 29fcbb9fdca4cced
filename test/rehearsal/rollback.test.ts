import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs, LedgerFile, UserError } from '@slipway/kit'
import { backup, dirStore } from '@slipway/backup'
import { FileDeploymentRecords } from '@slipway/deployments'
import { parseDeploySettings, runDeployStage } from '@slipway/strategies'
import { parseRollbackSettings, runRollbackStage } from '@slipway/rollback'

let root: string
let state: string
let dbPath: string
let storePath: string
let records: FileDeploymentRecords
const previousUrl = process.env.DATABASE_URL

const sqlite = (sql: string): string =>
  execFileSync('sqlite3', ['-batch', dbPath, sql], { encoding: 'utf8' }).trim()
const hasNick = (): boolean =>
  sqlite("select count(*) from pragma_table_info('users') where name = 'nick'") === '1'

const DROP_NICK = 'sqlite3 "${DATABASE_URL#sqlite://}" "alter table users drop column nick"'
const ADD_NICK = 'sqlite3 "${DATABASE_URL#sqlite://}" "alter table users add column nick text"'

const provider = (): Record<string, string> => ({
  provider: 'script',
  targets: 'blue=127.0.0.1:1\ngreen=127.0.0.1:2',
  'prepare-command': `echo "$SLIPWAY_SLOT $SLIPWAY_VERSION" >> ${state}/prepared`,
  'route-command': `echo "$SLIPWAY_WEIGHTS" >> ${state}/routed`,
  'retire-command': 'true',
  'health-check': 'command',
  'health-command': 'true',
  'github-token': 'unused-by-file-records'
})
const runnerEnv = () => ({
  workspace: root,
  runnerTemp: root,
  repository: 'acme/shop',
  sha: 'HEAD'
})
const progress = { info: () => undefined, warning: () => undefined }
const inputsOf = (values: Record<string, string>): Inputs =>
  new Inputs(name => ({ ...provider(), ...values })[name])

async function deploy(environment: string, version: string, extra: Record<string, string> = {}) {
  const settings = parseDeploySettings(
    inputsOf({
      strategy: 'blue-green',
      version,
      environment,
      'keep-previous': '10m',
      'backup-path': storePath,
      'database-url': `sqlite://${dbPath}`,
      'rehearsal-database-url-env': 'DATABASE_URL',
      ...extra
    }),
    runnerEnv()
  )
  const result = await runDeployStage(settings, { progress, records })
  expect(result.result.error).toBeUndefined()
  return result
}

const rollBack = (environment: string) =>
  runRollbackStage(parseRollbackSettings(inputsOf({ environment }), runnerEnv()), {
    records,
    progress
  })

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'slipway-rehearsal-rollback-'))
  state = join(root, 'state')
  mkdirSync(state)
  execFileSync('git', ['init', '-q', root])
  execFileSync('git', [
    '-C',
    root,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@t',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'init'
  ])
  dbPath = join(root, 'app.db')
  sqlite(
    "create table users (id integer primary key, email text not null, nick text); insert into users (email, nick) values ('a@x', 'a'), ('b@x', 'b')"
  )
  storePath = join(root, 'store')
  await backup({ source: { engine: 'sqlite', url: dbPath }, store: dirStore(storePath) })
  records = new FileDeploymentRecords(new LedgerFile(join(root, 'ledger.json')), { cwd: root })
  process.env.DATABASE_URL = `sqlite://${dbPath}`
}, 60_000)

afterAll(() => {
  if (previousUrl === undefined) delete process.env.DATABASE_URL
  else process.env.DATABASE_URL = previousUrl
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('rollback after a migration', () => {
  it('runs the recorded, rehearsed down-command before traffic moves back', async () => {
    await deploy('a', 'v1')
    await deploy('a', 'v2', {
      'migrate-command': DROP_NICK,
      'down-command': ADD_NICK,
      'rehearse-from': 'latest',
      'allow-destructive-migration': 'true'
    })
    expect(hasNick()).toBe(false)
    const result = await rollBack('a')
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('success')
    expect(hasNick()).toBe(true)
    const steps = result.plan.steps.map(s => s.kind)
    expect(steps.indexOf('down-migration')).toBeGreaterThanOrEqual(0)
    expect(steps.indexOf('down-migration')).toBeLessThan(steps.indexOf('route'))
    const events = result.timeline.map(e => e.step)
    expect(events.indexOf('down-migration')).toBeLessThan(events.indexOf('traffic'))
  }, 60_000)

  it('refuses a code-only rollback after a destructive migration, naming both choices', async () => {
    await deploy('b', 'v1')
    await deploy('b', 'v2', {
      'migrate-command': DROP_NICK,
      'rehearse-from': 'latest',
      'allow-destructive-migration': 'true'
    })
    expect(hasNick()).toBe(false)
    const routed = readFileSync(join(state, 'routed'), 'utf8')
    const error = await rollBack('b').then(
      () => new Error('no error'),
      (e: unknown) => e as Error
    )
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toMatch(/code-only rollback is refused.*destructive migration/)
    expect((error as UserError).hint).toMatch(/restore-data: true.*down-command/)
    // Nothing changed: no route, the Deployment of v2 still live.
    expect(readFileSync(join(state, 'routed'), 'utf8')).toBe(routed)
    expect((await records.lastGood('b'))?.payload.version).toBe('v2')
  }, 60_000)
})
