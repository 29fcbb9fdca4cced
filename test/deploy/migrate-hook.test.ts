// The migrate-command as the deploy runs it (issue #14): a real hook through the script
// provider, called directly rather than through the bundle. A failing migration names its exit
// code and stderr, moves no traffic and tears the new slot down.
import { expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildDeployConfig, executePlan, makePlan } from '@slipway/strategies'
import { tempDir } from '../services/process.js'
import { testDeploySettings } from './helpers.js'

const dir = tempDir('migrate-hook')
process.env.MIGRATE_DIR = dir

test('a failing migrate-command aborts with its code and stderr; traffic untouched, slot torn down', async () => {
  const config = buildDeployConfig({
    strategy: 'blue-green',
    version: 'v3',
    environment: 'test',
    provider: 'script',
    ...testDeploySettings,
    targets: ['blue', 'green'],
    healthCheck: 'command',
    healthCommand: 'true',
    prepareCommand: 'printf %s "$SLIPWAY_VERSION" > "$MIGRATE_DIR/$SLIPWAY_SLOT.version"',
    routeCommand: 'printf %s "$SLIPWAY_WEIGHTS" > "$MIGRATE_DIR/routed"',
    retireCommand: 'rm -f "$MIGRATE_DIR/$SLIPWAY_SLOT.version"',
    migrateCommand: 'echo "relation users already exists" >&2; exit 3',
    releaseDir: join(dir, 'releases')
  })
  const live = { green: { version: 'v2', weight: 100 }, blue: { weight: 0 } }
  const plan = makePlan(config.provider.targets, live, config.request)
  expect(plan.steps.map(s => s.kind)).toEqual(['prepare', 'health', 'migrate', 'route', 'retire'])
  const result = await executePlan({
    provider: config.provider,
    plan,
    request: config.request,
    live
  })
  await config.provider.close()
  expect(result.status).toBe('failure')
  expect(result.error).toMatch(
    /migrate-command failed \(no traffic moved\).*code 3.*relation users/s
  )
  expect(existsSync(join(dir, 'routed'))).toBe(false)
  // blue was prepared for the migration, then torn down
  expect(existsSync(join(dir, 'blue.version'))).toBe(false)
  expect(result.timeline.map(e => e.step)).toContain('tear down')
})
