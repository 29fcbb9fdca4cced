// Rolling fails closed across the fleet (issue #13): when batch k fails, the failed batch and
// every host already moved by batches 1..k-1 go back to the previous version, most recent first,
// each behind the health gate, and end in service. A host that cannot be restored stays drained
// and is named. Judged from the hooks' own records (files and an event log), not from time.
import { beforeEach, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ScriptProvider } from '@slipway/providers'
import { executePlan, makePlan, type DeployRequest } from '@slipway/strategies'
import { tempDir } from '../services/process.js'

const dir = tempDir('rolling-revert')
process.env.ROLL_DIR = dir
const hosts = ['web1', 'web2', 'web3']

// Each host's running version lives in a file; the health hook passes only when the host runs
// the expected version and no "broken" marker names that host and version.
const provider = (): ScriptProvider =>
  new ScriptProvider({
    targets: hosts.map(name => ({ name })),
    environment: 'test',
    kind: 'host',
    hookTimeoutMs: 10_000,
    prepareCommand:
      'printf %s "$SLIPWAY_VERSION" > "$ROLL_DIR/$SLIPWAY_HOST.version"; echo "prepare $SLIPWAY_HOST $SLIPWAY_VERSION" >> "$ROLL_DIR/events"',
    routeCommand:
      'printf %s "$SLIPWAY_WEIGHTS" > "$ROLL_DIR/weights"; echo "route $SLIPWAY_WEIGHTS" >> "$ROLL_DIR/events"',
    healthCommand:
      'test "$(cat "$ROLL_DIR/$SLIPWAY_HOST.version")" = "$SLIPWAY_VERSION" && ! grep -qx "$SLIPWAY_HOST $SLIPWAY_VERSION" "$ROLL_DIR/broken" 2>/dev/null',
    healthCheck: 'command'
  })

const request: DeployRequest = {
  version: 'v2',
  options: { strategy: 'rolling', batchSize: 1, maxUnavailable: 1 },
  healthTimeoutMs: 300,
  healthIntervalMs: 20,
  drainDelayMs: 0
}
const live = Object.fromEntries(hosts.map(h => [h, { version: 'v1', weight: 1 }]))
const read = (name: string): string => readFileSync(join(dir, name), 'utf8').trim()

beforeEach(() => {
  for (const file of ['events', 'weights', 'broken', ...hosts.map(h => `${h}.version`)])
    rmSync(join(dir, file), { force: true })
  for (const host of hosts) writeFileSync(join(dir, `${host}.version`), 'v1')
})

describe('rolling over 3 hosts when batch 2 fails', () => {
  test('hosts 1 and 2 go back to the old version, most recent first, and all are in service', async () => {
    writeFileSync(join(dir, 'broken'), 'web2 v2\n')
    const script = provider()
    const result = await executePlan({
      provider: script,
      plan: makePlan(script.targets, live, request),
      request,
      live
    })
    expect(result.status).toBe('failure')
    expect(result.error).toMatch(/health gate failed.*web2/)
    expect(hosts.map(h => read(`${h}.version`))).toEqual(['v1', 'v1', 'v1'])
    expect(read('weights')).toBe('web1=1,web2=1,web3=1')
    const prepares = read('events')
      .split('\n')
      .filter(e => e.startsWith('prepare'))
    // forward: web1 v2, web2 v2; back: the failed web2 first, then web1; web3 untouched
    expect(prepares).toEqual([
      'prepare web1 v2',
      'prepare web2 v2',
      'prepare web2 v1',
      'prepare web1 v1'
    ])
    // web1 was drained before it was put back on v1
    const events = read('events').split('\n')
    const drainWeb1 = events.findIndex(
      (e, i) => i > events.indexOf('prepare web2 v1') && e === 'route web1=0,web2=1,web3=1'
    )
    expect(drainWeb1).toBeGreaterThan(-1)
    expect(drainWeb1).toBeLessThan(events.indexOf('prepare web1 v1'))
    const restores = result.timeline.filter(e => e.step === 'restore')
    expect(restores.filter(e => !e.ok)).toEqual([])
    expect(restores.map(e => e.detail)).toEqual(
      expect.arrayContaining(['web2 back on v1', 'web1 back on v1'])
    )
  })

  test('a host that cannot be restored stays drained and is named', async () => {
    writeFileSync(join(dir, 'broken'), 'web2 v2\nweb1 v1\n')
    const script = provider()
    const result = await executePlan({
      provider: script,
      plan: makePlan(script.targets, live, request),
      request,
      live
    })
    expect(result.status).toBe('failure')
    expect(read('weights')).toBe('web1=0,web2=1,web3=1')
    const failed = result.timeline.filter(e => e.step === 'restore' && !e.ok)
    expect(failed.map(e => e.detail).join('\n')).toMatch(
      /web1 could not be restored to v1 \(left drained\)/
    )
  })
})
