import { describe, expect, test } from '@jest/globals'
import { createGitHubClient } from '@slipway/github'
import { UserError } from '@slipway/kit'
import {
  GitHubReleaseStore,
  ensureTag,
  publishRelease,
  sha256,
  type AssetFile,
  type ReleaseStore
} from '@slipway/release'
import { serveLedger } from '../../packages/cli/src/ledger/fetch.js'
import { releasesContract } from './releases.contract.js'
import { fileFixture, githubFixture } from './releases.fixtures.js'

releasesContract('GitHubReleaseStore (emulator)', githubFixture)
releasesContract('FileReleaseStore', fileFixture)

const asset = (name: string, text: string): AssetFile => {
  const data = Buffer.from(text)
  return { name, data, sha256: sha256(data) }
}

const publish = (store: ReleaseStore, sha: string) =>
  publishRelease(store, {
    tag: 'v1.0.0',
    sha,
    name: 'v1.0.0',
    body: 'the notes',
    prerelease: false,
    makeLatest: 'true',
    assets: [asset('app.tar.gz', 'the build')]
  })

describe('GitHubReleaseStore', () => {
  test('an annotated tag is a tag object, then its ref; a release is a draft until published', async () => {
    const fixture = await githubFixture()
    try {
      const { gh, store, commits } = fixture
      await ensureTag(store, 'v1.0.0', commits[1], 'v1.0.0\n\nthe notes')
      await publish(store, commits[1])
      const writes = gh.requests
        .filter(q => q.method !== 'GET')
        .map(q => `${q.method} ${q.path.replace(/\/\d+/g, '/N').split('?')[0]}`)
      expect(writes).toEqual([
        'POST /repos/octo/app/git/tags',
        'POST /repos/octo/app/git/refs',
        'POST /repos/octo/app/releases',
        'POST /repos/octo/app/releases/N/assets',
        'PATCH /repos/octo/app/releases/N'
      ])
      expect(gh.state.tags[0]).toMatchObject({ tag: 'v1.0.0', object: { sha: commits[1] } })
      expect(gh.state.refs['refs/tags/v1.0.0']).toBe(gh.state.tags[0].sha)
    } finally {
      await fixture.close()
    }
  })

  test('a 403 on a write is a user error asking for contents: write; nothing is created', async () => {
    const fixture = await githubFixture()
    try {
      const { gh, store, commits } = fixture
      gh.faults.inject({ method: 'POST', path: '/repos/octo/app/releases', status: 403 })
      const refused = publish(store, commits[1])
      await expect(refused).rejects.toBeInstanceOf(UserError)
      await expect(refused).rejects.toThrow(/GitHub refused to create the release v1\.0\.0 .*403/)
      await refused.catch((error: UserError) => expect(error.hint).toMatch(/contents: write/))
      expect(gh.state.releases).toHaveLength(0)
    } finally {
      await fixture.close()
    }
  })

  test('without a token or a repository, the first request is a user error', async () => {
    const noToken = new GitHubReleaseStore({ repository: { owner: 'octo', repo: 'app' } })
    await expect(noToken.tagCommit('v1.0.0')).rejects.toThrow(
      expect.objectContaining({ name: 'UserError', message: expect.stringMatching(/token/) })
    )
    const noRepository = new GitHubReleaseStore({ token: 'x' })
    await expect(noRepository.findRelease(['v1.0.0'])).rejects.toThrow(
      expect.objectContaining({ name: 'UserError', message: expect.stringMatching(/repository/) })
    )
  })
})

describe('FileReleaseStore', () => {
  test('tags are annotated tags of the local repository, with their message', async () => {
    const fixture = await fileFixture()
    try {
      const { repo, store, commits } = fixture
      await ensureTag(store, 'v1.0.0', commits[0], 'v1.0.0\n\nthe notes')
      expect(await repo.git('cat-file', '-t', 'v1.0.0')).toBe('tag')
      expect(await repo.git('rev-parse', 'v1.0.0^{commit}')).toBe(commits[0])
      expect(await repo.git('tag', '-l', '--format=%(contents)', 'v1.0.0')).toBe(
        'v1.0.0\n\nthe notes'
      )
    } finally {
      await fixture.close()
    }
  })

  test("what it writes is what the CLI's ledger server serves", async () => {
    const fixture = await fileFixture()
    const { store, commits } = fixture
    await ensureTag(store, 'v1.0.0', commits[1], 'v1.0.0')
    const written = await publish(store, commits[1])
    // The server reads the file once, when it starts (as each CLI run does).
    const server = await serveLedger({
      path: fixture.ledgerPath,
      cwd: fixture.repo.dir,
      owner: 'local',
      repo: 'app'
    })
    try {
      const served = new GitHubReleaseStore({
        client: createGitHubClient({ token: 'local', baseUrl: server.url, retries: 0 }),
        repository: { owner: 'local', repo: 'app' }
      })
      expect(await served.tagCommit('v1.0.0')).toBe(commits[1])
      expect(await served.findRelease(['v1.0.0'])).toMatchObject({
        id: written.release.id,
        draft: false,
        body: 'the notes',
        html_url: written.release.html_url
      })
      const [listed] = await served.listAssets(written.release.id)
      expect(listed).toMatchObject({ name: 'app.tar.gz', size: 9 })
      expect((await served.downloadAsset(listed.id)).toString()).toBe('the build')
      // And a re-run through the server finds everything in place.
      const again = await publish(served, commits[1])
      expect(again).toMatchObject({ action: 'unchanged', assets: [{ action: 'unchanged' }] })
    } finally {
      await server.close()
      await fixture.close()
    }
  })

  test("it reads what the CLI's ledger server wrote", async () => {
    const fixture = await fileFixture()
    const server = await serveLedger({
      path: fixture.ledgerPath,
      cwd: fixture.repo.dir,
      owner: 'local',
      repo: 'app'
    })
    try {
      const { store, commits } = fixture
      const served = new GitHubReleaseStore({
        client: createGitHubClient({ token: 'local', baseUrl: server.url, retries: 0 }),
        repository: { owner: 'local', repo: 'app' }
      })
      await ensureTag(served, 'v1.0.0', commits[1], 'v1.0.0')
      const written = await publish(served, commits[1])
      await server.close()
      expect(await store.tagCommit('v1.0.0')).toBe(commits[1])
      expect(await store.findRelease(['v1.0.0'])).toMatchObject({
        id: written.release.id,
        draft: false,
        body: 'the notes'
      })
      const [listed] = await store.listAssets(written.release.id)
      expect((await store.downloadAsset(listed.id)).toString()).toBe('the build')
      const again = await publish(store, commits[1])
      expect(again).toMatchObject({ action: 'unchanged', assets: [{ action: 'unchanged' }] })
    } finally {
      await server.close()
      await fixture.close()
    }
  })
})
