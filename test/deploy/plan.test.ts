import { describe, expect, test } from '@jest/globals'
import { InputError } from '@slipway/kit'
import {
  parseKnownHosts,
  isKnownKey,
  parseDestination,
  parseUpstream,
  renderUpstream,
  parseCurrent
} from '@slipway/providers'
import {
  describeStep,
  makePlan,
  parseCanarySteps,
  parseHostCount,
  parseTargets,
  runAnalysis,
  type DeployRequest,
  type Metric
} from '@slipway/strategies'
import { createHmac } from 'node:crypto'

const slots = parseTargets(['blue=127.0.0.1:8081', 'green=127.0.0.1:8082'])
const hosts = parseTargets([
  'web1=10.0.0.1:80',
  'web2=10.0.0.2:80',
  'web3=10.0.0.3:80',
  'web4=10.0.0.4:80',
  'web5=10.0.0.5:80'
])
const request = (
  options: DeployRequest['options'],
  extra: Partial<DeployRequest> = {}
): DeployRequest => ({
  version: 'v2',
  options,
  healthTimeoutMs: 1000,
  healthIntervalMs: 100,
  ...extra
})

describe('canary steps', () => {
  test('numbers and YAML', () => {
    expect(parseCanarySteps('5,25,50,100')).toEqual([
      { setWeight: 5 },
      { setWeight: 25 },
      { setWeight: 50 },
      { setWeight: 100 }
    ])
    expect(parseCanarySteps('10 50')).toEqual([
      { setWeight: 10 },
      { setWeight: 50 },
      { setWeight: 100 }
    ])
    expect(
      parseCanarySteps('- setWeight: 5\n- pause: 30s\n- analysis: {}\n- pause: 2\n- analysis:')
    ).toEqual([
      { setWeight: 5 },
      { pause: 30_000 },
      { analysis: true },
      { pause: 2000 },
      { analysis: true },
      { setWeight: 100 }
    ])
  })
  test.each([
    '50,25',
    '0,50',
    '5,101',
    'abc: [',
    '- pause: 1s',
    '- setWeight: 5\n- pause: soon',
    '[]',
    '- {setWeight: 5, pause: 1s}',
    '- setWeight: 5\n- analysis: {interval: 5m}'
  ])('%j is an InputError naming steps', text => {
    expect(() => parseCanarySteps(text)).toThrow(InputError)
    expect(() => parseCanarySteps(text)).toThrow(/Input 'steps'/)
  })
})

describe('host counts', () => {
  test('counts and percentages (rounded up)', () => {
    expect(parseHostCount('2', 5, 'batch-size')).toBe(2)
    expect(parseHostCount('25%', 5, 'batch-size')).toBe(2)
    expect(parseHostCount('1%', 5, 'batch-size')).toBe(1)
    for (const bad of ['0', '0%', '-1', '150%', 'two'])
      expect(() => parseHostCount(bad, 5, 'batch-size')).toThrow(/Input 'batch-size'/)
  })
})

