// The smoke test's retries say what they wait for, and its verdict names each check once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { SummaryBuilder } from '@slipway/kit'
import { planSmoke, renderSummary, runSmoke } from '@slipway/smoke'
import { smokeInputs } from '../smoke/helpers/inputs.js'
import { startAppServer, type AppServer } from '../smoke/helpers/servers.js'

let app: AppServer
beforeAll(async () => {
  app = await startAppServer()
})
afterAll(async () => {
  await app.close()
})

describe('smoke retries and summary', () => {
  it('logs each retry wait with the attempt and the last answer; the verdict is not repeated', async () => {
    const plan = planSmoke(
      smokeInputs({
        baseUrl: app.url,
        checks: [{ url: '/fail' }],
        timeoutMs: 1500,
        retryIntervalMs: 100
      })
    )
    const lines: string[] = []
    // A 1 ms interval: every retry sleep is due a line, so lines follow attempts, not timing.
    const report = await runSmoke(plan, { info: line => lines.push(line), progressEveryMs: 1 })
    expect(report.passed).toBe(false)
    const waits = lines.filter(line => line.startsWith('GET /fail: not ready — attempt '))
    expect(waits.length).toBeGreaterThanOrEqual(1)
    expect(waits[0]).toMatch(
      /^GET \/fail: not ready — attempt 1, [\d.]+m?s of 1\.5s; last answer: GET http:\/\/127\.0\.0\.1:\d+\/fail → status 500/
    )
    // Named after its request, the check is not named twice ("GET /fail: GET http://…").
    expect(report.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/fail → status 500/)
    expect(
      lines.some(line => /^✗ GET http:\/\/127\.0\.0\.1:\d+\/fail → status 500/.test(line))
    ).toBe(true)
    const summary = new SummaryBuilder()
    renderSummary(report, summary)
    const text = summary.toString()
    expect(text).not.toMatch(/GET \/fail: GET/)
    expect(text).toMatch(/\| ❌ \| GET \/fail \| http:\/\/127\.0\.0\.1:\d+\/fail \| 500 \|/)
  })
})
