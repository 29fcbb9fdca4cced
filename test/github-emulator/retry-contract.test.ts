import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createGitHubClient, type GitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from './index.js'

// What the Slipway client does with the answers the README describes: which statuses are
// retried, by which plugin. Asserted from the requests the emulator saw and the client's log.

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

const path = () => `/repos/${gh.owner}/${gh.repo}`
const getRepo = () => octokit.rest.repos.get({ owner: gh.owner, repo: gh.repo })
const statuses = () => gh.requests.filter(r => r.path === path()).map(r => r.status)

describe('retries of the Slipway Octokit client', () => {
  test('a 409 is an answer: never retried', async () => {
    gh.faults.inject({ path: path(), status: 409 })
    await expect(getRepo()).rejects.toMatchObject({ status: 409 })
    expect(statuses()).toEqual([409])
  })

  test('a 429 goes to plugin-throttling (not plugin-retry), which waits and retries', async () => {
    gh.faults.inject({ path: path(), status: 429, retryAfterSeconds: 1 })
    await getRepo()
    expect(statuses()).toEqual([429, 200])
    expect(logs.join('\n')).toMatch(/^Rate limited on GET .* retrying after \d+s \(1\/3\)$/m)
  })

  test('a 429 without rate-limit headers is retried by neither plugin', async () => {
    gh.faults.inject({ path: path(), status: 429, headers: { 'x-ratelimit-remaining': '10' } })
    await expect(getRepo()).rejects.toMatchObject({ status: 429 })
    expect(statuses()).toEqual([429])
    expect(logs).toEqual([])
  })

  test('a 501 (endpoint not there) is an answer: never retried', async () => {
    gh.faults.inject({ path: path(), status: 501 })
    await expect(getRepo()).rejects.toMatchObject({ status: 501 })
    expect(statuses()).toEqual([501])
  })

  test('a 502 is retried by plugin-retry', async () => {
    gh.faults.inject({ path: path(), status: 502 })
    await getRepo()
    expect(statuses()).toEqual([502, 200])
  })
})
