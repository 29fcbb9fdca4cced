import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import type { DeploymentRecord } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { buildReport, githubHistorySource, graphqlBaseUrl, readHistory } from '@slipway/report'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { seedHistory, STEP_MS } from './history-fixture.js'

const DAY = 86_400_000
const COUNT = 1000
const NOW = Math.floor(Date.UTC(2026, 10, 20, 12) / 1000) * 1000
const START = NOW - 28 * DAY

let gh: Emulator
beforeAll(async () => {
  gh = await startEmulator()
  seedHistory(gh, { startMs: START, count: COUNT, older: 150 })
})
afterAll(async () => {
  await gh.close()
})

// GraphQL requests go through the write limiter of plugin-throttling: no spacing in tests.
const octokit = () => createGitHubClient({ token: gh.token, baseUrl: gh.url, writeIntervalMs: 0 })
const repo = () => ({ owner: gh.owner, repo: gh.repo })

/** GraphQL has no status databaseId: compare everything but the status ids. */
const withoutStatusIds = (records: DeploymentRecord[]) =>
  records.map(r => ({ ...r, statuses: r.statuses.map(s => ({ ...s, id: 0 })) }))

describe('deployment history through GraphQL', () => {
  test('1,000 deployments: the same records and figures as REST with 11 queries', async () => {
    const window = { environment: 'production', sinceMs: NOW - 30 * DAY, untilMs: NOW }
    const rest = await readHistory(octokit(), repo(), { ...window, api: 'rest' })
    const before = gh.requests.length
    const graphql = await readHistory(octokit(), repo(), window)
    const requests = gh.requests.slice(before)
    // 1,010 deployments in the window: 11 queries (the 11th reaches past it), nothing else.
    expect(requests.filter(r => r.route === 'POST /graphql')).toHaveLength(11)
    expect(requests).toHaveLength(11)
    expect(requests.every(r => r.status === 200)).toBe(true)
    expect(graphql.calls).toEqual({
      api: 'graphql',
      graphql: 11,
      listDeployments: 0,
      listStatuses: 0,
      total: 11
    })
    expect(rest.calls.total).toBe(1021)
    expect(graphql.deployments).toHaveLength(1010)
    expect(withoutStatusIds(graphql.deployments)).toEqual(withoutStatusIds(rest.deployments))
    expect(graphql.scanned).toBe(rest.scanned)

    const options = {
      environment: 'production',
      run: { stages: [], timeline: [], links: [] },
      history: githubHistorySource(octokit(), repo()),
      windowMs: 30 * DAY,
      nowMs: NOW
    }
    const viaRest = await buildReport({
      ...options,
      history: githubHistorySource(octokit(), repo(), { api: 'rest' })
    })
    const start = gh.requests.length
    const viaGraphql = await buildReport(options)
    expect(gh.requests.length - start).toBeLessThanOrEqual(12)
    expect(viaGraphql.quality).toEqual(viaRest.quality)
    expect(viaGraphql.report.quality!.figures).toEqual(viaRest.report.quality!.figures)
    expect(viaGraphql.report.quality!.apiCalls!.api).toBe('graphql')
    expect(gh.validationErrors).toEqual([])
    // Two REST reads of 1,000 deployments (the reference): over 2,000 calls on a shared machine.
  }, 180_000)

  test('maxDeployments and a short window bound the GraphQL read too', async () => {
    const before = gh.requests.length
    const short = await readHistory(octokit(), repo(), {
      environment: 'production',
      sinceMs: START + COUNT * STEP_MS - 100 * STEP_MS,
      untilMs: START + COUNT * STEP_MS
    })
    // Deployments 900..999 plus the rollback of 923: two pages.
    expect(short.deployments).toHaveLength(101)
    expect(short.calls.graphql).toBe(2)
    const bounded = await readHistory(octokit(), repo(), {
      environment: 'production',
      untilMs: NOW,
      maxDeployments: 250
    })
    expect(bounded.deployments).toHaveLength(250)
    expect(bounded.truncated).toBe(true)
    expect(bounded.calls.graphql).toBe(3)
    expect(gh.requests.length - before).toBe(5)
  })

  test("a query GitHub would reject fails validation against GitHub's schema", async () => {
    const before = gh.validationErrors.length
    // DeploymentStatus has no databaseId in GitHub's schema.
    const query = `query($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) {
        deployments(first: 1) { nodes { statuses(first: 1) { nodes { databaseId state } } } }
      }
    }`
    await expect(octokit().graphql(query, { owner: gh.owner, name: gh.repo })).rejects.toThrow(
      /Cannot query field "databaseId" on type "DeploymentStatus"/
    )
    const found = gh.validationErrors.splice(before)
    expect(found.map(e => e.message)).toEqual([
      expect.stringMatching(/Cannot query field "databaseId" on type "DeploymentStatus"/)
    ])
    expect(found[0]).toMatchObject({ direction: 'request', path: '/graphql' })
  })

  test('falls back to REST when /graphql answers 404; a forced GraphQL read fails', async () => {
    const window = {
      environment: 'production',
      sinceMs: START + COUNT * STEP_MS - 100 * STEP_MS,
      untilMs: START + COUNT * STEP_MS
    }
    gh.faults.inject({ method: 'POST', path: '/graphql', status: 404 })
    const before = gh.requests.length
    const lines: string[] = []
    const history = await readHistory(octokit(), repo(), { ...window, log: l => lines.push(l) })
    expect(history.calls).toEqual({
      api: 'rest',
      graphql: 1,
      listDeployments: 2,
      listStatuses: 101,
      total: 104,
      fallback: 'GraphQL is not available here (404)'
    })
    expect(gh.requests.length - before).toBe(104)
    expect(lines.join('\n')).toContain('GraphQL is not available here (404)')
    const graphql = await readHistory(octokit(), repo(), window)
    expect(withoutStatusIds(history.deployments)).toEqual(withoutStatusIds(graphql.deployments))

    gh.faults.inject({ method: 'POST', path: '/graphql', status: 404 })
    await expect(readHistory(octokit(), repo(), { ...window, api: 'graphql' })).rejects.toThrow()
    // A server error is not "no GraphQL here": it is reported, not hidden by a REST read.
    gh.faults.inject({ method: 'POST', path: '/graphql', status: 400 })
    await expect(readHistory(octokit(), repo(), window)).rejects.toThrow()
  })

  test('GitHub Enterprise Server: GraphQL lives at <host>/api/graphql', () => {
    expect(graphqlBaseUrl('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com/api')
    expect(graphqlBaseUrl('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api')
    expect(graphqlBaseUrl('https://api.github.com')).toBe('https://api.github.com')
  })
})
