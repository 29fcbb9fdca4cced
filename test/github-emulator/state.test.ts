import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createGitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from './index.js'
import { api } from './test-helpers.js'

let gh: Emulator
let repo: string
beforeEach(async () => {
  gh = await startEmulator({ owner: 'acme', repo: 'shop', defaultBranch: 'trunk', token: 't0k' })
  repo = `/repos/acme/shop`
})
afterEach(async () => {
  await gh.close()
})

describe('seeding API', () => {
  test('options name the repository, branch and token', async () => {
    expect(gh).toMatchObject({ owner: 'acme', repo: 'shop', token: 't0k' })
    expect(Object.keys(gh.state.refs)).toEqual(['refs/heads/trunk'])
    expect((await api(gh, 'GET', repo)).body).toMatchObject({
      full_name: 'acme/shop',
      default_branch: 'trunk'
    })
  })

  test('deployment history seeded directly is what the API returns (auto_inactive applied)', async () => {
    const v1 = gh.state.addCommit({ message: 'feat: v1' })
    gh.state.addTag('v1.0.0', v1, { message: 'v1.0.0' })
    const v2 = gh.state.addCommit({ message: 'feat: v2' })
    const d1 = gh.state.addDeployment({
      ref: 'v1.0.0',
      environment: 'staging',
      payload: { version: '1.0.0' },
      statuses: ['in_progress', 'success']
    })
    const d2 = gh.state.addDeployment({ ref: v2, environment: 'staging', statuses: ['success'] })
    expect(d1.sha).toBe(v1) // annotated tag peeled to its commit
    const statuses = await api(gh, 'GET', `${repo}/deployments/${d1.id}/statuses`)
    expect(statuses.body.map((s: { state: string }) => s.state)).toEqual([
      'inactive',
      'success',
      'in_progress'
    ])
    const list = await api(gh, 'GET', `${repo}/deployments?environment=staging`)
    expect(list.body.map((d: { id: number }) => d.id)).toEqual([d2.id, d1.id])
    expect((await api(gh, 'GET', `${repo}/environments/staging`)).status).toBe(200) // created on first deployment
  })

  test('releases and assets seeded directly, and Octokit paginates through Link headers', async () => {
    for (let i = 0; i < 25; i++) gh.state.addRelease({ tag_name: `v0.${i}.0` })
    const seeded = gh.state.addRelease({
      tag_name: 'v1.0.0',
      assets: [{ name: 'app.tgz', data: 'bytes', contentType: 'application/gzip' }]
    })
    expect(gh.state.refs['refs/tags/v1.0.0']).toBe(gh.state.headOf())
    expect(() => gh.state.addRelease({ tag_name: 'v1.0.0' })).toThrow(/exists/)
    const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url })
    const all = await octokit.paginate(octokit.rest.repos.listReleases, {
      owner: 'acme',
      repo: 'shop',
      per_page: 10
    })
    expect(all).toHaveLength(26)
    expect(gh.requests.filter(r => r.operationId === 'repos/list-releases')).toHaveLength(3)
    const latest = await octokit.rest.repos.getLatestRelease({ owner: 'acme', repo: 'shop' })
    expect(latest.data.id).toBe(seeded.id)
    expect(latest.data.assets[0]).toMatchObject({
      name: 'app.tgz',
      size: 5,
      content_type: 'application/gzip'
    })
  })
})