describe('plans', () => {
  test('blue-green: idle slot, switch, keep previous warm', () => {
    const plan = makePlan(
      slots,
      { blue: { version: 'v1', weight: 100 } },
      request({ strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 60_000 })
    )
    expect(plan).toMatchObject({
      slot: 'green',
      previousSlot: 'blue',
      previousVersion: 'v1',
      rollbackTarget: 'v1 on slot blue'
    })
    expect(plan.steps.map(describeStep)).toEqual([
      'prepare v2 on green',
      'health gate green',
      'route: switch all traffic to green (blue=0, green=100)'
    ])
    expect(plan.notes.join()).toMatch(/stays warm/)
  })
  test('blue-green: migrate after prepare and health, before any route; retire when keep-previous is 0', () => {
    const plan = makePlan(
      slots,
      { green: { version: 'v1', weight: 100 } },
      request(
        { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 },
        { migrate: async () => undefined }
      )
    )
    expect(plan.steps.map(s => s.kind)).toEqual(['prepare', 'health', 'migrate', 'route', 'retire'])
    expect(plan.slot).toBe('blue')
  })
  test('the live version again is a no-op', () => {
    const plan = makePlan(
      slots,
      { blue: { version: 'v2', weight: 100 }, green: { version: 'v1', weight: 0 } },
      request({ strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 })
    )
    expect(plan.steps).toEqual([])
  })
  test('canary: weights per step with analysis after each partial weight when configured', () => {
    const plan = makePlan(
      slots,
      { blue: { version: 'v1', weight: 100 } },
      request(
        { strategy: 'canary', steps: parseCanarySteps('5,50'), keepPreviousMs: 0 },
        { analysisConfigured: true }
      )
    )
    expect(plan.weights).toEqual([5, 50, 100])
    expect(plan.steps.map(s => s.kind)).toEqual([
      'prepare',
      'health',
      'route',
      'analysis',
      'route',
      'analysis',
      'route',
      'retire'
    ])
  })
  test('rolling: batches capped by max-unavailable, hosts already on the version skipped', () => {
    const live = Object.fromEntries(
      hosts.map(h => [h.name, { version: h.name === 'web1' ? 'v2' : 'v1', weight: 1 }])
    )
    const plan = makePlan(
      hosts,
      live,
      request({ strategy: 'rolling', batchSize: 3, maxUnavailable: 2 })
    )
    expect(plan.batches).toEqual([['web1', 'web2'], ['web3', 'web4'], ['web5']])
    // Each batch is drained, prepared, health-gated and re-enabled, every action its own step.
    const perBatch = (batch: number, hosts: string[]) =>
      ['drain', 'prepare', 'health', 'enable'].map(kind => ({ kind, batch, targets: hosts }))
    expect(
      plan.steps.map(s => ({
        kind: s.kind,
        batch: 'batch' in s ? s.batch : undefined,
        targets: 'targets' in s ? s.targets : undefined
      }))
    ).toEqual([
      ...perBatch(1, ['web2']),
      ...perBatch(2, ['web3', 'web4']),
      ...perBatch(3, ['web5'])
    ])
    expect(plan.steps[0]).toMatchObject({
      weights: { web1: 1, web2: 0, web3: 1, web4: 1, web5: 1 }
    })
    expect(plan.previousVersion).toBe('v1')
    expect(plan.notes.join()).toMatch(/capped at max-unavailable 2/)
  })
})

describe('analysis (Argo Rollouts semantics)', () => {
  // The analysis reads time through the clock it is given. Here the clock moves only when a
  // measurement says so (`msPerMeasurement`), so the outcome depends on the measurements alone,
  // never on how fast a busy machine runs the loop.
  let clockMs = 0
  const now = () => clockMs
  const metric = (results: boolean[], msPerMeasurement = 0): Metric & { calls: number } => {
    const m = {
      name: 'scripted',
      calls: 0,
      async measure() {
        const ok = results[Math.min(m.calls, results.length - 1)]
        m.calls++
        clockMs += msPerMeasurement
        return { ok, message: ok ? 'fine' : 'bad' }
      }
    }
    return m
  }
  const policy = { intervalMs: 2000, sampleEveryMs: 20, failureLimit: 1, consecutiveSuccesses: 3 }
  test('passes after consecutive successes', async () => {
    const m = metric([true, false, true, true, true])
    const run = await runAnalysis(policy, [m], now)
    expect(run).toMatchObject({ ok: true, failures: 1 })
    expect(m.calls).toBe(5)
  })
  test('fails as soon as failures exceed the limit', async () => {
    const m = metric([false, true, false, true, true, true])
    const run = await runAnalysis(policy, [m], now)
    expect(run.ok).toBe(false)
    expect(m.calls).toBe(3)
    expect(run.reason).toMatch(/2 failed measurement\(s\), more than failure-limit 1: bad/)
  })
  test('interval end: passes within the limit, fails with no success', async () => {
    // each measurement takes 40 ms of the 100 ms interval: the third one ends it
    const passing = metric([true], 40)
    const passed = await runAnalysis(
      { ...policy, intervalMs: 100, sampleEveryMs: 40, consecutiveSuccesses: 99 },
      [passing],
      now
    )
    expect(passed).toMatchObject({ ok: true, reason: 'interval ended with 0 failure(s) (limit 1)' })
    expect(passing.calls).toBe(3)
    const failing = metric([false], 40)
    const failed = await runAnalysis(
      { ...policy, intervalMs: 100, sampleEveryMs: 40, failureLimit: 99 },
      [failing],
      now
    )
    expect(failed).toMatchObject({
      ok: false,
      reason: 'interval ended without a successful measurement'
    })
    expect(failing.calls).toBe(3)
  })
  test('a throwing metric is a failed measurement', async () => {
    const run = await runAnalysis(
      { ...policy, failureLimit: 0 },
      [{ name: 'boom', measure: async () => Promise.reject(new Error('down')) }],
      now
    )
    expect(run).toMatchObject({ ok: false })
    expect(run.reason).toMatch(/boom: down/)
  })
})

