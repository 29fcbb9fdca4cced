import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs, InputError, SummaryBuilder, type RunnerEnv } from '@slipway/kit'
import {
  backupFailure,
  backupOutputs,
  parseBackupSettings,
  renderBackupSummary,
  runBackupOperation
} from '@slipway/backup'

const inputsOf = (values: Record<string, string>): Inputs => new Inputs(name => values[name])

describe('backup stage API', () => {
  const root = mkdtempSync(join(tmpdir(), 'slipway-backup-stage-'))
  const runnerEnv: RunnerEnv = { workspace: root, runnerTemp: root, repository: 'acme/app' }
  const progress = { info: () => undefined, warning: () => undefined }

  it('reads only the chosen operation’s inputs and lists its secrets', () => {
    const prune = parseBackupSettings(
      inputsOf({ operation: 'prune', path: 'b', 'keep-last': '2', 'database-url': '%%%' }),
      runnerEnv
    )
    expect(prune).toMatchObject({ operation: 'prune', keepLast: 2, store: { kind: 'dir' } })
    expect(prune.source).toBeUndefined()
    const restore = parseBackupSettings(
      inputsOf({
        operation: 'restore',
        path: 'b',
        'database-url': 'postgres://app:s3cret-pw@db/app',
        store: 'artifact',
        'artifact-run-id': '7',
        'github-token': 'ghs_tokenvalue'
      }),
      runnerEnv
    )
    expect(restore.backupId).toBe('latest')
    expect(restore.store).toMatchObject({
      kind: 'artifact',
      findBy: { workflowRunId: 7, repositoryOwner: 'acme', repositoryName: 'app' }
    })
    expect(restore.secrets).toEqual(expect.arrayContaining(['ghs_tokenvalue', 's3cret-pw']))
    expect(() => parseBackupSettings(inputsOf({ store: 'dir' }), runnerEnv)).toThrow(InputError)
  })

  it('backs files up to a dir store, then lists them, with outputs and a summary', async () => {
    mkdirSync(join(root, 'site'))
    writeFileSync(join(root, 'site', 'index.html'), '<h1>hi</h1>')
    const store = join(root, 'store')
    const made = await runBackupOperation(
      parseBackupSettings(
        inputsOf({ engine: 'files', paths: 'site', path: store, verify: 'true' }),
        runnerEnv
      ),
      { progress }
    )
    const outputs = backupOutputs(made)
    expect(outputs).toMatchObject({ verified: true, location: expect.stringContaining(store) })
    expect(backupFailure(made)).toBeUndefined()
    const listed = await runBackupOperation(
      parseBackupSettings(inputsOf({ operation: 'list', path: store }), runnerEnv),
      { progress }
    )
    expect(backupOutputs(listed)['backup-id']).toBe(outputs['backup-id'])
    const summary = new SummaryBuilder()
    renderBackupSummary(listed, summary)
    expect(summary.toString()).toContain(`## Backups in ${store}`)
  })

  it('refuses the artifact store without GitHub’s artifact service', async () => {
    const settings = parseBackupSettings(
      inputsOf({ operation: 'list', store: 'artifact' }),
      runnerEnv
    )
    await expect(runBackupOperation(settings, { progress })).rejects.toMatchObject({
      name: 'UserError',
      hint: expect.stringContaining('store: dir')
    })
  })
})
