import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { createGitHubClient } from '@slipway/github'
import { GitHubReleaseStore, ensureTag, moveTag, publishRelease } from '@slipway/release'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

// The calls tag-and-release makes on GitHub: a new release reads nothing it knows already (its
// tag was just made, so it had no release; a new release has no assets; the major tag cannot
// point at the new commit yet), and a re-run still converges without duplicating anything.

let gh: Emulator
let sha: string
let previous: string
beforeEach(async () => {
  process.env.SLIPWAY_GITHUB_WRITE_INTERVAL_MS = '0'
  gh = await startEmulator()
  previous = gh.state.addCommit({ message: 'feat: one' })
  gh.state.addTag('v1.0.0', previous, { message: 'v1.0.0' })
  gh.state.addTag('v1', previous)
  sha = gh.state.addCommit({ message: 'feat: two' })
})
afterEach(async () => {
  await gh.close()
})

const store = () =>
  new GitHubReleaseStore({
    repository: { owner: gh.owner, repo: gh.repo },
    client: createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 0 })
  })

const file = (name: string, text: string) => {
  const data = Buffer.from(text)
  return { name, data, sha256: createHash('sha256').update(data).digest('hex') }
}
const assets = [file('app.tar.gz', 'build'), file('SHA256SUMS', 'sums')]

/** ensureTag → publishRelease → moveTag, as tag-and-release runs them. */
async function release(tag: string, major: string, at = sha) {
  const releases = store()
  const tagged = await ensureTag(releases, tag, at, tag)
  const published = await publishRelease(releases, {
    tag,
    sha: at,
    name: tag,
    body: 'notes',
    prerelease: false,
    makeLatest: 'true',
    assets
  })
  const moved = await moveTag(releases, major, at)
  return { tagged, published, moved }
}

const calls = (since = 0) =>
  gh.requests
    .slice(since)
    .map(q => `${q.method} ${q.path.split('?')[0].replace(/\/\d+/g, '/N')} → ${q.status}`)

describe('tag-and-release on GitHub', () => {
  test('a new release: no read at all, the major tag moved with one update', async () => {
    const { tagged, published, moved } = await release('v1.1.0', 'v1')
    expect([tagged, published.action, moved]).toEqual(['created', 'created', 'moved'])
    expect(published.assets.map(a => a.action)).toEqual(['uploaded', 'uploaded'])
    expect(calls()).toEqual([
      'POST /repos/octo/app/git/tags → 201',
      'POST /repos/octo/app/git/refs → 201',
      'POST /repos/octo/app/releases → 201',
      'POST /repos/octo/app/releases/N/assets → 201',
      'POST /repos/octo/app/releases/N/assets → 201',
      'PATCH /repos/octo/app/releases/N → 200',
      'PATCH /repos/octo/app/git/refs/tags%2Fv1 → 200'
    ])
    expect(gh.state.refs['refs/tags/v1']).toBe(sha)
    expect(gh.state.resolveCommit('v1.1.0')).toBe(sha)
  })

  test('a new major: its tag is created after GitHub says it does not exist', async () => {
    const { moved } = await release('v2.0.0', 'v2')
    expect(moved).toBe('created')
    expect(calls().slice(-2)).toEqual([
      'PATCH /repos/octo/app/git/refs/tags%2Fv2 → 422',
      'POST /repos/octo/app/git/refs → 201'
    ])
    expect(gh.state.refs['refs/tags/v2']).toBe(sha)
  })

  test('a re-run converges: the release found by its tag, nothing duplicated, v1 unchanged', async () => {
    const first = await release('v1.1.0', 'v1')
    const since = gh.requests.length
    const again = await release('v1.1.0', 'v1')
    expect([again.tagged, again.published.action, again.moved]).toEqual([
      'exists',
      'unchanged',
      'unchanged'
    ])
    expect(again.published.release.id).toBe(first.published.release.id)
    expect(again.published.assets.map(a => a.action)).toEqual(['unchanged', 'unchanged'])
    expect(calls(since).filter(c => !c.startsWith('GET'))).toEqual([
      'POST /repos/octo/app/git/tags → 201',
      'POST /repos/octo/app/git/refs → 422'
    ])
    expect(calls(since)).toContain('GET /repos/octo/app/releases/tags/v1.1.0 → 200')
    expect(calls(since)).not.toContain('GET /repos/octo/app/releases → 200')
    expect(gh.state.releases).toHaveLength(1)
  })

  test('a draft an earlier run left is found by listing (GitHub finds no draft by its tag)', async () => {
    gh.state.addTag('v1.1.0', sha, { message: 'v1.1.0' })
    const draft = gh.state.addRelease({ tag_name: 'v1.1.0', target_commitish: sha, draft: true })
    const { tagged, published } = await release('v1.1.0', 'v1')
    expect(tagged).toBe('exists')
    expect(published.action).toBe('published')
    expect(published.release.id).toBe(draft.id)
    expect(calls()).toContain('GET /repos/octo/app/releases/tags/v1.1.0 → 404')
    expect(calls()).toContain('GET /repos/octo/app/releases → 200')
    expect(gh.state.releases.filter(r => r.tag_name === 'v1.1.0')).toHaveLength(1)
    expect(gh.state.releases[0]).toMatchObject({ draft: false })
  })
})
