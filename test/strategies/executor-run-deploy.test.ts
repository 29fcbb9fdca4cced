// runDeploy over the in-memory provider (issue #14): the dry run, the `plan` output, the summary
// and the run all read one plan object, failure path included.
import { describe, expect, test } from '@jest/globals'
import { SummaryBuilder } from '@slipway/kit'
import { renderSummary, runDeploy, type DeployConfig } from '@slipway/strategies'
import { FakeClock, FakeProvider } from './fake-provider.js'
import { blueLive, canary, observedErrorRate, request, slots } from './helpers.js'

function config(provider: FakeProvider, dryRun: boolean, errorRate: number): DeployConfig {
  return {
    strategy: 'canary',
    version: 'v2',
    environment: 'production',
    dryRun,
    provider,
    request: request(canary('10,50'), { analysisConfigured: true }),
    analysis: observedErrorRate({ errorRate }),
    describeAnalysis: [],
    health: { kind: 'http', describe: 'http' }
  }
}

describe('runDeploy', () => {
  test('dry run: the plan output is the plan as JSON, its failure path included; nothing changes', async () => {
    const provider = new FakeProvider(slots, blueLive)
    const deployConfig = config(provider, true, 0)
    const outcome = await runDeploy(deployConfig, undefined, undefined, new FakeClock())
    expect(provider.calls).toEqual(['close'])
    expect(outcome.result.status).toBe('dry-run')
    const output = JSON.parse(outcome.outputs.plan!)
    expect(output).toEqual(JSON.parse(JSON.stringify(outcome.plan)))
    expect(output.onFailure).toEqual([
      {
        kind: 'route-back',
        weights: { blue: 100, green: 0 },
        slot: 'blue',
        version: 'v1',
        when: 'traffic-moved'
      },
      { kind: 'diagnose', targets: ['green'], version: 'v2', when: 'target-failed' },
      { kind: 'tear-down', targets: ['green'], version: 'v2', when: 'always' }
    ])
    const summary = new SummaryBuilder()
    renderSummary(summary, deployConfig, outcome)
    expect(summary.toString()).toContain(
      '### On failure\n\n- 1. if traffic moved: route back 100% to stable blue (v1)'
    )
  })

  test('a failing run: the failure path of the plan it printed, then the provider is closed', async () => {
    const provider = new FakeProvider(slots, blueLive)
    const outcome = await runDeploy(
      config(provider, false, 0.5),
      undefined,
      undefined,
      new FakeClock()
    )
    expect(provider.calls).toEqual([
      'check',
      'prepare green v2',
      'health green v2',
      'route blue=90 green=10',
      'route blue=100 green=0',
      'diagnose green v2',
      'retire green v2',
      'close'
    ])
    expect(outcome.result.status).toBe('failure')
    expect(outcome.outputs.status).toBe('failure')
    expect(outcome.result.plan).toBe(outcome.plan)
  })
})
