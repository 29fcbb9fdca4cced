// What a failed deploy tells the user (issue #14), driven in memory through runDeploy and the
// summary: a canary failing its first analysis on the failure limit goes straight back, and a
// rolling host that cannot be restored is named. These were once bundle runs under load; the
// load-bearing part (zero failed requests through the router) stays in test/deploy.
import { describe, expect, test } from '@jest/globals'
import { SummaryBuilder } from '@slipway/kit'
import type { Target } from '@slipway/providers'
import {
  renderSummary,
  runDeploy,
  type DeployConfig,
  type ExecuteOptions,
  type Metric,
  type StrategyOptions
} from '@slipway/strategies'
import { FakeClock, FakeProvider, type FakeFaults } from './fake-provider.js'
import { blueLive, canary, fleetLive, hosts, request, rolling, slots } from './helpers.js'

function config(
  provider: FakeProvider,
  options: StrategyOptions,
  analysis?: ExecuteOptions['analysis']
): DeployConfig {
  return {
    strategy: options.strategy,
    version: 'v2',
    environment: 'production',
    dryRun: false,
    provider,
    request: request(options, { analysisConfigured: analysis !== undefined }),
    analysis,
    describeAnalysis: [],
    health: { kind: 'http', describe: 'http' }
  }
}

async function run(
  targets: Target[],
  live: ConstructorParameters<typeof FakeProvider>[1],
  options: StrategyOptions,
  faults: FakeFaults = {},
  analysis?: ExecuteOptions['analysis']
) {
  const provider = new FakeProvider(targets, live, faults)
  const deployConfig = config(provider, options, analysis)
  const outcome = await runDeploy(deployConfig, undefined, undefined, new FakeClock())
  const summary = new SummaryBuilder()
  renderSummary(summary, deployConfig, outcome)
  return { calls: provider.calls, outcome, summary: summary.toString() }
}

describe('what a failed deploy reports', () => {
  test('a canary failing its first analysis on the failure limit goes straight back to stable', async () => {
    // Every measurement fails: the run ends on the limit (2 failures > 1), not on the interval.
    const failing: Metric = {
      name: 'error-rate',
      measure: async () => ({ ok: false, value: 0.5, message: 'error rate 0.5' })
    }
    const { calls, outcome, summary } = await run(
      slots,
      blueLive,
      canary('10,50,100'),
      {},
      {
        policy: { intervalMs: 3000, sampleEveryMs: 300, failureLimit: 1, consecutiveSuccesses: 3 },
        metrics: () => [failing]
      }
    )
    expect(calls).toEqual([
      'check',
      'prepare green v2',
      'health green v2',
      'route blue=90 green=10',
      // no later step in between: 100% back to stable, then the canary is torn down
      'route blue=100 green=0',
      'diagnose green v2',
      'retire green v2',
      'close'
    ])
    expect(outcome.result.status).toBe('failure')
    expect(outcome.result.error).toMatch(
      /^analysis failed at 10%: 2 failed measurement\(s\), more than failure-limit 1/
    )
    expect(outcome.result.analyses.map(a => a.ok)).toEqual([false])
    expect(summary.match(/[✓✗] analysis\b/g)).toEqual(['✗ analysis'])
    expect(summary).toContain('route back')
  })

  test('a rolling host that cannot be restored is named in the summary and left drained', async () => {
    // web2 never becomes healthy again, on the new version or the one it ran.
    const { calls, outcome, summary } = await run(hosts, fleetLive, rolling, {
      health: name => (name === 'web2' ? { ok: false, fatal: true, message: 'down' } : undefined)
    })
    expect(outcome.result.status).toBe('failure')
    expect(outcome.result.error).toMatch(/health gate failed.*web2/)
    // web3 was never touched; web1 went back to v1; web2 is out of service at the end
    expect(calls.filter(c => c.startsWith('prepare'))).toEqual([
      'prepare web1 v2',
      'prepare web2 v2',
      'prepare web2 v1',
      'prepare web1 v1'
    ])
    expect(calls.filter(c => c.startsWith('route')).at(-1)).toBe('route web1=1 web2=0 web3=1')
    expect(summary).toMatch(/web2 could not be restored to v1/)
  })
})
