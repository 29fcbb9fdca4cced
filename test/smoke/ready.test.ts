import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { planSmoke, runSmoke, runUntilReady, type SmokeCheck } from '@slipway/smoke'
import { smokeInputs } from './helpers/inputs.js'
import { readyAfterAttempts, startAppServer, type AppServer } from './helpers/servers.js'

let app: AppServer
beforeAll(async () => {
  app = await startAppServer()
})
afterAll(async () => {
  await app.close()
})

const check = (
  name: string,
  path: string,
  extra: Partial<SmokeCheck['spec']> = {},
  policy: Partial<SmokeCheck> = {}
): SmokeCheck => ({
  name,
  spec: { url: `${app.url}${path}`, ...extra },
  requestTimeoutMs: 2000,
  ...policy
})

describe('runUntilReady against a local server', () => {
  it('waits for a slow-starting server and passes once it is ready', async () => {
    const flap = readyAfterAttempts(app, 3)
    const [result] = await runUntilReady(
      [check('flap', '/flap', { json: [{ path: '$.status', equals: 'ok' }] })],
      {
        deadline: Date.now() + 20_000,
        retryDelayMs: 200,
        maxRetryDelayMs: 400,
        concurrency: 4
      }
    ).finally(() => flap.stop())
    expect(result).toMatchObject({ passed: true, httpStatus: 200 })
    expect(result.attempts).toBeGreaterThan(3)
  })

  it('makes a last attempt at the deadline: ready just before it still passes', async () => {
    // Backoff 300 → 600 → 1200 (capped at 5 s) would next try at ~4.2 s; the deadline at 2.4 s forces an attempt there.
    app.resetFlap(2200)
    const [result] = await runUntilReady([check('flap', '/flap')], {
      deadline: Date.now() + 2400,
      retryDelayMs: 300,
      maxRetryDelayMs: 5000,
      concurrency: 1
    })
    expect(result.passed).toBe(true)
  })

  it('fails a server that keeps answering 500 at the deadline, with the status and body', async () => {
    // A loop that ignored the deadline would never end: the test's own timeout would fail it.
    const [result] = await runUntilReady([check('fail', '/fail')], {
      deadline: Date.now() + 1200,
      retryDelayMs: 200,
      maxRetryDelayMs: 400,
      concurrency: 1
    })
    expect(result.passed).toBe(false)
    expect(result.httpStatus).toBe(500)
    expect(result.message).toMatch(/→ status 500, expected 200-399 \(after \d+ attempts\)$/)
    expect(result.attempts).toBeGreaterThanOrEqual(3)
    expect(result.bodyExcerpt).toContain('Internal Server Error')
  })

  it('honours a check’s retries', async () => {
    const [result] = await runUntilReady([check('fail', '/fail', {}, { maxAttempts: 2 })], {
      deadline: Date.now() + 10_000,
      retryDelayMs: 50,
      maxRetryDelayMs: 50,
      concurrency: 1
    })
    expect(result.attempts).toBe(2)
  })

  it('fails a slow answer over its latency budget and a wrong JSON value', async () => {
    const results = await runUntilReady(
      [
        check('slow', '/slow', { maxLatencyMs: 100 }, { maxAttempts: 1 }),
        check(
          'json',
          '/wrong-json',
          { json: [{ path: '$.status', equals: 'ok' }] },
          { maxAttempts: 1 }
        ),
        check('health', '/health', { json: [{ path: '$.version', equals: '1.4.2' }] })
      ],
      { deadline: Date.now() + 5000, retryDelayMs: 100, maxRetryDelayMs: 100, concurrency: 3 }
    )
    expect(results.map(r => r.passed)).toEqual([false, false, true])
    expect(results[0].message).toMatch(/latency \d+ms over the budget of 100ms/)
    expect(results[1].message).toContain('$.status is "degraded", expected "ok"')
  })

  it('bounds a hanging request by the request timeout', async () => {
    app.slowMs = 1500
    try {
      // Without the timeout the answer would come after 1.5 s and pass: failing with this message
      // proves the bound, however slow the machine.
      const [result] = await runUntilReady(
        [check('hang', '/slow', {}, { maxAttempts: 1, requestTimeoutMs: 300 })],
        {
          deadline: Date.now() + 5000,
          retryDelayMs: 100,
          maxRetryDelayMs: 100,
          concurrency: 1
        }
      )
      expect(result.passed).toBe(false)
      expect(result.message).toMatch(/no answer within 300ms/)
    } finally {
      app.slowMs = 300
    }
  })
})

describe('runSmoke', () => {
  it('runs checks in parallel and skips the later stages when a check fails', async () => {
    const plan = planSmoke(
      smokeInputs({
        baseUrl: app.url,
        checks: [
          { name: 'health', url: '/health' },
          { name: 'broken', url: '/fail', retries: 0 }
        ],
        loadDurationMs: 1000,
        watchMs: 1000,
        watchIntervalMs: 500
      })
    )
    const lines: string[] = []
    const report = await runSmoke(plan, { info: line => lines.push(line) })
    expect(report.passed).toBe(false)
    expect(report.failed).toEqual(['broken'])
    expect(report.skipped).toEqual(['load', 'watch'])
    expect(report.message).toMatch(/^broken: GET .*\/fail → status 500/)
    expect(lines.some(line => line.startsWith('✗ broken'))).toBe(true)
  })
})
