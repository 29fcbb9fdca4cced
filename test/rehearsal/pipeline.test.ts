// The pipeline takes the backup, then deploys: with a migrate-command and a backup store the
// migration is rehearsed on the backup this run took, before production is touched.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs, Redactor, type RunnerEnv } from '@slipway/kit'
import { localBackends, parsePipelineSettings, runPipelineStage } from '@slipway/pipeline'

let root: string
let dbPath: string
const previousUrl = process.env.DATABASE_URL

const sqlite = (sql: string): string =>
  execFileSync('sqlite3', ['-batch', dbPath, sql], { encoding: 'utf8' }).trim()

const DROP_NICK = 'sqlite3 "${DATABASE_URL#sqlite://}" "alter table users drop column nick"'

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-rehearsal-pipeline-'))
  mkdirSync(join(root, 'state'))
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
    "create table users (id integer primary key, email text not null, nick text); insert into users (email, nick) values ('a@x', 'a')"
  )
  process.env.DATABASE_URL = `sqlite://${dbPath}`
})

afterAll(() => {
  if (previousUrl === undefined) delete process.env.DATABASE_URL
  else process.env.DATABASE_URL = previousUrl
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('the pipeline rehearses the migration on the backup it just took', () => {
  it('a destructive migration stops the deploy; the rehearsal named the run’s backup', async () => {
    const state = join(root, 'state')
    const values: Record<string, string> = {
      version: 'v2',
      stages: 'backup,deploy',
      'database-url': `sqlite://${dbPath}`,
      'backup-path': join(root, 'store'),
      strategy: 'blue-green',
      targets: 'blue=127.0.0.1:1\ngreen=127.0.0.1:2',
      'prepare-command': `echo "$SLIPWAY_SLOT" >> ${state}/prepared`,
      'route-command': 'true',
      'health-check': 'command',
      'health-command': 'true',
      'current-command': 'echo blue=v1:100',
      'migrate-command': DROP_NICK,
      'rehearsal-database-url-env': 'DATABASE_URL'
    }
    const runnerEnv: RunnerEnv = { workspace: root, runnerTemp: root, repository: 'acme/shop' }
    // the ledger file records the deployment; the token only satisfies the front end's check
    const settings = parsePipelineSettings(new Inputs(name => values[name]), runnerEnv, {
      token: 'unused-by-the-ledger-file'
    })
    const lines: string[] = []
    const progress = {
      info: (l: string) => void lines.push(l),
      warning: (l: string) => void lines.push(l)
    }
    const outcome = await runPipelineStage(settings, {
      backends: localBackends(
        { ledgerPath: join(root, 'ledger.json'), cwd: root, repository: 'local/app', runnerEnv },
        progress
      ),
      io: { secret: () => undefined, redactor: new Redactor(), variables: process.env }
    })
    const backupId = outcome.result.runs.find(run => run.stage === 'backup')?.outputs['backup-id']
    expect(backupId).toMatch(/\S/)
    expect(outcome.failure?.message).toMatch(/destructive/)
    const deploy = outcome.result.runs.find(run => run.stage === 'deploy')
    expect(deploy?.summary).toContain(String(backupId))
    // production untouched: nothing prepared, the column still there
    expect(existsSync(join(state, 'prepared'))).toBe(false)
    expect(sqlite("select count(*) from pragma_table_info('users') where name = 'nick'")).toBe('1')
  }, 120_000)
})
