// Blue-green and canary fail closed (issue #14): every failure path, driven in memory. The
// provider's calls, in order, are what a failure does; the plan says beforehand what it will do.
import { describe, expect, test } from '@jest/globals'
import {
  blueGreen,
  blueLive,
  canary,
  deploy,
  observedErrorRate,
  request,
  slots
} from './helpers.js'

const refused = { ok: false, message: 'connection refused' }

describe('blue-green and canary failure paths', () => {
  test('health fails: evidence, then the new slot is torn down; traffic never moved', async () => {
    const { calls, result } = await deploy(slots, blueLive, request(blueGreen), {
      health: name => (name === 'green' ? refused : undefined)
    })
    // 1 s deadline, 100 ms apart: checks at 0, 100 … 1000 ms of the fake clock.
    expect(calls).toEqual([
      'prepare green v2',
      ...Array<string>(11).fill('health green v2'),
      'diagnose green v2',
      'retire green v2'
    ])
    expect(result.status).toBe('failure')
    expect(result.error).toBe(
      'health gate failed after 1s (green unhealthy): green: connection refused'
    )
    expect(result.diagnostics).toEqual([{ target: 'green', text: 'last lines of green v2' }])
    expect(result.timeline.map(e => [e.step, e.ok])).toEqual([
      ['prepare', true],
      ['failed', false],
      ['tear down', true]
    ])
  })

  test('the first route is refused: nothing to route back, the new slot is torn down', async () => {
    const { calls, result } = await deploy(slots, blueLive, request(canary('10,50')), {
      route: call => (call === 1 ? 'router refused the change' : undefined)
    })
    expect(calls).toEqual([
      'prepare green v2',
      'health green v2',
      'route blue=90 green=10',
      'retire green v2'
    ])
    expect(result).toMatchObject({ status: 'failure', error: 'router refused the change' })
    expect(result.diagnostics).toBeUndefined()
  })

  test('a later route is refused: traffic goes back to stable before the teardown', async () => {
    const { calls, result, clock } = await deploy(slots, blueLive, request(canary('10,50')), {
      route: call => (call === 2 ? 'router refused the change' : undefined)
    })
    expect(calls).toEqual([
      'prepare green v2',
      'health green v2',
      'route blue=90 green=10',
      'route blue=50 green=50',
      'route blue=100 green=0',
      'retire green v2'
    ])
    expect(result.status).toBe('failure')
    expect(result.timeline.find(e => e.step === 'route back')).toMatchObject({
      ok: true,
      detail: '100% to stable blue (v1)'
    })
    // in-flight requests get the drain delay after the route back, before green stops
    expect(clock.sleeps).toContain(250)
  })

  test('analysis fails mid-canary: route back, evidence, teardown', async () => {
    const observed = { errorRate: 0 }
    const { calls, result } = await deploy(
      slots,
      blueLive,
      request(canary('10,50'), { analysisConfigured: true }),
      {
        // The canary turns bad once it takes half of the traffic.
        route: (_, weights) => {
          if (weights.green === 50) observed.errorRate = 0.3
          return undefined
        }
      },
      observedErrorRate(observed)
    )
    expect(calls).toEqual([
      'prepare green v2',
      'health green v2',
      'route blue=90 green=10',
      'route blue=50 green=50',
      'route blue=100 green=0',
      'diagnose green v2',
      'retire green v2'
    ])
    expect(result.analyses.map(a => a.ok)).toEqual([true, false])
    expect(result.status).toBe('failure')
    expect(result.error).toMatch(
      /^analysis failed at 50%: 1 failed measurement\(s\), more than failure-limit 0: error rate 0.3$/
    )
    expect(result.diagnostics).toEqual([{ target: 'green', text: 'last lines of green v2' }])
  })

  test('migrate fails: no traffic moved, the new slot is torn down', async () => {
    const { calls, result, plan } = await deploy(
      slots,
      blueLive,
      request(blueGreen, {
        migrateCommand: 'npm run migrate',
        migrate: () => Promise.reject(new Error('relation users already exists'))
      })
    )
    expect(plan.steps[2]).toEqual({
      kind: 'migrate',
      command: 'npm run migrate',
      when: 'after-health'
    })
    expect(calls).toEqual(['prepare green v2', 'health green v2', 'retire green v2'])
    expect(result.error).toBe(
      'migrate-command failed (no traffic moved): relation users already exists'
    )
  })

  test('the failure path fails too: each failure is in the timeline, the path goes on', async () => {
    const observed = { errorRate: 0.5 }
    const { calls, result } = await deploy(
      slots,
      blueLive,
      request(canary('10'), { analysisConfigured: true }),
      {
        route: call => (call === 2 ? 'router unreachable' : undefined),
        retire: () => 'docker daemon gone'
      },
      observedErrorRate(observed)
    )
    expect(calls).toEqual([
      'prepare green v2',
      'health green v2',
      'route blue=90 green=10',
      'route blue=100 green=0',
      'diagnose green v2',
      'retire green v2'
    ])
    expect(result.status).toBe('failure')
    expect(result.error).toMatch(/^analysis failed at 10%/)
    expect(result.timeline.filter(e => !e.ok).map(e => [e.step, e.detail])).toEqual([
      ['analysis', expect.stringMatching(/^at 10%: 1 failed measurement/)],
      ['failed', result.error],
      ['route back', 'FAILED — traffic may still reach green: router unreachable'],
      ['tear down', 'green failed: docker daemon gone']
    ])
  })

  test('first deployment: no stable slot to return to; a failed gate tears the new slot down', async () => {
    const { calls, result, plan } = await deploy(slots, {}, request(canary('10,50')), {
      health: () => ({ ok: false, fatal: true, message: 'exited (code 1)' })
    })
    expect(plan.onFailure.map(s => s.kind)).toEqual(['diagnose', 'tear-down'])
    expect(calls).toEqual([
      'prepare blue v2',
      'health blue v2',
      'diagnose blue v2',
      'retire blue v2'
    ])
    expect(result.status).toBe('failure')
  })

  test('success runs the plan and nothing of its failure path', async () => {
    const { calls, result, clock } = await deploy(
      slots,
      blueLive,
      request(canary('- setWeight: 10\n- pause: 30s'))
    )
    expect(calls).toEqual([
      'prepare green v2',
      'health green v2',
      'route blue=90 green=10',
      'route blue=0 green=100',
      'retire blue v1'
    ])
    expect(result.status).toBe('success')
    // the 30 s pause is the fake clock's, not the test's
    expect(clock.sleeps).toContain(30_000)
  })
})
