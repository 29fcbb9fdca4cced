import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createGitHubClient } from '@slipway/github'
import { buildReport, computeQuality, githubHistorySource, percentile } from '@slipway/report'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { seedHistory, STEP_MS } from './history-fixture.js'

const MIN = 60_000
const DAY = 86_400_000
const COUNT = 1000
const OLDER = 150
// Whole seconds, so the emulator's second-resolution timestamps are exact.
const NOW = Math.floor(Date.UTC(2026, 10, 20, 12) / 1000) * 1000
const START = NOW - 28 * DAY

let gh: Emulator
beforeAll(async () => {
  gh = await startEmulator()
  seedHistory(gh, { startMs: START, count: COUNT, older: OLDER })
})
afterAll(async () => {
  await gh.close()
})

/** The history through REST, the way the report action's GitHub source reads it. */
function restHistory() {
  return githubHistorySource(
    createGitHubClient({ token: gh.token, baseUrl: gh.url }),
    { owner: gh.owner, repo: gh.repo },
    { api: 'rest' }
  )
}

function countCalls(from: number) {
  const requests = gh.requests.slice(from)
  return {
    total: requests.length,
    list: requests.filter(r => r.operationId === 'repos/list-deployments').length,
    statuses: requests.filter(r => r.operationId === 'repos/list-deployment-statuses').length
  }
}

describe('quality figures from 1,000+ deployments (REST)', () => {
  test('exact figures and few API calls over a 30-day window', async () => {
    const before = gh.requests.length
    const { report, quality } = await buildReport({
      environment: 'production',
      run: { stages: [], timeline: [], links: [] },
      history: restHistory(),
      windowMs: 30 * DAY,
      nowMs: NOW
    })
    const f = quality!.figures
    expect(quality!.deployments).toBe(COUNT)
    expect(quality!.rollbacks).toBe(10)
    // 999 completed (the last is in progress), 20 failed closed.
    expect(f.successRate.value).toBeCloseTo((979 / 999) * 100, 10)
    expect(f.successRate.verdict).toBe('fail')
    expect(f.rollbackSuccessRate.value).toBe(90)
    expect(f.rollbackSuccessRate.verdict).toBe('fail')
    // (i % 10 + 1) minutes for i = 0..998: 99 cycles of 55 min + 1..9 = 5490 min.
    expect(f.meanDeployTime.value).toBeCloseTo((5490 * MIN) / 999, 6)
    expect(f.meanDeployTime.verdict).toBe('pass')
    // Nearest rank 900 of 999: values 1..9 occur 100 times each → 9 min.
    expect(f.p90DeployTime.value).toBe(9 * MIN)
    // 20 fail-closed incidents of 41 min, 9 rollbacks of 2m10s, one failed rollback restored in 36 min.
    expect(f.mttr.value).toBeCloseTo((20 * 41 * MIN + 9 * 130_000 + 36 * MIN) / 30, 6)
    expect(f.mttr.verdict).toBe('pass')
    expect(quality!.openIncidents).toBe(0)
    expect(f.changeFailureRate.value).toBeCloseTo((30 / 999) * 100, 10)
    expect(f.frequencyPerDay.value).toBeCloseTo(COUNT / 30, 10)
    expect(f.frequencyPerWeek.value).toBeCloseTo((COUNT / 30) * 7, 10)
    expect(report.targetsMet).toBe(false)
    expect(report.missedTargets).toEqual(['Deployment success rate', 'Rollback success rate'])

    // 1,010 production deployments in the window: 11 pages (the 11th reaches past the window,
    // so the 150 older ones are never paged through) + one status page each.
    const calls = countCalls(before)
    expect(calls).toEqual({ total: 11 + 1010, list: 11, statuses: 1010 })
    expect(report.quality!.apiCalls).toEqual({
      api: 'rest',
      graphql: 0,
      listDeployments: 11,
      listStatuses: 1010,
      total: 1021
    })
    expect(gh.requests.slice(before).every(r => r.status === 200)).toBe(true)
    const perPage = gh.requests
      .slice(before)
      .filter(r => r.operationId === 'repos/list-deployments')
      .map(r => r.query.per_page)
    expect(new Set(perPage)).toEqual(new Set(['100']))
  })

  test('a shorter window reads fewer pages and measures only what is inside it', async () => {
    const before = gh.requests.length
    const { quality, report } = await buildReport({
      environment: 'production',
      run: { stages: [], timeline: [], links: [] },
      history: restHistory(),
      windowMs: 100 * STEP_MS,
      nowMs: START + COUNT * STEP_MS
    })
    // Deployments 900..999 plus the rollback of 923.
    expect(quality!.deployments).toBe(100)
    expect(quality!.rollbacks).toBe(1)
    expect(countCalls(before)).toEqual({ total: 2 + 101, list: 2, statuses: 101 })
    expect(report.quality!.scanned).toBe(200)
  })

  test('window all pages through the whole environment, bounded by max-deployments', async () => {
    const before = gh.requests.length
    const { quality, report } = await buildReport({
      environment: 'production',
      run: { stages: [], timeline: [], links: [] },
      history: restHistory(),
      nowMs: NOW,
      maxDeployments: 250
    })
    expect(quality!.deployments + quality!.rollbacks).toBe(250)
    expect(report.quality!.truncated).toBe(true)
    expect(countCalls(before)).toEqual({ total: 3 + 250, list: 3, statuses: 250 })
  })
})

describe('definitions', () => {
  test('p90 is the nearest rank', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9)
    expect(percentile([5], 90)).toBe(5)
    expect(percentile([], 90)).toBeUndefined()
  })

  test('an unrestored failure is an open incident and no history is no data, not a pass', () => {
    const t = Date.UTC(2026, 0, 1)
    const at = (m: number) => new Date(t + m * MIN).toISOString()
    const status = (id: number, state: 'in_progress' | 'success' | 'failure', m: number) => ({
      id,
      state,
      description: '',
      createdAt: at(m)
    })
    const q = computeQuality(
      [
        {
          id: 1,
          ref: 'a',
          sha: 'x',
          environment: 'p',
          createdAt: at(0),
          payload: { version: 'a' },
          statuses: [status(11, 'in_progress', 1), status(12, 'success', 5)]
        },
        {
          id: 2,
          ref: 'b',
          sha: 'x',
          environment: 'p',
          createdAt: at(10),
          payload: { version: 'b' },
          statuses: [status(21, 'in_progress', 11), status(22, 'failure', 50)]
        }
      ],
      { untilMs: t + 60 * MIN }
    )
    expect(q.openIncidents).toBe(1)
    expect(q.figures.mttr.value).toBeUndefined()
    expect(q.figures.mttr.verdict).toBe('n/a')
    expect(q.figures.meanDeployTime.value).toBe((4 * MIN + 39 * MIN) / 2)
    expect(q.figures.p90DeployTime.value).toBe(39 * MIN)
    expect(q.figures.meanDeployTime.verdict).toBe('pass')
    expect(q.figures.p90DeployTime.verdict).toBe('fail')
    expect(q.figures.rollbackSuccessRate.verdict).toBe('n/a')
    const empty = computeQuality([], { untilMs: t })
    expect(empty.figures.successRate.verdict).toBe('n/a')
  })
})
