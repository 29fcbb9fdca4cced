import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Inputs, LedgerFile, UserError } from '@slipway/kit'
import { backup, dirStore } from '@slipway/backup'
import { FileDeploymentRecords } from '@slipway/deployments'
import { parseDeploySettings, runDeployStage } from '@slipway/strategies'
import { parseRollbackSettings, runRollbackStage } from '@slipway/rollback'
import {
  ADD_NICK,
  createSqliteApp,
  DROP_NICK,
  progress,
  rejectionOf,
  runnerEnv as runnerEnvOf,
  type SqliteApp
} from './fixture.js'

let app: SqliteApp
let root: string
let state: string
let dbPath: string
let storePath: string
let records: FileDeploymentRecords

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
const runnerEnv = () => runnerEnvOf(root)
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
  app = createSqliteApp('slipway-rehearsal-rollback-', "('a@x', 'a'), ('b@x', 'b')")
  root = app.root
  state = app.state
  dbPath = app.dbPath
  storePath = join(root, 'store')
  await backup({ source: { engine: 'sqlite', url: dbPath }, store: dirStore(storePath) })
  records = new FileDeploymentRecords(new LedgerFile(join(root, 'ledger.json')), { cwd: root })
}, 60_000)

afterAll(() => app?.remove())

describe('rollback after a migration', () => {
  it('runs the recorded, rehearsed down-command before traffic moves back', async () => {
    await deploy('a', 'v1')
    await deploy('a', 'v2', {
      'migrate-command': DROP_NICK,
      'down-command': ADD_NICK,
      'rehearse-from': 'latest',
      'allow-destructive-migration': 'true'
    })
    expect(app.hasNick()).toBe(false)
    const result = await rollBack('a')
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('success')
    expect(app.hasNick()).toBe(true)
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
    expect(app.hasNick()).toBe(false)
    const routed = readFileSync(join(state, 'routed'), 'utf8')
    const error = await rejectionOf(rollBack('b'))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toMatch(/code-only rollback is refused.*destructive migration/)
    expect((error as UserError).hint).toMatch(/restore-data: true.*down-command/)
    // Nothing changed: no route, the Deployment of v2 still live.
    expect(readFileSync(join(state, 'routed'), 'utf8')).toBe(routed)
    expect((await records.lastGood('b'))?.payload.version).toBe('v2')
  }, 60_000)
})
