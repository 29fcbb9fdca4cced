import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer, type Server } from 'node:net'
import { createGitHubClient } from '@slipway/github'
import { UserError } from '@slipway/kit'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

// A wrong API address fails at once with what to fix; what may pass (a 5xx, a dropped
// connection) is still retried. Connection attempts are counted from undici's own
// diagnostics channel (one event per TCP connect it starts), never from elapsed time.

const attempts: number[] = []
const onConnect = (message: unknown) => {
  const port = (message as { connectParams?: { port?: string | number } }).connectParams?.port
  attempts.push(Number(port))
}
subscribe('undici:client:beforeConnect', onConnect)

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  attempts.length = 0
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A loopback port nobody listens on: it was free a moment ago and is closed again. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise<void>(done => server.close(() => done()))
  return port
}

/** Accepts connections and drops each at once (ECONNRESET / "other side closed"). */
async function droppingServer(): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0
  const server: Server = createServer(socket => {
    accepted++
    socket.destroy()
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  cleanups.push(() => new Promise<void>(done => server.close(() => done())))
  return { port: (server.address() as { port: number }).port, accepted: () => accepted }
}

describe('the GitHub client on a wrong address', () => {
  it('fails on a refused connection after one attempt, with a UserError naming the API URL', async () => {
    const port = await closedPort()
    const baseUrl = `http://127.0.0.1:${port}/api/v3`
    const client = createGitHubClient({ token: 't', baseUrl, retries: 3 })
    const failure = await client.rest.repos.get({ owner: 'octo-org', repo: 'octo-app' }).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(UserError)
    expect((failure as UserError).message).toContain(baseUrl)
    expect((failure as UserError).message).toMatch(/refused/)
    expect((failure as UserError).hint).toMatch(/GITHUB_API_URL/)
    expect(attempts.filter(p => p === port)).toHaveLength(1)
  })

  it('fails the same way through paginate and paginate.iterator', async () => {
    const port = await closedPort()
    const client = createGitHubClient({ token: 't', baseUrl: `http://127.0.0.1:${port}` })
    const params = { owner: 'octo-org', repo: 'octo-app', per_page: 100 }
    await expect(client.paginate(client.rest.repos.listDeployments, params)).rejects.toThrow(
      UserError
    )
    const pages = async () => {
      for await (const page of client.paginate.iterator(client.rest.repos.listReleases, params))
        return page
    }
    await expect(pages()).rejects.toThrow(UserError)
    expect(attempts.filter(p => p === port)).toHaveLength(2)
  })

  it('still retries a connection dropped by the server', async () => {
    const server = await droppingServer()
    const client = createGitHubClient({
      token: 't',
      baseUrl: `http://127.0.0.1:${server.port}`,
      retries: 1
    })
    const failure = await client.rest.repos.get({ owner: 'octo-org', repo: 'octo-app' }).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(failure).toBeDefined()
    expect(failure).not.toBeInstanceOf(UserError)
    expect(server.accepted()).toBe(2)
  })

  it('still retries a 5xx', async () => {
    const gh: Emulator = await startEmulator()
    cleanups.push(() => gh.close())
    gh.faults.inject({ path: `/repos/${gh.owner}/${gh.repo}`, status: 503 })
    const client = createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 1 })
    const { data } = await client.rest.repos.get({ owner: gh.owner, repo: gh.repo })
    expect(data.default_branch).toBe('main')
    expect(
      gh.requests.filter(r => r.path === `/repos/${gh.owner}/${gh.repo}`).map(r => r.status)
    ).toEqual([503, 200])
  })

  it('reads the REST base URL before it loads Octokit', () => {
    const client = createGitHubClient({ token: 't', baseUrl: 'https://ghes.example.com/api/v3/' })
    expect(client.request.endpoint.DEFAULTS.baseUrl).toBe('https://ghes.example.com/api/v3')
    expect(attempts).toEqual([])
  })
})

afterAll(() => {
  unsubscribe('undici:client:beforeConnect', onConnect)
})
