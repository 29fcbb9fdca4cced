// Blue-green in two runs (switch: false, then a run that switches), driven in memory: the first
// prepares and gates the idle slot and moves no traffic; the second finds the version already on
// that slot, does not prepare it again, switches, and keeps the old slot warm when asked to.
import { describe, expect, test } from '@jest/globals'
import { SummaryBuilder } from '@slipway/kit'
import { renderSummary, runDeploy, type DeployConfig } from '@slipway/strategies'
import { FakeClock, FakeProvider } from './fake-provider.js'
import { blueGreen, blueLive, deploy, request, slots } from './helpers.js'

describe('blue-green with switch: false, then a run that switches', () => {
  test('switch: false prepares and gates the idle slot; no traffic moves', async () => {
    const { calls, result, plan } = await deploy(
      slots,
      blueLive,
      request({ ...blueGreen, switchTraffic: false })
    )
    expect(calls).toEqual(['prepare green v2', 'health green v2'])
    expect(result.status).toBe('prepared')
    expect(plan.notes).toContain(
      'switch: false — v2 is prepared and healthy on slot green; traffic stays on blue'
    )
  })

  test('the next run does not prepare again, switches, and keeps the old slot warm', async () => {
    // what the first run left: v2 on green without traffic, v1 serving from blue
    const live = { blue: { version: 'v1', weight: 100 }, green: { version: 'v2', weight: 0 } }
    const provider = new FakeProvider(slots, live)
    const config: DeployConfig = {
      strategy: 'blue-green',
      version: 'v2',
      environment: 'production',
      dryRun: false,
      provider,
      request: request({ ...blueGreen, keepPreviousMs: 10 * 60_000 }),
      describeAnalysis: [],
      health: { kind: 'http', describe: 'http' }
    }
    const outcome = await runDeploy(config, undefined, undefined, new FakeClock())
    expect(provider.calls).toEqual(['check', 'health green v2', 'route blue=0 green=100', 'close'])
    expect(outcome.result.status).toBe('success')
    expect(outcome.plan.notes).toEqual(
      expect.arrayContaining([
        'slot green already runs v2: not prepared again',
        'slot blue (v1) stays warm for rollback by route-back'
      ])
    )
    expect(outcome.result.warmUntil).toBeDefined()
    const summary = new SummaryBuilder()
    renderSummary(summary, config, outcome)
    expect(summary.toString()).toMatch(/warm/)
  })
})
