import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createGitHubClient, type GitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from './index.js'
import { api } from './test-helpers.js'

// Octokit's throttling plugin spaces writes one second apart (per process), so the
// Octokit tests here keep their writes few; emulator semantics are covered with raw HTTP.
let gh: Emulator
let octokit: GitHubClient
let repo: string
beforeEach(async () => {
  gh = await startEmulator()
  octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url })
  repo = `/repos/${gh.owner}/${gh.repo}`
})
afterEach(async () => {
  await gh.close()
})

describe('deployments through Octokit', () => {
  test('create a deployment and its statuses, then read them back', async () => {
    const sha = gh.state.addCommit({ message: 'feat: shiny' })
    const { data: deployment, status } = await octokit.rest.repos.createDeployment({
      owner: gh.owner,
      repo: gh.repo,
      ref: sha,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      payload: { version: '1.2.3', backupId: 'b-1' }
    })
    expect(status).toBe(201)
    if (!('id' in deployment)) throw new Error('expected a deployment')
    expect(deployment).toMatchObject({ sha, environment: 'staging', production_environment: false })
    const { data: st } = await octokit.rest.repos.createDeploymentStatus({
      owner: gh.owner,
      repo: gh.repo,
      deployment_id: deployment.id,
      state: 'success',
      environment_url: 'https://staging.example.com',
      log_url: 'https://ci.example.com/run/1',
      description: 'Deployed 1.2.3'
    })
    expect(st).toMatchObject({ state: 'success', target_url: 'https://ci.example.com/run/1' })

    const { data: listed } = await octokit.rest.repos.listDeployments({
      owner: gh.owner,
      repo: gh.repo,
      environment: 'staging'
    })
    expect(listed.map(d => d.id)).toEqual([deployment.id])
    expect(listed[0].payload).toEqual({ version: '1.2.3', backupId: 'b-1' })
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
      owner: gh.owner,
      repo: gh.repo,
      deployment_id: deployment.id
    })
    expect(statuses.map(s => s.state)).toEqual(['success'])
    expect(gh.state.deploymentStatuses(deployment.id)[0].environment_url).toBe(
      'https://staging.example.com'
    )
  })

  test('create-deployment defaults bite: auto_merge and required_contexts answer 409', async () => {
    const old = gh.state.headOf()
    gh.state.addCommit({ message: 'feat: newer' })
    // plugin-retry retries a 409 (it is not in its doNotRetry list) with 1 s, 4 s, 9 s
    // backoff: switch retries off for this request so the test stays fast.
    await expect(
      octokit.rest.repos.createDeployment({
        owner: gh.owner,
        repo: gh.repo,
        ref: old,
        required_contexts: [],
        request: { retries: 0 }
      })
    ).rejects.toMatchObject({ status: 409 })
    expect(gh.state.deployments).toHaveLength(0)
  })
})

