import { describe, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { InputError, Inputs, type RunnerEnv } from '@slipway/kit'
import { parseRollbackSettings } from '@slipway/rollback'
import { tempDir } from '../services/process.js'

// Issue #16: slipway.yml says `rollback.restore-data: true` for the pipeline's automatic
// rollback (it restores the backup its own run took). The database URL is a secret given to
// the pipeline step, not in the file. A later manual rollback reading the same file must not
// turn into a data restore nobody asked for — and fail, dry run included, asking for it.

const hooks = {
  provider: 'script',
  targets: 'blue=127.0.0.1:8081\ngreen=127.0.0.1:8082',
  'prepare-command': './deploy/prepare.sh',
  'route-command': './deploy/route.sh',
  'current-command': './deploy/current.sh'
}

function workspaceWith(config: object): RunnerEnv {
  const workspace = tempDir('manual-rollback-ws')
  writeFileSync(join(workspace, 'slipway.yml'), stringify(config))
  return { workspace, runnerTemp: tempDir('manual-rollback-temp'), repository: 'acme/shop' }
}

const config = {
  version: 1,
  defaults: {
    backup: { path: '/srv/backups/shop' },
    deploy: hooks,
    rollback: { 'restore-data': true }
  }
}

const parse = (values: Record<string, string>, runnerEnv: RunnerEnv) =>
  parseRollbackSettings(new Inputs(name => values[name]), runnerEnv, { token: 'token-for-test' })

describe("a manual rollback with the pipeline's slipway.yml", () => {
  test('dry run: traffic only, no restore asked of it, no error', () => {
    const settings = parse(
      { environment: 'production', 'config-file': 'slipway.yml', 'dry-run': 'true' },
      workspaceWith(config)
    )
    expect(settings.restore).toBeUndefined()
    // the rest of the file still applies: the deploy section's provider and hooks
    expect(settings.provider.currentCommand).toBe('./deploy/current.sh')
    expect(settings.provider.targets).toEqual(['blue=127.0.0.1:8081', 'green=127.0.0.1:8082'])
  })

  test('the step asks for the restore: the file still supplies the backup store', () => {
    const settings = parse(
      {
        environment: 'production',
        'config-file': 'slipway.yml',
        'restore-data': 'true',
        'database-url': 'postgres://app@127.0.0.1/shop'
      },
      workspaceWith(config)
    )
    expect(settings.restore?.path).toBe('/srv/backups/shop')
  })

  test('the step asks for the restore without the database: named, as before', () => {
    let thrown: unknown
    try {
      parse(
        { environment: 'production', 'config-file': 'slipway.yml', 'restore-data': 'true' },
        workspaceWith(config)
      )
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).input).toBe('database-url')
  })
})