describe('providers: parsing and rendering', () => {
  test('nginx upstream round trip, drained servers are down', () => {
    const text = renderUpstream('app', slots, { blue: 95, green: 5 })
    expect(text).toContain('server 127.0.0.1:8081 weight=95; # blue')
    expect(parseUpstream(text)).toEqual({ blue: 95, green: 5 })
    expect(parseUpstream(renderUpstream('app', slots, { blue: 100, green: 0 }))).toEqual({
      blue: 100,
      green: 0
    })
  })
  test('known_hosts: plain, [host]:port, hashed, wrong key', () => {
    const key = Buffer.from('key-bytes')
    const salt = Buffer.from('salt-salt-salt-salt!')
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('db.example.com').digest('base64')}`
    const revoked = Buffer.from('revoked-key-bytes')
    const text = `# comment\n[127.0.0.1]:2222 ssh-ed25519 ${key.toString('base64')}\n${hashed} ssh-ed25519 ${key.toString('base64')}\n[127.0.0.1]:2222 ssh-ed25519 ${revoked.toString('base64')}\n@revoked * ssh-ed25519 ${revoked.toString('base64')}\n`
    expect(parseKnownHosts(text)).toHaveLength(3)
    // A revoked key is refused even though a plain line lists it.
    expect(isKnownKey(text, '127.0.0.1', 2222, revoked)).toBe(false)
    expect(isKnownKey(text, '127.0.0.1', 2222, key)).toBe(true)
    expect(isKnownKey(text, '127.0.0.1', 22, key)).toBe(false)
    expect(isKnownKey(text, '127.0.0.12', 2222, key)).toBe(false)
    expect(isKnownKey(text, 'db.example.com', 22, key)).toBe(true)
    expect(isKnownKey(text, 'db.example.com', 22, Buffer.from('other'))).toBe(false)
  })
  test('targets, destinations and current-command output', () => {
    expect(parseTargets(['web1=10.0.0.5:8080 ssh=deploy@10.0.0.5:2222'])).toEqual([
      { name: 'web1', address: '10.0.0.5:8080', ssh: 'deploy@10.0.0.5:2222' }
    ])
    for (const bad of [['a=b c'], ['x;rm=1.2.3.4:80'], ['a', 'a'], ['a=host:port']])
      expect(() => parseTargets(bad)).toThrow(/Input 'targets'/)
    expect(parseDestination('deploy@host')).toEqual({ user: 'deploy', host: 'host', port: 22 })
    expect(parseCurrent('blue v1 100\n# note\ngreen - 0\n')).toEqual({
      blue: { version: 'v1', weight: 100 },
      green: { version: undefined, weight: 0 }
    })
  })
})
