import { UserError } from '@slipway/kit'
import { sha256, type AssetFile } from './assets.js'
import {
  ReleaseConflict,
  type AssetInfo,
  type MakeLatest,
  type ReleaseInfo,
  type ReleaseStore
} from './port.js'

export interface AssetOutcome {
  name: string
  action: 'uploaded' | 'unchanged' | 'replaced'
}

export interface PublishOptions {
  tag: string
  sha: string
  name: string
  body: string
  prerelease: boolean
  makeLatest: MakeLatest
  assets: AssetFile[]
  log?: (message: string) => void
}

export interface PublishResult {
  release: ReleaseInfo
  /** What happened to the release itself. */
  action: 'created' | 'published' | 'unchanged'
  assets: AssetOutcome[]
}

/**
 * Creates the release as a draft, uploads every asset, then publishes it — the order
 * immutable releases need. A re-run finds the same release (draft or published) and only
 * does what is missing; a same-named asset with other content is replaced, except on an
 * immutable published release, where that is refused with an error.
 */
export async function publishRelease(
  store: ReleaseStore,
  options: PublishOptions
): Promise<PublishResult> {
  const log = options.log ?? (() => undefined)
  // A tag this store has just created had no release: GitHub would have made the tag when
  // publishing it. Creating the release is the first call then; a conflict still finds it.
  const tagIsNew = store.created?.get(options.tag) === options.sha
  let release = tagIsNew ? undefined : await store.findRelease([options.tag])
  let action: PublishResult['action'] = 'unchanged'
  if (!release) {
    try {
      release = await store.createRelease({
        tag: options.tag,
        target: options.sha,
        name: options.name,
        body: options.body,
        draft: true,
        prerelease: options.prerelease
      })
      action = 'created'
      log(`Created draft release ${options.tag}`)
    } catch (error) {
      if (!(error instanceof ReleaseConflict)) throw error
      release = await store.findRelease([options.tag])
      if (!release) throw error
    }
  }
  const assets = await syncAssets(store, release, options.assets, log, action === 'created')
  if (release.draft) {
    release = await store.updateRelease(release.id, {
      draft: false,
      name: options.name,
      body: options.body,
      prerelease: options.prerelease,
      makeLatest: options.prerelease ? 'false' : options.makeLatest
    })
    action = action === 'created' ? 'created' : 'published'
    log(`Published release ${options.tag}`)
  }
  return { release, action, assets }
}

const NEW_VERSION = 'release a new version to ship other content'

/** A user error that keeps the store's refusal as its cause (UserError takes no options). */
function refusal(message: string, cause?: unknown): UserError {
  const error = new UserError(message, NEW_VERSION)
  return cause === undefined ? error : Object.assign(error, { cause })
}

async function syncAssets(
  store: ReleaseStore,
  release: ReleaseInfo,
  files: AssetFile[],
  log: (message: string) => void,
  releaseIsNew: boolean
): Promise<AssetOutcome[]> {
  if (files.length === 0) return []
  // A release created by this call has no assets yet: nothing to list.
  const existing = releaseIsNew
    ? new Map<string, AssetInfo>()
    : await assetsByName(store, release.id)
  const outcomes: AssetOutcome[] = []
  for (const file of files) {
    const current = existing.get(file.name)
    if (current) {
      if ((await assetSha256(store, current)) === file.sha256) {
        outcomes.push({ name: file.name, action: 'unchanged' })
        continue
      }
      if (!release.draft && release.immutable)
        throw refusal(
          `Release ${release.tag_name} is immutable and already has an asset ${file.name} with different content; ` +
            'an immutable release cannot change its assets: release a new version instead'
        )
      try {
        await store.deleteAsset(current.id)
      } catch (error) {
        if (error instanceof ReleaseConflict && !release.draft)
          throw refusal(
            `Release ${release.tag_name} is published and refuses to change its asset ${file.name} (immutable release); ` +
              'release a new version instead',
            error
          )
        throw error
      }
      await store.uploadAsset(release, file.name, file.data)
      log(`Replaced asset ${file.name} (content changed)`)
      outcomes.push({ name: file.name, action: 'replaced' })
      continue
    }
    try {
      await store.uploadAsset(release, file.name, file.data)
      outcomes.push({ name: file.name, action: 'uploaded' })
      log(`Uploaded ${file.name} (${file.data.length} bytes)`)
    } catch (error) {
      if (!(error instanceof ReleaseConflict)) throw error
      // A retried upload that had in fact succeeded, or a concurrent run: converge on content.
      const now = (await assetsByName(store, release.id)).get(file.name)
      if (!now || (await assetSha256(store, now)) !== file.sha256) {
        if (!release.draft)
          throw refusal(
            `Cannot upload ${file.name} to ${release.tag_name}: the release refuses new assets (immutable release?)`,
            error
          )
        throw error
      }
      outcomes.push({ name: file.name, action: 'unchanged' })
    }
  }
  return outcomes
}

async function assetsByName(
  store: ReleaseStore,
  releaseId: number
): Promise<Map<string, AssetInfo>> {
  return new Map((await store.listAssets(releaseId)).map(asset => [asset.name, asset]))
}

/** An asset's SHA-256: from its `digest` when the store reports one, else by downloading it. */
async function assetSha256(store: ReleaseStore, asset: AssetInfo): Promise<string> {
  if (asset.digest?.startsWith('sha256:')) return asset.digest.slice('sha256:'.length)
  return sha256(await store.downloadAsset(asset.id))
}

/** Turns an existing prerelease (or draft) into a full release. */
export async function promoteRelease(
  store: ReleaseStore,
  tag: string,
  makeLatest: MakeLatest
): Promise<{ release: ReleaseInfo; action: 'promoted' | 'unchanged' }> {
  const release = await store.findRelease([tag])
  if (!release)
    throw new UserError(
      `promote: there is no release for tag ${tag} in ${store.location}`,
      'promote a tag that tag-and-release published as a prerelease'
    )
  if (!release.prerelease && !release.draft) return { release, action: 'unchanged' }
  const promoted = await store.updateRelease(release.id, {
    draft: false,
    prerelease: false,
    makeLatest
  })
  return { release: promoted, action: 'promoted' }
}
