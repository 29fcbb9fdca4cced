import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createGitHubClient, type GitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from './index.js'
import { api } from './test-helpers.js'

let gh: Emulator
let octokit: GitHubClient
const logs: string[] = []
beforeEach(async () => {
  gh = await startEmulator()
  logs.length = 0
  octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url, log: m => logs.push(m) })
})
afterEach(async () => {
  await gh.close()
})

const getRepo = () => octokit.rest.repos.get({ owner: gh.owner, repo: gh.repo })
const repoCalls = () => gh.requests.filter(r => r.path === `/repos/${gh.owner}/${gh.repo}`)

describe('fault injection with the Slipway Octokit client', () => {
  test('a 502 is retried by plugin-retry and then succeeds', async () => {
    gh.faults.inject({ path: `/repos/${gh.owner}/${gh.repo}`, status: 502 })
    const { data } = await getRepo()
    expect(data.default_branch).toBe('main')
    expect(repoCalls().map(r => [r.status, r.fault])).toEqual([
      [502, true],
      [200, false]
    ])
    expect(gh.faults.pending).toHaveLength(0)
  })

  test('a 429 with retry-after: 1 is retried after waiting', async () => {
    gh.faults.inject({
      method: 'GET',
      path: /^\/repos\/[^/]+\/[^/]+$/,
      status: 429,
      retryAfterSeconds: 1
    })
    const started = Date.now()
    await getRepo()
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(repoCalls().map(r => r.status)).toEqual([429, 200])
    // plugin-throttling (not plugin-retry) waited and retried it.
    expect(logs.join('\n')).toMatch(/^Rate limited on GET .* retrying after \d+s \(1\/3\)$/m)
  })

  test('a 429 without rate-limit headers is retried by neither plugin', async () => {
    gh.faults.inject({
      path: `/repos/${gh.owner}/${gh.repo}`,
      status: 429,
      headers: { 'x-ratelimit-remaining': '10' }
    })
    await expect(getRepo()).rejects.toMatchObject({ status: 429 })
    expect(repoCalls().map(r => r.status)).toEqual([429])
    expect(logs).toEqual([])
  })

  test.each([409, 501])('a %i is an answer, not an outage: never retried', async status => {
    gh.faults.inject({ path: `/repos/${gh.owner}/${gh.repo}`, status })
    await expect(getRepo()).rejects.toMatchObject({ status })
    expect(repoCalls().map(r => r.status)).toEqual([status])
  })

  test('a 403 secondary rate limit is recognised by plugin-throttling and retried', async () => {
    gh.faults.inject({ path: `/repos/${gh.owner}/${gh.repo}`, status: 403, retryAfterSeconds: 1 })
    await getRepo()
    expect(repoCalls().map(r => r.status)).toEqual([403, 200])
    expect(logs.join('\n')).toMatch(/Secondary rate limit/)
  })

  test('a plain 403 is a permission error and is not retried', async () => {
    gh.faults.inject({ path: `/repos/${gh.owner}/${gh.repo}`, status: 403 })
    await expect(getRepo()).rejects.toMatchObject({ status: 403 })
    expect(repoCalls()).toHaveLength(1)
  })

  test('slow responses: delayMs delays the real answer; a client deadline aborts', async () => {
    gh.faults.inject({ path: `/repos/${gh.owner}/${gh.repo}`, delayMs: 300 })
    const started = Date.now()
    const { data } = await getRepo()
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    expect(data.name).toBe(gh.repo)

    gh.faults.inject({ path: '/rate_limit', delayMs: 2000 })
    await expect(
      octokit.rest.rateLimit.get({ request: { signal: AbortSignal.timeout(200), retries: 0 } })
    ).rejects.toThrow()
  })

  test('an injected 422 already_exists looks like GitHub (no state change, not a validation error)', async () => {
    gh.faults.inject({ method: 'POST', path: /\/releases$/, status: 422, times: 1 })
    const res = await api(gh, 'POST', `/repos/${gh.owner}/${gh.repo}/releases`, {
      tag_name: 'v1.0.0'
    })
    expect(res.status).toBe(422)
    expect(res.body.errors).toEqual([
      { resource: 'Release', code: 'already_exists', field: 'tag_name' }
    ])
    expect(gh.state.releases).toHaveLength(0)
    expect(
      (await api(gh, 'POST', `/repos/${gh.owner}/${gh.repo}/releases`, { tag_name: 'v1.0.0' }))
        .status
    ).toBe(201)
  })
})
