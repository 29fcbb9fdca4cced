// Every wait says it is still waiting: lines are counted by what the fake clock went through,
// never by how long the test took.
import { describe, expect, it } from '@jest/globals'
import { heartbeat, inGroup, type Progress } from '@slipway/kit'
import {
  executePlan,
  makePlan,
  parseCanarySteps,
  runAnalysis,
  type Metric
} from '@slipway/strategies'
import { FakeClock, FakeProvider } from '../strategies/fake-provider.js'
import { blueLive, request, slots } from '../strategies/helpers.js'

function collect(): { lines: string[]; info: (line: string) => void } {
  const lines: string[] = []
  return { lines, info: line => lines.push(line) }
}

describe('heartbeat', () => {
  it('prints one line per interval of a long sleep, none before the first interval', async () => {
    const clock = new FakeClock()
    const out = collect()
    const beat = heartbeat(out, clock, 15_000, elapsed => `waited ${elapsed}`)
    beat.tick()
    expect(out.lines).toEqual([])
    await beat.sleep(61_000)
    expect(out.lines).toEqual(['waited 15000', 'waited 30000', 'waited 45000', 'waited 60000'])
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(61_000)
  })

  it('counts from the last line across short sleeps and ticks', async () => {
    const clock = new FakeClock()
    const out = collect()
    const beat = heartbeat(out, clock, 1000, elapsed => `at ${elapsed}`)
    for (let i = 0; i < 10; i++) {
      await beat.sleep(300)
      beat.tick()
    }
    // 3000 ms in 300 ms steps: a line at 1000 (via the slice), 2000, 3000.
    expect(out.lines).toEqual(['at 1000', 'at 2000', 'at 3000'])
    expect(beat.lines).toBe(3)
  })
})

describe('groups', () => {
  it('uses the port’s group when it has one, else a header line', async () => {
    const events: string[] = []
    const grouped: Progress = {
      info: line => events.push(`info ${line}`),
      warning: () => undefined,
      group: async (name, fn) => {
        events.push(`start ${name}`)
        const value = await fn()
        events.push(`end ${name}`)
        return value
      }
    }
    expect(await inGroup(grouped, 'deploy', async () => 'done')).toBe('done')
    expect(events).toEqual(['start deploy', 'end deploy'])
    const plain = collect()
    await inGroup({ info: plain.info, warning: () => undefined }, 'smoke', async () => {
      plain.info('inside')
    })
    expect(plain.lines).toEqual(['── smoke ──', 'inside'])
  })
})

describe('the deploy’s waits', () => {
  it('the health gate logs the attempt and the last answer while a target is not up', async () => {
    let checks = 0
    const provider = new FakeProvider(slots, blueLive, {
      health: name => {
        checks++
        return name === 'green' && checks <= 40 ? { ok: false, message: 'HTTP 503' } : undefined
      }
    })
    const clock = new FakeClock()
    const deploy = request(
      { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 },
      {
        healthTimeoutMs: 60_000,
        healthIntervalMs: 1000
      }
    )
    const out = collect()
    const result = await executePlan({
      provider,
      plan: makePlan(provider.targets, blueLive, deploy),
      request: deploy,
      live: blueLive,
      clock,
      log: out.info,
      progressEveryMs: 15_000
    })
    expect(result.status).toBe('success')
    // 40 failed checks 1 s apart: lines at 15 s and 30 s of waiting, none after it passed.
    const waiting = out.lines.filter(line => line.startsWith('health gate: waiting'))
    expect(waiting).toHaveLength(2)
    expect(waiting[0]).toMatch(
      /waiting for green — attempt 16, 15\.0s of 1m 00s; last answer: green: HTTP 503/
    )
  })

  it('a canary pause logs the time left and the weights', async () => {
    const provider = new FakeProvider(slots, blueLive)
    const clock = new FakeClock()
    const deploy = request(
      {
        strategy: 'canary',
        steps: parseCanarySteps('- setWeight: 10\n- pause: 1m'),
        keepPreviousMs: 0
      },
      {}
    )
    const out = collect()
    await executePlan({
      provider,
      plan: makePlan(provider.targets, blueLive, deploy),
      request: deploy,
      live: blueLive,
      clock,
      log: out.info,
      progressEveryMs: 15_000
    })
    const pauses = out.lines.filter(line => line.startsWith('pause:'))
    expect(pauses).toEqual([
      'pause: 45.0s of 1m 00s left (weights blue=90 green=10)',
      'pause: 30.0s of 1m 00s left (weights blue=90 green=10)',
      'pause: 15.0s of 1m 00s left (weights blue=90 green=10)'
    ])
  })

  it('analysis logs the latest measurement between measurements', async () => {
    const clock = new FakeClock()
    let n = 0
    const metric: Metric = {
      name: 'error-rate',
      measure: async () => {
        n++
        return { ok: true, value: 0.01, message: `error rate 1% (measurement ${n})` }
      }
    }
    const out = collect()
    const run = await runAnalysis(
      { intervalMs: 120_000, sampleEveryMs: 10_000, failureLimit: 1, consecutiveSuccesses: 100 },
      [metric],
      () => clock.now(),
      ms => clock.sleep(ms),
      { log: out.info, everyMs: 15_000 }
    )
    expect(run.ok).toBe(true)
    expect(out.lines.length).toBeGreaterThanOrEqual(7)
    expect(out.lines[0]).toMatch(
      /^analysis: 2 measurement\(s\), 0 failed \(limit 1\), 15\.0s of 2m 00s; latest: error rate 1% \(measurement 2\)$/
    )
  })

  it('without a log a wait is one sleep, as before', async () => {
    const provider = new FakeProvider(slots, blueLive)
    const clock = new FakeClock()
    const deploy = request({
      strategy: 'canary',
      steps: parseCanarySteps('- setWeight: 10\n- pause: 1m'),
      keepPreviousMs: 0
    })
    await executePlan({
      provider,
      plan: makePlan(provider.targets, blueLive, deploy),
      request: deploy,
      live: blueLive,
      clock
    })
    expect(clock.sleeps).toContain(60_000)
  })
})
