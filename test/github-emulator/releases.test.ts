import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createGitHubClient, type GitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from './index.js'
import { api } from './test-helpers.js'

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

describe('releases through Octokit', () => {
  test('draft → upload asset → publish, on an immutable-releases repository', async () => {
    gh.state.setRepo({ immutableReleases: true })
    const { data: draft } = await octokit.rest.repos.createRelease({
      owner: gh.owner,
      repo: gh.repo,
      tag_name: 'v1.0.0',
      name: 'v1.0.0',
      body: '## Features\n- shiny',
      draft: true
    })
    expect(draft).toMatchObject({ draft: true, published_at: null, immutable: false })
    expect(draft.upload_url).toBe(
      `${gh.url}/repos/octo/app/releases/${draft.id}/assets{?name,label}`
    )
    expect(gh.state.refs['refs/tags/v1.0.0']).toBeUndefined() // drafts create no tag

    const bytes = Buffer.from('artifact bytes\n')
    const { data: asset } = await octokit.request({
      method: 'POST',
      url: draft.upload_url,
      name: 'app.tar.gz',
      label: 'App',
      data: bytes,
      headers: { 'content-type': 'application/gzip' }
    })
    expect(asset).toMatchObject({
      name: 'app.tar.gz',
      label: 'App',
      size: bytes.length,
      state: 'uploaded'
    })
    expect(gh.state.assetBytes(asset.id)?.equals(bytes)).toBe(true)

    const { data: published } = await octokit.rest.repos.updateRelease({
      owner: gh.owner,
      repo: gh.repo,
      release_id: draft.id,
      draft: false
    })
    expect(published).toMatchObject({ draft: false, immutable: true })
    expect(published.assets.map(a => a.name)).toEqual(['app.tar.gz'])
    expect(gh.state.refs['refs/tags/v1.0.0']).toBe(gh.state.headOf())

    const { data: latest } = await octokit.rest.repos.getLatestRelease({
      owner: gh.owner,
      repo: gh.repo
    })
    expect(latest.id).toBe(draft.id)
    const download = await octokit.rest.repos.getReleaseAsset({
      owner: gh.owner,
      repo: gh.repo,
      asset_id: asset.id,
      headers: { accept: 'application/octet-stream' }
    })
    expect(Buffer.from(download.data as unknown as ArrayBuffer).toString()).toBe('artifact bytes\n')
  })
})

// Raw HTTP below: Octokit's throttling holds POST /releases three seconds apart.
describe('release semantics (raw HTTP)', () => {
  test('a duplicate tag answers 422 already_exists', async () => {
    expect(
      (await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0', draft: true })).status
    ).toBe(201)
    const dup = await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0' })
    expect(dup.status).toBe(422)
    expect(dup.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]
    })
    expect(gh.state.releases).toHaveLength(1)
  })

  const upload = (id: number, name: string, data = 'x', type = 'application/octet-stream') =>
    api(gh, 'POST', `${repo}/releases/${id}/assets?name=${name}`, new TextEncoder().encode(data), {
      'content-type': type
    })

  test('immutable releases refuse asset changes and tag changes once published', async () => {
    gh.state.setRepo({ immutableReleases: true })
    const rel = (await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0', draft: true }))
      .body
    const asset = (await upload(rel.id, 'a.txt')).body
    expect((await upload(rel.id, 'a.txt')).body.errors[0]).toMatchObject({
      code: 'already_exists',
      field: 'name'
    })
    await api(gh, 'PATCH', `${repo}/releases/${rel.id}`, { draft: false })
    expect((await upload(rel.id, 'b.txt')).status).toBe(422)
    expect((await api(gh, 'DELETE', `${repo}/releases/assets/${asset.id}`)).status).toBe(422)
    expect(
      (await api(gh, 'PATCH', `${repo}/releases/${rel.id}`, { tag_name: 'v2.0.0' })).status
    ).toBe(422)
    expect(gh.state.assets(rel.id)).toHaveLength(1)
  })

  test('mutable releases allow asset delete and tag rename', async () => {
    const rel = (await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0' })).body
    const asset = (await upload(rel.id, 'a.txt')).body
    expect((await api(gh, 'DELETE', `${repo}/releases/assets/${asset.id}`)).status).toBe(204)
    expect(
      (await api(gh, 'PATCH', `${repo}/releases/${rel.id}`, { tag_name: 'v1.0.1' })).body.tag_name
    ).toBe('v1.0.1')
    const dl = await fetch(`${gh.url}/octo/app/releases/download/v1.0.1/none`)
    expect(dl.status).toBe(404)
  })

  test('get by tag skips drafts; latest ignores prereleases and honours make_latest', async () => {
    const v1 = (await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0' })).body
    const draft = (await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v2.0.0', draft: true }))
      .body
    const rc = (
      await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v2.0.0-rc.1', prerelease: true })
    ).body
    expect((await api(gh, 'GET', `${repo}/releases/tags/v2.0.0`)).status).toBe(404)
    expect((await api(gh, 'GET', `${repo}/releases/tags/v2.0.0-rc.1`)).body.id).toBe(rc.id)
    expect((await api(gh, 'GET', `${repo}/releases/latest`)).body.id).toBe(v1.id)

    const hotfix = (
      await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v0.9.1', make_latest: 'false' })
    ).body
    expect((await api(gh, 'GET', `${repo}/releases/latest`)).body.id).toBe(v1.id)
    await api(gh, 'PATCH', `${repo}/releases/${draft.id}`, { draft: false })
    expect((await api(gh, 'GET', `${repo}/releases/latest`)).body.id).toBe(draft.id)
    await api(gh, 'PATCH', `${repo}/releases/${hotfix.id}`, { make_latest: 'true' })
    expect((await api(gh, 'GET', `${repo}/releases/latest`)).body.id).toBe(hotfix.id)

    const list = await api(gh, 'GET', `${repo}/releases?per_page=2`)
    expect(list.body).toHaveLength(2)
    expect(list.headers.get('link')).toContain('rel="last"')
    expect((await api(gh, 'DELETE', `${repo}/releases/${hotfix.id}`)).status).toBe(204)
    expect((await api(gh, 'GET', `${repo}/releases/latest`)).body.id).toBe(draft.id)
    expect(gh.state.releases).toHaveLength(3)
  })

  test('browser_download_url serves the bytes', async () => {
    const rel = (await api(gh, 'POST', `${repo}/releases`, { tag_name: 'v1.0.0', draft: true }))
      .body
    const asset = (await upload(rel.id, 'SHA256SUMS', 'abc  app.tar.gz\n', 'text/plain')).body
    expect(asset.content_type).toBe('text/plain')
    const res = await fetch(asset.browser_download_url)
    expect(await res.text()).toBe('abc  app.tar.gz\n')
    const listed = await api(gh, 'GET', `${repo}/releases/${rel.id}/assets`)
    expect(listed.body.map((a: { name: string }) => a.name)).toEqual(['SHA256SUMS'])
  })
})
