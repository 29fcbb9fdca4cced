import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHubClient, parseRepository } from '@slipway/github'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

let gh: Emulator
beforeEach(async () => {
  gh = await startEmulator()
})
afterEach(async () => {
  await gh.close()
})

function client(extra: { writeIntervalMs?: number } = {}) {
  return createGitHubClient({
    token: gh.token,
    baseUrl: `${gh.url}/`,
    writeIntervalMs: 0,
    ...extra
  })
}

function calls(path: RegExp): number {
  return gh.requests.filter(request => path.test(request.path)).length
}

describe('createGitHubClient', () => {
  it('follows GITHUB_API_URL when no base URL is given (GitHub Enterprise Server)', async () => {
    const previous = process.env.GITHUB_API_URL
    process.env.GITHUB_API_URL = gh.url
    try {
      const octokit = createGitHubClient({ token: gh.token })
      const { data } = await octokit.rest.repos.get({ owner: gh.owner, repo: gh.repo })
      expect(data.full_name).toBe(`${gh.owner}/${gh.repo}`)
    } finally {
      if (previous === undefined) delete process.env.GITHUB_API_URL
      else process.env.GITHUB_API_URL = previous
    }
  })

  it('retries a 502 and succeeds', async () => {
    gh.faults.inject({
      method: 'GET',
      path: `/repos/${gh.owner}/${gh.repo}`,
      status: 502,
      times: 1
    })
    const { data } = await client().rest.repos.get({ owner: gh.owner, repo: gh.repo })
    expect(data.name).toBe(gh.repo)
    expect(calls(/^\/repos\/[^/]+\/[^/]+$/)).toBe(2)
  })

  it('does not retry a 409: the conflict is the answer', async () => {
    const sha = gh.state.addCommit({ message: 'feat: x' })
    gh.state.addCommitStatus(sha, { context: 'ci', state: 'failure' })
    const attempt = client().rest.repos.createDeployment({
      owner: gh.owner,
      repo: gh.repo,
      ref: sha,
      auto_merge: false
    })
    await expect(attempt).rejects.toMatchObject({ status: 409 })
    expect(calls(/\/deployments$/)).toBe(1)
  })

  it('waits out a 429 with retry-after through the throttling plugin', async () => {
    const logs: string[] = []
    gh.faults.inject({
      method: 'GET',
      path: '/rate_limit',
      status: 429,
      retryAfterSeconds: 1,
      times: 1
    })
    const octokit = createGitHubClient({
      token: gh.token,
      baseUrl: gh.url,
      writeIntervalMs: 0,
      log: line => logs.push(line)
    })
    const started = Date.now()
    await octokit.rest.rateLimit.get()
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(calls(/^\/rate_limit$/)).toBe(2)
    expect(logs.join('\n')).toMatch(/Rate limited on GET \/rate_limit; retrying after \d+s/)
  })

  it('gives up after the configured number of rate-limit retries', async () => {
    gh.faults.inject({
      method: 'GET',
      path: '/rate_limit',
      status: 403,
      retryAfterSeconds: 1,
      times: Infinity
    })
    const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url, rateLimitRetries: 1 })
    await expect(octokit.rest.rateLimit.get()).rejects.toMatchObject({ status: 403 })
    expect(calls(/^\/rate_limit$/)).toBe(2)
  })

  it('spaces writes apart by default, as GitHub asks of integrators', async () => {
    const sha = gh.state.addCommit({ message: 'fix: y' })
    const octokit = client({ writeIntervalMs: 400 })
    const started = Date.now()
    for (const context of ['a', 'b', 'c']) {
      await octokit.rest.repos.createCommitStatus({
        owner: gh.owner,
        repo: gh.repo,
        sha,
        state: 'success',
        context
      })
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(700)
  })
})

describe('parseRepository', () => {
  it('accepts owner/name and nothing else', () => {
    expect(parseRepository('octo-org/app.js')).toEqual({ owner: 'octo-org', repo: 'app.js' })
    expect(parseRepository('octo-org')).toBeUndefined()
    expect(parseRepository('a/b/c')).toBeUndefined()
    expect(parseRepository(undefined)).toBeUndefined()
  })
})
