import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { SummaryBuilder } from '@slipway/kit'
import { createGitHubClient } from '@slipway/github'
import { buildReport, githubHistorySource, readHistory, renderReport } from '@slipway/report'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { seedHistory, STEP_MS } from './history-fixture.js'

// The report reads the history with GraphQL and repeats the read with REST when GraphQL cannot
// serve it: missing (404/501), refusing the token (403), or answering 200 with `errors`. A rate
// limit is not such a case: REST shares it, so the error surfaces and REST is not called.

const COUNT = 30
const START = Math.floor(Date.UTC(2026, 10, 1, 12) / 1000) * 1000
const WINDOW = { environment: 'production', sinceMs: START, untilMs: START + COUNT * STEP_MS }

let gh: Emulator
beforeAll(async () => {
  gh = await startEmulator()
  seedHistory(gh, { startMs: START, count: COUNT })
})
afterAll(async () => {
  await gh.close()
})

// No write spacing (GraphQL is a POST); no retries, so a 501 or a rate limit surfaces at once
// (plugin-retry would otherwise repeat the 501 after 1, 4 and 9 s).
const octokit = () =>
  createGitHubClient({
    token: gh.token,
    baseUrl: gh.url,
    writeIntervalMs: 0,
    rateLimitRetries: 0,
    retries: 0
  })
const repo = () => ({ owner: gh.owner, repo: gh.repo })
const restCalls = (from: number) =>
  gh.requests.slice(from).filter(r => r.path !== '/graphql').length

describe('GraphQL → REST fallback', () => {
  test.each([
    ['a 200 whose body carries errors', { status: 200 }, /GraphQL answered errors \(FORBIDDEN/],
    ['a 403 permission error', { status: 403 }, /GraphQL refused the token \(403/],
    ['a 501', { status: 501 }, /not implemented here \(501\)/],
    ['a 404', { status: 404 }, /not available here \(404\)/]
  ])('%s: REST reads the same history and says why', async (_name, fault, reason) => {
    const expected = await readHistory(octokit(), repo(), WINDOW)
    expect(expected.calls.api).toBe('graphql')
    gh.faults.inject({ method: 'POST', path: '/graphql', ...fault })
    const before = gh.requests.length
    const lines: string[] = []
    const history = await readHistory(octokit(), repo(), { ...WINDOW, log: l => lines.push(l) })
    expect(history.calls).toMatchObject({ api: 'rest', graphql: 1 })
    expect(history.calls.fallback).toMatch(reason)
    expect(restCalls(before)).toBe(history.calls.listDeployments + history.calls.listStatuses)
    expect(history.deployments.map(d => d.id)).toEqual(expected.deployments.map(d => d.id))
    expect(lines.join('\n')).toMatch(reason)
  })

  test.each([
    ['a 429 (primary rate limit)', { status: 429, retryAfterSeconds: 1 }],
    ['a 403 secondary rate limit', { status: 403, retryAfterSeconds: 1 }],
    [
      'a 200 with a RATE_LIMITED error',
      {
        status: 200,
        body: { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] }
      }
    ]
  ])('%s is respected: the error surfaces, REST is not called', async (_name, fault) => {
    gh.faults.inject({ method: 'POST', path: '/graphql', ...fault })
    const before = gh.requests.length
    await expect(readHistory(octokit(), repo(), WINDOW)).rejects.toThrow(/rate limit/i)
    expect(gh.requests.slice(before).map(r => r.path)).toEqual(['/graphql'])
    expect(gh.faults.pending).toHaveLength(0)
  })

  test('the summary says which API read the history and why GraphQL was left', async () => {
    gh.faults.inject({ method: 'POST', path: '/graphql', status: 200 })
    const { report } = await buildReport({
      environment: 'production',
      run: { stages: [], timeline: [], links: [] },
      history: githubHistorySource(octokit(), repo()),
      windowMs: COUNT * STEP_MS,
      nowMs: WINDOW.untilMs
    })
    expect(report.quality?.apiCalls?.fallback).toMatch(/FORBIDDEN/)
    const summary = new SummaryBuilder()
    renderReport(summary, report)
    const text = summary.toString()
    expect(text).toMatch(/read with REST/)
    expect(text).toContain('GraphQL answered errors (FORBIDDEN: Resource not accessible')

    const clean = await buildReport({
      environment: 'production',
      run: { stages: [], timeline: [], links: [] },
      history: githubHistorySource(octokit(), repo()),
      windowMs: COUNT * STEP_MS,
      nowMs: WINDOW.untilMs
    })
    const cleanSummary = new SummaryBuilder()
    renderReport(cleanSummary, clean.report)
    expect(cleanSummary.toString()).toMatch(/read with GraphQL/)
    expect(cleanSummary.toString()).not.toContain('REST')
  })
})
