// When the failure path itself fails (the route back or the tear down), traffic may NOT be on the
// previous version: the result, the summary and the Deployment's final status say so, not only
// the timeline.
import { describe, expect, test } from '@jest/globals'
import { SummaryBuilder } from '@slipway/kit'
import { renderSummary, runDeploy, type DeployConfig } from '@slipway/strategies'
import { FakeClock, FakeProvider, type FakeFaults } from './fake-provider.js'
import { blueLive, canary, observedErrorRate, request, slots } from './helpers.js'
import { MemoryDeploymentRecords } from './memory-records.js'

function config(provider: FakeProvider): DeployConfig {
  return {
    strategy: 'canary',
    version: 'v2',
    environment: 'production',
    dryRun: false,
    provider,
    request: request(canary('10,50'), { analysisConfigured: true }),
    // The canary fails its analysis at 10%: the failure path runs.
    analysis: observedErrorRate({ errorRate: 0.5 }),
    describeAnalysis: [],
    health: { kind: 'http', describe: 'http' }
  }
}

async function deploy(faults: FakeFaults) {
  const provider = new FakeProvider(slots, blueLive, faults)
  const records = new MemoryDeploymentRecords()
  const deployConfig = config(provider)
  const outcome = await runDeploy(deployConfig, { records }, undefined, new FakeClock())
  const summary = new SummaryBuilder()
  renderSummary(summary, deployConfig, outcome)
  const finalStatus = records.deployments[0].statuses.at(-1)!
  return { outcome, summary: summary.toString(), finalStatus }
}

describe('a failure path that fails', () => {
  test('the route back fails: the result, the summary and the final status say traffic may not be on v1', async () => {
    // 1st setWeights moves 10% to the canary; the 2nd is the route back.
    const { outcome, summary, finalStatus } = await deploy({
      route: call => (call === 2 ? 'router unreachable' : undefined)
    })
    expect(outcome.result.status).toBe('failure')
    expect(outcome.result.undoFailed).toEqual([
      'route back: FAILED — traffic may still reach green: router unreachable'
    ])
    expect(finalStatus.state).toBe('failure')
    expect(finalStatus.description).toMatch(/^failed and NOT undone, traffic may not be on v1: /)
    expect(summary).toContain('traffic may NOT be on v1')
  })

  test('the tear down fails: said as well', async () => {
    const { outcome, finalStatus } = await deploy({
      retire: (target, version) => (version === 'v2' ? `cannot stop ${target}` : undefined)
    })
    expect(outcome.result.undoFailed).toEqual(['tear down: green failed: cannot stop green'])
    expect(finalStatus.description).toMatch(/^failed and NOT undone/)
  })

  test('a failure path that succeeds keeps the usual description', async () => {
    const { outcome, summary, finalStatus } = await deploy({})
    expect(outcome.result.status).toBe('failure')
    expect(outcome.result.undoFailed).toBeUndefined()
    expect(finalStatus.description).toMatch(/^failed, traffic on v1: analysis failed at 10%/)
    expect(summary).not.toContain('NOT be on')
  })
})
