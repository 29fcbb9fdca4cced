import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { UserError } from '@slipway/kit'
import {
  ReleaseConflict,
  ensureTag,
  moveTag,
  promoteRelease,
  publishRelease,
  sha256,
  type AssetFile,
  type NewRelease
} from '@slipway/release'
import type { ReleasesFixture } from './releases.fixtures.js'

const file = (name: string, text: string): AssetFile => {
  const data = Buffer.from(text)
  return { name, data, sha256: sha256(data) }
}

/**
 * What every implementation of the release port does, run against each of them by
 * releases.test.ts: tag-and-release and the rollback's release marking rely on exactly this.
 */
export function releasesContract(name: string, setup: () => Promise<ReleasesFixture>) {
  describe(`${name} keeps the release-store contract`, () => {
    let fixture: ReleasesFixture
    beforeEach(async () => {
      fixture = await setup()
    })
    afterEach(async () => {
      await fixture.close()
    })

    const draft = (tag: string, extra: Partial<NewRelease> = {}) =>
      fixture.store.createRelease({
        tag,
        target: fixture.commits[1],
        name: tag,
        body: `notes of ${tag}`,
        draft: true,
        prerelease: false,
        ...extra
      })

    test('an annotated tag: absent, then at its commit; a second one of that name is a conflict', async () => {
      const { store, commits } = fixture
      expect(await store.tagCommit('v1.0.0')).toBeUndefined()
      await store.createAnnotatedTag('v1.0.0', commits[0], 'v1.0.0\n\nthe notes')
      expect(await store.tagCommit('v1.0.0')).toBe(commits[0])
      await expect(store.createAnnotatedTag('v1.0.0', commits[1], 'again')).rejects.toBeInstanceOf(
        ReleaseConflict
      )
      expect(await store.tagCommit('v1.0.0')).toBe(commits[0])
    })

    test('a lightweight tag ref: created, a conflict when created again, then moved', async () => {
      const { store, commits } = fixture
      await store.createTagRef('v1', commits[0])
      expect(await store.tagCommit('v1')).toBe(commits[0])
      await expect(store.createTagRef('v1', commits[1])).rejects.toBeInstanceOf(ReleaseConflict)
      expect(await store.tagCommit('v1')).toBe(commits[0])
      await store.moveTagRef('v1', commits[1])
      expect(await store.tagCommit('v1')).toBe(commits[1])
    })

    test('a release is created as a draft and found by the first of several tags that has one', async () => {
      const { store } = fixture
      expect(await store.findRelease(['v1.0.0'])).toBeUndefined()
      const created = await draft('v1.0.0')
      expect(created).toMatchObject({
        tag_name: 'v1.0.0',
        draft: true,
        prerelease: false,
        body: 'notes of v1.0.0'
      })
      expect(created.html_url).toBeTruthy()
      expect(await store.findRelease(['v1.0.0'])).toMatchObject({ id: created.id, draft: true })
      await expect(draft('v1.0.0')).rejects.toBeInstanceOf(ReleaseConflict)

      const bare = await draft('1.0.0')
      expect(bare.id).not.toBe(created.id)
      expect((await store.findRelease(['v9.9.9', '1.0.0', 'v1.0.0']))?.id).toBe(bare.id)
      expect((await store.findRelease(['v1.0.0', '1.0.0']))?.id).toBe(created.id)
      expect(await store.findRelease(['v9.9.9'])).toBeUndefined()
    })

    test('an update changes the fields it names and leaves the others', async () => {
      const { store } = fixture
      const { id } = await draft('v1.0.0-rc.1', { prerelease: true })
      const published = await store.updateRelease(id, {
        draft: false,
        name: 'v1.0.0-rc.1',
        body: 'published notes',
        prerelease: true,
        makeLatest: 'false'
      })
      expect(published).toMatchObject({
        id,
        draft: false,
        prerelease: true,
        body: 'published notes'
      })
      // What the rollback's marking does: a line before the notes, nothing else.
      const marked = await store.updateRelease(id, { body: 'rolled back\n\npublished notes' })
      expect(marked).toMatchObject({ draft: false, prerelease: true })
      const promoted = await store.updateRelease(id, { prerelease: false, makeLatest: 'true' })
      expect(promoted).toMatchObject({
        draft: false,
        prerelease: false,
        body: 'rolled back\n\npublished notes'
      })
      expect(await store.findRelease(['v1.0.0-rc.1'])).toMatchObject({
        id,
        draft: false,
        prerelease: false,
        body: 'rolled back\n\npublished notes'
      })
    })

    test('assets: uploaded, listed, downloaded byte for byte, a conflict twice, deleted', async () => {
      const { store } = fixture
      const release = await draft('v1.0.0')
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
      await store.uploadAsset(release, 'app.bin', bytes)
      const [asset, ...others] = await store.listAssets(release.id)
      expect(others).toEqual([])
      expect(asset).toMatchObject({ name: 'app.bin', size: 256 })
      if (asset.digest) expect(asset.digest).toBe(`sha256:${sha256(bytes)}`)
      expect((await store.downloadAsset(asset.id)).equals(bytes)).toBe(true)
      await expect(
        store.uploadAsset(release, 'app.bin', Buffer.from('other'))
      ).rejects.toBeInstanceOf(ReleaseConflict)
      await store.deleteAsset(asset.id)
      expect(await store.listAssets(release.id)).toEqual([])
    })

    test('ensureTag and moveTag converge, and a release tag elsewhere is a user error', async () => {
      const { store, commits } = fixture
      expect(await ensureTag(store, 'v1.0.0', commits[1], 'v1.0.0')).toBe('created')
      expect(await ensureTag(store, 'v1.0.0', commits[1], 'v1.0.0')).toBe('exists')
      const elsewhere = ensureTag(store, 'v1.0.0', commits[0], 'v1.0.0')
      await expect(elsewhere).rejects.toBeInstanceOf(UserError)
      await expect(elsewhere).rejects.toThrow(/Tag v1\.0\.0 already exists and points to/)
      expect(await moveTag(store, 'v1', commits[0])).toBe('created')
      expect(await moveTag(store, 'v1', commits[0])).toBe('unchanged')
      expect(await moveTag(store, 'v1', commits[1])).toBe('moved')
      expect(await store.tagCommit('v1')).toBe(commits[1])
    })

    test('publishRelease: draft, assets, publish; a re-run changes nothing; new content replaces', async () => {
      const { store, commits } = fixture
      const options = {
        tag: 'v1.0.0',
        sha: commits[1],
        name: 'v1.0.0',
        body: 'notes',
        prerelease: false,
        makeLatest: 'true' as const,
        assets: [file('app.tar.gz', 'build 1'), file('SHA256SUMS', 'sums 1')]
      }
      const first = await publishRelease(store, options)
      expect(first.action).toBe('created')
      expect(first.release).toMatchObject({ tag_name: 'v1.0.0', draft: false, body: 'notes' })
      expect(first.assets.map(a => a.action)).toEqual(['uploaded', 'uploaded'])

      const again = await publishRelease(store, options)
      expect(again.action).toBe('unchanged')
      expect(again.release.id).toBe(first.release.id)
      expect(again.assets.map(a => a.action)).toEqual(['unchanged', 'unchanged'])

      const changed = await publishRelease(store, {
        ...options,
        assets: [file('app.tar.gz', 'build 2'), options.assets[1]]
      })
      expect(changed.assets).toEqual([
        { name: 'app.tar.gz', action: 'replaced' },
        { name: 'SHA256SUMS', action: 'unchanged' }
      ])
      const assets = await store.listAssets(first.release.id)
      expect(assets.map(a => a.name).sort()).toEqual(['SHA256SUMS', 'app.tar.gz'])
      const app = assets.find(a => a.name === 'app.tar.gz')!
      expect((await store.downloadAsset(app.id)).toString()).toBe('build 2')
    })

    test('promoteRelease turns a prerelease into a full release once; no release is a user error', async () => {
      const { store } = fixture
      const rc = await draft('v1.0.0-rc.1', { prerelease: true })
      await store.updateRelease(rc.id, { draft: false, prerelease: true, makeLatest: 'false' })
      const promoted = await promoteRelease(store, 'v1.0.0-rc.1', 'true')
      expect(promoted.action).toBe('promoted')
      expect(promoted.release).toMatchObject({ id: rc.id, prerelease: false, draft: false })
      expect((await promoteRelease(store, 'v1.0.0-rc.1', 'true')).action).toBe('unchanged')
      const missing = promoteRelease(store, 'v2.0.0-rc.1', 'true')
      await expect(missing).rejects.toBeInstanceOf(UserError)
      await expect(missing).rejects.toThrow(/no release for tag v2\.0\.0-rc\.1 in /)
    })
  })
}
