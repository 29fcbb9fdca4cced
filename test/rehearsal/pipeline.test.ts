// The pipeline takes the backup, then deploys: with a migrate-command and a backup store the
// migration is rehearsed on the backup this run took, before production is touched.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Inputs, Redactor, type RunnerEnv } from '@slipway/kit'
import { localBackends, parsePipelineSettings, runPipelineStage } from '@slipway/pipeline'
import { createSqliteApp, DROP_NICK, type SqliteApp } from './fixture.js'

let app: SqliteApp
let root: string
let dbPath: string

beforeAll(() => {
  app = createSqliteApp('slipway-rehearsal-pipeline-', "('a@x', 'a')")
  root = app.root
  dbPath = app.dbPath
})

afterAll(() => app?.remove())

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
    expect(app.hasNick()).toBe(true)
  }, 120_000)
})
