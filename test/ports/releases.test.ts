import { describe, expect, test } from '@jest/globals'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { UserError } from '@slipway/kit'
import {
  GitHubReleaseStore,
  ensureTag,
  publishRelease,
  sha256,
  type AssetFile,
  type ReleaseStore
} from '@slipway/release'
import { releasesContract } from './releases.contract.js'
import { fileFixture, githubFixture } from './releases.fixtures.js'

/**
 * A ledger as the CLI's earlier local GitHub server wrote it: the release v1.0.0, published, with
 * the asset app.tar.gz ("the build", its bytes in assets/2 beside the file).
 */
const SAMPLE = readFileSync(new URL('./releases.sample-ledger.json', import.meta.url), 'utf8')

interface LedgerLayout {
  releases: ({ id: number } & Record<string, unknown>)[]
  assets: ({ id: number; digest: string } & Record<string, unknown>)[]
}

function writeSampleLedger(ledgerPath: string): void {
  mkdirSync(join(dirname(ledgerPath), 'assets'), { recursive: true })
  writeFileSync(ledgerPath, SAMPLE)
  writeFileSync(join(dirname(ledgerPath), 'assets', '2'), 'the build')
}

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

  test('it reads a ledger the earlier local GitHub server wrote: release, asset, re-run', async () => {
    const fixture = await fileFixture()
    try {
      const { store, commits } = fixture
      writeSampleLedger(fixture.ledgerPath)
      await ensureTag(store, 'v1.0.0', commits[1], 'v1.0.0')
      expect(await store.findRelease(['v1.0.0'])).toMatchObject({
        id: 1,
        draft: false,
        body: 'the notes',
        html_url: 'file:///srv/app/.slipway#release-v1.0.0'
      })
      const [listed] = await store.listAssets(1)
      expect(listed).toMatchObject({ id: 2, name: 'app.tar.gz', size: 9 })
      expect((await store.downloadAsset(listed.id)).toString()).toBe('the build')
      // A re-run over that ledger finds everything in place and writes nothing.
      const again = await publish(store, commits[1])
      expect(again).toMatchObject({ action: 'unchanged', assets: [{ action: 'unchanged' }] })
      expect(readFileSync(fixture.ledgerPath, 'utf8')).toBe(SAMPLE)
    } finally {
      await fixture.close()
    }
  })

  test('it writes the layout the earlier local GitHub server wrote', async () => {
    const fixture = await fileFixture()
    try {
      const { store, commits } = fixture
      await ensureTag(store, 'v1.0.0', commits[1], 'v1.0.0')
      await publish(store, commits[1])
      const sample = JSON.parse(SAMPLE) as LedgerLayout
      const written = JSON.parse(readFileSync(fixture.ledgerPath, 'utf8')) as LedgerLayout
      expect(Object.keys(written).sort()).toEqual(Object.keys(sample).sort())
      expect(Object.keys(written.releases[0]).sort()).toEqual(
        Object.keys(sample.releases[0]).sort()
      )
      expect(Object.keys(written.assets[0]).sort()).toEqual(Object.keys(sample.assets[0]).sort())
      const { id } = written.releases[0]
      expect(written.releases[0]).toMatchObject({
        tag_name: 'v1.0.0',
        draft: false,
        url: `{{slipway-ledger}}/repos/local/app/releases/${id}`,
        upload_url: `{{slipway-ledger}}/repos/local/app/releases/${id}/assets{?name,label}`
      })
      expect(written.assets[0]).toMatchObject({
        release_id: id,
        name: 'app.tar.gz',
        size: 9,
        digest: sample.assets[0].digest,
        url: `{{slipway-ledger}}/repos/local/app/releases/assets/${written.assets[0].id}`
      })
      const bytes = join(dirname(fixture.ledgerPath), 'assets', String(written.assets[0].id))
      expect(readFileSync(bytes, 'utf8')).toBe('the build')
    } finally {
      await fixture.close()
    }
  })
})
