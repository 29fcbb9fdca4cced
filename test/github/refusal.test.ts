import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { RequestError } from '@octokit/request-error'
import { GitHubRefusal, createGitHubClient, refusalOf, requestAs } from '@slipway/github'
import { UserError } from '@slipway/kit'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

let gh: Emulator
beforeEach(async () => {
  gh = await startEmulator()
})
afterEach(async () => {
  await gh.close()
})

function client(token = gh.token) {
  return createGitHubClient({ token, baseUrl: gh.url, writeIntervalMs: 0, retries: 0 })
}

const createDeployment = { what: 'create a deployment', permission: 'deployments: write' }

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work()
  } catch (error) {
    return error
  }
  throw new Error('expected the request to fail')
}

describe('requestAs: GitHub refusals are the user’s to fix', () => {
  it('a 403 names the endpoint and the permission the job needs', async () => {
    const sha = gh.state.addCommit({ message: 'feat: x' })
    gh.faults.inject({
      method: 'POST',
      path: `/repos/${gh.owner}/${gh.repo}/deployments`,
      // The emulator answers a 403 without a body as GitHub does a missing permission.
      status: 403
    })
    const error = await caught(() =>
      requestAs(createDeployment, () =>
        client().rest.repos.createDeployment({ owner: gh.owner, repo: gh.repo, ref: sha })
      )
    )
    expect(error).toBeInstanceOf(UserError)
    expect(error).toBeInstanceOf(GitHubRefusal)
    const refusal = error as GitHubRefusal
    expect(refusal.status).toBe(403)
    expect(refusal.endpoint).toBe(`POST /repos/${gh.owner}/${gh.repo}/deployments`)
    expect(refusal.message).toContain('GitHub refused to create a deployment')
    expect(refusal.message).toContain('Resource not accessible by integration')
    expect(refusal.hint).toContain('`permissions: deployments: write`')
    expect(refusal.cause).toBeInstanceOf(RequestError)
  })

  it('a 401 asks for a valid token', async () => {
    const error = await caught(() =>
      requestAs({ what: 'list deployments', permission: 'deployments: read' }, () =>
        client('ghs_wrongToken0000').rest.repos.listDeployments({
          owner: gh.owner,
          repo: gh.repo
        })
      )
    )
    expect(error).toBeInstanceOf(GitHubRefusal)
    expect((error as GitHubRefusal).message).toContain('did not accept the token')
    expect((error as GitHubRefusal).hint).toContain('valid token')
  })

  it('a 404 is a refusal only where the caller says the thing cannot be absent', async () => {
    const listing = () =>
      client().rest.repos.listDeployments({ owner: gh.owner, repo: 'private-elsewhere' })
    const call = { what: 'list deployments', permission: 'deployments: read' }
    const refused = await caught(() => requestAs({ ...call, notFoundIsRefusal: true }, listing))
    expect(refused).toBeInstanceOf(GitHubRefusal)
    expect((refused as GitHubRefusal).status).toBe(404)
    expect((refused as GitHubRefusal).hint).toContain('GITHUB_REPOSITORY')
    const answer = await caught(() => requestAs(call, listing))
    expect(answer).toBeInstanceOf(RequestError)
    expect(answer).not.toBeInstanceOf(UserError)
    expect((answer as RequestError).status).toBe(404)
  })

  it('other answers (a 422) pass through untouched, and a success returns its value', async () => {
    const error = await caught(() =>
      requestAs(createDeployment, () =>
        client().rest.repos.createDeployment({
          owner: gh.owner,
          repo: gh.repo,
          ref: 'no-such-ref'
        })
      )
    )
    expect(error).toBeInstanceOf(RequestError)
    expect((error as RequestError).status).toBe(422)
    const { data } = await requestAs({ what: 'read', permission: 'contents: read' }, () =>
      client().rest.repos.get({ owner: gh.owner, repo: gh.repo })
    )
    expect(data.name).toBe(gh.repo)
  })
})

describe('refusalOf', () => {
  const request = {
    method: 'GET' as const,
    url: 'https://api.github.com/repos/o/r/deployments?x=1',
    headers: {}
  }
  const call = { what: 'list deployments', permission: 'deployments: read' }

  it('leaves a rate limit alone: no permission would have helped', () => {
    const limited = new RequestError('API rate limit exceeded for installation', 403, {
      request,
      response: {
        status: 403,
        url: request.url,
        headers: { 'x-ratelimit-remaining': '0' },
        data: {}
      }
    })
    expect(refusalOf(limited, call)).toBe(limited)
  })

  it('names the endpoint without the host or the query', () => {
    const forbidden = new RequestError('Resource not accessible by integration', 403, { request })
    expect((refusalOf(forbidden, call) as GitHubRefusal).endpoint).toBe(
      'GET /repos/o/r/deployments'
    )
  })

  it('leaves errors without a status alone (a network failure, a bug)', () => {
    const bug = new TypeError('x is undefined')
    expect(refusalOf(bug, call)).toBe(bug)
  })
})
