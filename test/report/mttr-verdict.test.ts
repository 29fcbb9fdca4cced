import { describe, expect, test } from '@jest/globals'
import type { DeploymentRecord, StatusRecord } from '@slipway/deployments'
import { SummaryBuilder } from '@slipway/kit'
import { buildReport, computeQuality, renderReport, type RunInfo } from '@slipway/report'

// GitHub's deployment timestamps have whole seconds. A route-back rollback takes well under one,
// so its success often carries the very second it started: that success restores the service.

const T = Date.UTC(2026, 10, 20, 12)
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
let statusId = 0

function deployment(
  id: number,
  createdMs: number,
  statuses: [StatusRecord['state'], number, string?][],
  payload: DeploymentRecord['payload'] = {}
): DeploymentRecord {
  return {
    id,
    ref: `v1.${id}.0`,
    sha: 'f'.repeat(40),
    environment: 'production',
    createdAt: iso(createdMs),
    payload: { version: `v1.${id}.0`, strategy: 'blue-green', ...payload },
    statuses: statuses.map(([state, at, description]) => ({
      id: ++statusId,
      state,
      description: description ?? '',
      createdAt: iso(at)
    }))
  }
}

/** v1.1.0 goes live, then is rolled back by deployment 3, which succeeds in its first second. */
function rolledBackHistory(): DeploymentRecord[] {
  return [
    deployment(1, T, [
      ['in_progress', T + 1_000],
      ['success', T + 60_000]
    ]),
    deployment(2, T + 600_000, [
      ['in_progress', T + 601_000],
      ['success', T + 660_000],
      ['failure', T + 900_000, 'rolled back to v1.1.0 by deployment #3'],
      ['inactive', T + 900_000, 'rolled back to v1.1.0 by deployment #3']
    ]),
    deployment(
      3,
      T + 900_000,
      [
        ['in_progress', T + 900_000],
        ['success', T + 900_000]
      ],
      { rollback_of: 2, rolled_back_from: 'v1.2.0' }
    )
  ]
}

describe('MTTR with second-resolution timestamps', () => {
  test('a rollback that succeeds in the second it started closes the incident', () => {
    const quality = computeQuality(rolledBackHistory(), { untilMs: T + 3_600_000 })
    expect(quality.openIncidents).toBe(0)
    expect(quality.incidents).toEqual([
      { startMs: T + 900_000, restoredMs: T + 900_000, deployments: [2] }
    ])
    expect(quality.figures.mttr.value).toBe(0)
    expect(quality.figures.mttr.verdict).toBe('pass')
    expect(quality.figures.mttr.basis).toBe('failure → next success, 1 incidents restored')
    expect(quality.figures.rollbackSuccessRate.value).toBe(100)
  })

  test("a success of an earlier deployment in the failure's second does not restore it", () => {
    const history = [
      deployment(1, T, [
        ['in_progress', T + 1_000],
        ['success', T + 120_000]
      ]),
      deployment(2, T + 60_000, [
        ['in_progress', T + 61_000],
        ['failure', T + 120_000]
      ])
    ]
    const quality = computeQuality(history, { untilMs: T + 3_600_000 })
    expect(quality.openIncidents).toBe(1)
    expect(quality.figures.mttr.value).toBeUndefined()
  })
})

describe('the report verdict comes first and follows the run', () => {
  const run = (status?: string): RunInfo => ({
    version: 'v1.2.0',
    status,
    stages: [{ name: 'deploy', status: status ?? 'success', durationMs: 60_000 }],
    timeline: [],
    links: []
  })

  async function summaryOf(status: string | undefined, history = rolledBackHistory()) {
    const { report } = await buildReport({ environment: 'production', run: run(status), nowMs: T })
    // The figures of a history (no client here): what the action gets from readHistory.
    const quality = computeQuality(history, { untilMs: T + 3_600_000 })
    report.quality = {
      window: { until: iso(T + 3_600_000), days: 1 },
      deployments: quality.deployments,
      rollbacks: quality.rollbacks,
      openIncidents: quality.openIncidents,
      figures: quality.figures,
      apiCalls: { api: 'graphql', graphql: 1, listDeployments: 0, listStatuses: 0, total: 1 },
      scanned: 3,
      truncated: false
    }
    report.missedTargets = Object.values(quality.figures)
      .filter(f => f.verdict === 'fail')
      .map(f => f.name)
    report.targetsMet = report.missedTargets.length === 0
    const summary = new SummaryBuilder()
    renderReport(summary, report)
    const lines = summary
      .toString()
      .split('\n')
      .filter(line => line.trim())
    return { text: summary.toString(), first: lines[1], report }
  }

  test.each(['rolled-back', 'failure', 'failed'])(
    'a %s run is never headed "all targets met"',
    async status => {
      const { text, first, report } = await summaryOf(status)
      expect(report.targetsMet).toBe(true)
      expect(first).toBe(`❌ **${status}**`)
      expect(text).not.toMatch(/all targets met/i)
    }
  )

  test('a manual rollback that worked is not headed as a failure', async () => {
    const { first } = await summaryOf('rollback succeeded')
    expect(first).not.toMatch(/❌/)
    expect(first).toMatch(/^✅ \*\*rollback succeeded\*\*/)
  })

  test('a rolled-back run with missed targets names them after its status', async () => {
    // Deployment 2 failed closed: the success rate misses 99%.
    const history = rolledBackHistory()
    history[1].statuses = history[1].statuses.slice(0, 1).concat({
      id: ++statusId,
      state: 'failure',
      description: 'health gate failed',
      createdAt: iso(T + 660_000)
    })
    const { first } = await summaryOf('rolled-back', history)
    expect(first).toBe('❌ **rolled-back** · missed targets: Deployment success rate')
  })

  test('a successful run says so first, with the targets', async () => {
    const { first, text } = await summaryOf('success')
    expect(first).toBe('✅ **success** · all targets met')
    expect(text.indexOf('all targets met')).toBeLessThan(text.indexOf('| Stage'))
  })
})
