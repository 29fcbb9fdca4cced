import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Inputs, InputError, LedgerFile, SummaryBuilder } from '@slipway/kit'
import { backup, dirStore } from '@slipway/backup'
import { FileDeploymentRecords } from '@slipway/deployments'
import {
  deployOutputs,
  parseDeploySettings,
  renderDeploySummary,
  runDeployStage
} from '@slipway/strategies'
import {
  ADD_NICK,
  createSqliteApp,
  DROP_NICK,
  progress,
  runnerEnv as runnerEnvOf,
  type SqliteApp
} from './fixture.js'

let app: SqliteApp
let root: string
let dbPath: string
let storePath: string
let backupId: string

function inputs(values: Record<string, string>): Inputs {
  const state = join(root, 'state')
  return new Inputs(
    name =>
      ({
        strategy: 'blue-green',
        version: 'v2',
        provider: 'script',
        targets: 'blue=127.0.0.1:1\ngreen=127.0.0.1:2',
        'prepare-command': `echo "$SLIPWAY_SLOT" >> ${state}/prepared`,
        'route-command': `echo "$SLIPWAY_WEIGHTS" >> ${state}/routed`,
        'health-check': 'command',
        'health-command': 'true',
        'keep-previous': '0',
        'current-command': 'echo blue=v1:100',
        'backup-path': storePath,
        'database-url': `sqlite://${dbPath}`,
        'rehearsal-database-url-env': 'DATABASE_URL',
        'record-deployment': 'false',
        ...values
      })[name]
  )
}

const runnerEnv = () => runnerEnvOf(root)

beforeAll(async () => {
  app = createSqliteApp('slipway-rehearsal-deploy-', "('a@x', 'a'), ('b@x', 'b')")
  root = app.root
  dbPath = app.dbPath
  storePath = join(root, 'store')
  const { manifest } = await backup({
    source: { engine: 'sqlite', url: dbPath },
    store: dirStore(storePath),
    name: 'app'
  })
  backupId = manifest!.id
}, 60_000)

afterEach(() => rmSync(join(root, 'state', 'prepared'), { force: true }))

afterAll(() => app?.remove())

describe('deploy-strategy rehearses the migration before it changes anything', () => {
  it('a destructive migration stops the deploy before prepare; the summary shows the diff', async () => {
    const settings = parseDeploySettings(
      inputs({ 'migrate-command': DROP_NICK, 'rehearse-from': 'latest' }),
      runnerEnv()
    )
    const result = await runDeployStage(settings, { progress })
    expect(result.result.status).toBe('failure')
    expect(result.result.error).toMatch(
      /destructive.*users\.nick is dropped.*allow-destructive-migration: true.*nothing was changed/
    )
    expect(existsSync(join(root, 'state', 'prepared'))).toBe(false)
    expect(app.hasNick()).toBe(true)
    const outputs = deployOutputs(result)
    expect(outputs['migration-verdict']).toBe('destructive')
    expect(outputs['migration-destructive']).toBe('true')
    expect(outputs['migration-diff-digest']).toMatch(/^sha256:/)
    const summary = new SummaryBuilder()
    renderDeploySummary(result, summary)
    expect(summary.toString()).toMatch(/Migration rehearsal: destructive/)
    expect(summary.toString()).toMatch(/column-dropped.*users.*nick/)
  }, 60_000)

  it('allowed, it deploys; the Deployment records the verdict and the rehearsed down-command', async () => {
    const ledger = join(root, 'ledger.json')
    const records = new FileDeploymentRecords(new LedgerFile(ledger), { cwd: root })
    const settings = parseDeploySettings(
      inputs({
        'migrate-command': DROP_NICK,
        'down-command': ADD_NICK,
        'backup-id': backupId,
        'allow-destructive-migration': 'true',
        'record-deployment': 'true',
        'github-token': 'unused-by-file-records'
      }),
      runnerEnv()
    )
    const result = await runDeployStage(settings, { progress, records })
    expect(result.result.error).toBeUndefined()
    expect(result.result.status).toBe('success')
    expect(result.result.timeline[0]).toEqual(
      expect.objectContaining({ step: 'rehearse-migration', ok: true })
    )
    // The production migration ran after the rehearsal.
    expect(app.hasNick()).toBe(false)
    const payload = result.deployment!.payload
    expect(payload).toEqual(
      expect.objectContaining({
        migration_verdict: 'destructive',
        migration_destructive: true,
        migration_diff_digest: deployOutputs(result)['migration-diff-digest'],
        migration_backup_id: backupId,
        down_command: ADD_NICK,
        down_command_rehearsed: true
      })
    )
    expect(typeof payload.migration_rehearsal_ms).toBe('number')
    app.sql('alter table users add column nick text')
  }, 60_000)

  it('bad input: a down-command without a migrate-command, rehearse-from without a store', () => {
    expect(() => parseDeploySettings(inputs({ 'down-command': ADD_NICK }), runnerEnv())).toThrow(
      InputError
    )
    expect(() => parseDeploySettings(inputs({ 'down-command': ADD_NICK }), runnerEnv())).toThrow(
      /down-command/
    )
    expect(() =>
      parseDeploySettings(
        inputs({ 'migrate-command': DROP_NICK, 'rehearse-from': 'latest', 'backup-path': '' }),
        runnerEnv()
      )
    ).toThrow(/backup-path/)
    expect(() =>
      parseDeploySettings(
        inputs({
          'migrate-command': DROP_NICK,
          'rehearse-from': 'latest',
          'rehearsal-database-url-env': 'INPUT_X'
        }),
        runnerEnv()
      )
    ).toThrow(/rehearsal-database-url-env/)
  })

  it('bad input: rehearse-from naming a missing backup fails before anything is prepared', async () => {
    const settings = parseDeploySettings(
      inputs({ 'migrate-command': DROP_NICK, 'rehearse-from': 'app-missing' }),
      runnerEnv()
    )
    await expect(runDeployStage(settings, { progress })).rejects.toThrow(/rehearse-from/)
    expect(existsSync(join(root, 'state', 'prepared'))).toBe(false)
  }, 60_000)
})