describe('deployment semantics (raw HTTP)', () => {
  test('required_contexts defaults to every context of the ref', async () => {
    const sha = gh.state.headOf()
    gh.state.addCommitStatus(sha, { context: 'ci', state: 'failure' })
    const denied = await api(gh, 'POST', `${repo}/deployments`, { ref: 'main' })
    expect(denied.status).toBe(409)
    expect(denied.body.message).toBe('Conflict: Commit status checks failed for main.')
    const explicit = await api(gh, 'POST', `${repo}/deployments`, {
      ref: 'main',
      required_contexts: ['ci']
    })
    expect(explicit.status).toBe(409)
    const skipped = await api(gh, 'POST', `${repo}/deployments`, {
      ref: 'main',
      required_contexts: []
    })
    expect(skipped.status).toBe(201)
    expect(skipped.body).toMatchObject({
      environment: 'production',
      production_environment: true,
      task: 'deploy'
    })
    const unknown = await api(gh, 'POST', `${repo}/deployments`, {
      ref: 'nope',
      required_contexts: []
    })
    expect(unknown).toMatchObject({ status: 422, body: { message: 'No ref found for: nope' } })
  })

  test('payload may be a string and is stored as given', async () => {
    const res = await api(gh, 'POST', `${repo}/deployments`, {
      ref: 'main',
      payload: '{"a":1}',
      required_contexts: []
    })
    expect(res.body.payload).toBe('{"a":1}')
  })

  test('auto_inactive marks earlier successful non-production deployments inactive', async () => {
    const deploy = async (environment: string, extra: Record<string, unknown> = {}) => {
      const d = await api(gh, 'POST', `${repo}/deployments`, {
        ref: 'main',
        environment,
        required_contexts: [],
        ...extra
      })
      expect(d.status).toBe(201)
      return d.body.id as number
    }
    const succeed = (id: number, extra: Record<string, unknown> = {}) =>
      api(gh, 'POST', `${repo}/deployments/${id}/statuses`, { state: 'success', ...extra })
    const a = await deploy('staging')
    await succeed(a)
    const failed = await deploy('staging')
    await api(gh, 'POST', `${repo}/deployments/${failed}/statuses`, { state: 'failure' })
    const other = await deploy('qa')
    await succeed(other)
    const b = await deploy('staging')
    await succeed(b)
    const latest = (id: number) => gh.state.deploymentStatuses(id)[0].state
    expect(latest(a)).toBe('inactive')
    expect(latest(failed)).toBe('failure')
    expect(latest(other)).toBe('success')
    expect(latest(b)).toBe('success')

    const c = await deploy('staging')
    await succeed(c, { auto_inactive: false })
    expect(latest(b)).toBe('success')

    const p1 = await deploy('production')
    await succeed(p1)
    const p2 = await deploy('production')
    await succeed(p2)
    expect(latest(p1)).toBe('success') // production deployments are not auto-inactivated
  })

  test('status description is limited to 140 characters', async () => {
    const d = await api(gh, 'POST', `${repo}/deployments`, { ref: 'main', required_contexts: [] })
    const long = await api(gh, 'POST', `${repo}/deployments/${d.body.id}/statuses`, {
      state: 'success',
      description: 'x'.repeat(141)
    })
    expect(long.status).toBe(422)
    expect(gh.state.deploymentStatuses(d.body.id)).toHaveLength(0)
  })

  test('list filters and paginates with Link headers; delete only inactive', async () => {
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      const d = await api(gh, 'POST', `${repo}/deployments`, {
        ref: 'main',
        environment: i % 2 ? 'staging' : 'production',
        task: i === 4 ? 'deploy:migrations' : 'deploy',
        required_contexts: []
      })
      ids.push(d.body.id)
    }
    const page1 = await api(gh, 'GET', `${repo}/deployments?per_page=2`)
    expect(page1.body.map((d: { id: number }) => d.id)).toEqual([ids[4], ids[3]])
    expect(page1.headers.get('link')).toMatch(/page=2>; rel="next".*page=3>; rel="last"/)
    const page3 = await api(gh, 'GET', `${repo}/deployments?per_page=2&page=3`)
    expect(page3.body.map((d: { id: number }) => d.id)).toEqual([ids[0]])
    expect((await api(gh, 'GET', `${repo}/deployments?environment=staging`)).body).toHaveLength(2)
    expect((await api(gh, 'GET', `${repo}/deployments?task=deploy:migrations`)).body).toHaveLength(
      1
    )
    expect(
      (await api(gh, 'GET', `${repo}/deployments?sha=${gh.state.headOf()}`)).body
    ).toHaveLength(5)

    expect((await api(gh, 'DELETE', `${repo}/deployments/${ids[0]}`)).status).toBe(422)
    await api(gh, 'POST', `${repo}/deployments/${ids[0]}/statuses`, { state: 'inactive' })
    expect((await api(gh, 'DELETE', `${repo}/deployments/${ids[0]}`)).status).toBe(204)
    expect((await api(gh, 'GET', `${repo}/deployments/${ids[0]}`)).status).toBe(404)
    expect(gh.state.deployments).toHaveLength(4)
  })
})
