import type { GitHubClient, RepoRef } from '@slipway/github'
import { sha256, type AssetFile } from './assets.js'

export type TagOutcome = 'created' | 'exists'
export type MakeLatest = 'true' | 'false' | 'legacy'

/** The fields of a release we use (the REST shape). */
export interface ReleaseInfo {
  id: number
  tag_name: string
  html_url: string
  upload_url: string
  draft: boolean
  prerelease: boolean
  body?: string | null
  immutable?: boolean
}

interface AssetInfo {
  id: number
  name: string
  size: number
  digest?: string | null
}

export interface AssetOutcome {
  name: string
  action: 'uploaded' | 'unchanged' | 'replaced'
}

/** The HTTP status of an Octokit error, or undefined. */
function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error
    ? Number((error as { status: unknown }).status)
    : undefined
}

/** The commit a tag ref points to (peeling annotated tags), or undefined when there is no such tag. */
export async function tagCommit(
  client: GitHubClient,
  repo: RepoRef,
  tag: string
): Promise<string | undefined> {
  let object: { type: string; sha: string }
  try {
    const { data } = await client.rest.git.getRef({ ...repo, ref: `tags/${tag}` })
    object = data.object
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw error
  }
  // Bounded peel: a tag of a tag of … a commit.
  for (let depth = 0; object.type === 'tag' && depth < 5; depth++) {
    const { data } = await client.rest.git.getTag({ ...repo, tag_sha: object.sha })
    object = data.object
  }
  return object.sha
}

function pointsElsewhere(tag: string, actual: string, wanted: string): Error {
  return new Error(
    `Tag ${tag} already exists and points to ${actual.slice(0, 12)}, not to ${wanted.slice(0, 12)}. ` +
      'A release tag is never moved: delete it deliberately or release a new version ' +
      '(if the checkout lacks tags, check out with `fetch-depth: 0`).'
  )
}

/**
 * Creates the annotated tag `tag` at `sha` (POST git/tags, then POST git/refs). Idempotent:
 * a tag already at `sha` is fine; a tag elsewhere is an error.
 */
export async function ensureTag(
  client: GitHubClient,
  repo: RepoRef,
  tag: string,
  sha: string,
  message: string
): Promise<TagOutcome> {
  const existing = await tagCommit(client, repo, tag)
  if (existing) {
    if (existing !== sha) throw pointsElsewhere(tag, existing, sha)
    return 'exists'
  }
  const { data: tagObject } = await client.rest.git.createTag({
    ...repo,
    tag,
    message,
    object: sha,
    type: 'commit'
  })
  try {
    await client.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: tagObject.sha })
    return 'created'
  } catch (error) {
    // Another run (or a retried request that did succeed) created it meanwhile.
    if (statusOf(error) !== 422) throw error
    const now = await tagCommit(client, repo, tag)
    if (now === sha) return 'exists'
    if (now) throw pointsElsewhere(tag, now, sha)
    throw error
  }
}

/** Points the floating major tag (`v1`) at `sha`, creating it when missing. */
export async function moveTag(
  client: GitHubClient,
  repo: RepoRef,
  tag: string,
  sha: string
): Promise<'created' | 'moved' | 'unchanged'> {
  const existing = await tagCommit(client, repo, tag)
  if (existing === sha) return 'unchanged'
  if (existing) {
    await client.rest.git.updateRef({ ...repo, ref: `tags/${tag}`, sha, force: true })
    return 'moved'
  }
  try {
    await client.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha })
    return 'created'
  } catch (error) {
    if (statusOf(error) !== 422) throw error
    await client.rest.git.updateRef({ ...repo, ref: `tags/${tag}`, sha, force: true })
    return 'moved'
  }
}

/** The release of a tag, drafts included (GET releases/tags/{tag} does not return drafts). */
export async function findRelease(
  client: GitHubClient,
  repo: RepoRef,
  tag: string
): Promise<ReleaseInfo | undefined> {
  for await (const page of client.paginate.iterator(client.rest.repos.listReleases, {
    ...repo,
    per_page: 100
  })) {
    const found = page.data.find(release => release.tag_name === tag)
    if (found) return found as ReleaseInfo
  }
  return undefined
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
  client: GitHubClient,
  repo: RepoRef,
  options: PublishOptions
): Promise<PublishResult> {
  const log = options.log ?? (() => undefined)
  let release = await findRelease(client, repo, options.tag)
  let action: PublishResult['action'] = 'unchanged'
  if (!release) {
    try {
      const { data } = await client.rest.repos.createRelease({
        ...repo,
        tag_name: options.tag,
        target_commitish: options.sha,
        name: options.name,
        body: options.body,
        draft: true,
        prerelease: options.prerelease
      })
      release = data as ReleaseInfo
      action = 'created'
      log(`Created draft release ${options.tag}`)
    } catch (error) {
      if (statusOf(error) !== 422) throw error
      release = await findRelease(client, repo, options.tag)
      if (!release) throw error
    }
  }
  const assets = await syncAssets(client, repo, release, options.assets, log)
  if (release.draft) {
    const { data } = await client.rest.repos.updateRelease({
      ...repo,
      release_id: release.id,
      draft: false,
      name: options.name,
      body: options.body,
      prerelease: options.prerelease,
      make_latest: options.prerelease ? 'false' : options.makeLatest
    })
    release = data as ReleaseInfo
    action = action === 'created' ? 'created' : 'published'
    log(`Published release ${options.tag}`)
  }
  return { release, action, assets }
}

async function syncAssets(
  client: GitHubClient,
  repo: RepoRef,
  release: ReleaseInfo,
  files: AssetFile[],
  log: (message: string) => void
): Promise<AssetOutcome[]> {
  if (files.length === 0) return []
  const existing = await listAssets(client, repo, release.id)
  const outcomes: AssetOutcome[] = []
  for (const file of files) {
    const current = existing.get(file.name)
    if (current) {
      if ((await assetSha256(client, repo, current)) === file.sha256) {
        outcomes.push({ name: file.name, action: 'unchanged' })
        continue
      }
      if (!release.draft && release.immutable) {
        throw new Error(
          `Release ${release.tag_name} is immutable and already has an asset ${file.name} with different content; ` +
            'an immutable release cannot change its assets: release a new version instead'
        )
      }
      try {
        await client.rest.repos.deleteReleaseAsset({ ...repo, asset_id: current.id })
      } catch (error) {
        if (statusOf(error) === 422 && !release.draft) {
          throw new Error(
            `Release ${release.tag_name} is published and refuses to change its asset ${file.name} (immutable release); ` +
              'release a new version instead',
            { cause: error }
          )
        }
        throw error
      }
      await upload(client, repo, release, file)
      log(`Replaced asset ${file.name} (content changed)`)
      outcomes.push({ name: file.name, action: 'replaced' })
      continue
    }
    try {
      await upload(client, repo, release, file)
      outcomes.push({ name: file.name, action: 'uploaded' })
      log(`Uploaded ${file.name} (${file.data.length} bytes)`)
    } catch (error) {
      if (statusOf(error) !== 422) throw error
      // A retried upload that had in fact succeeded, or a concurrent run: converge on content.
      const now = (await listAssets(client, repo, release.id)).get(file.name)
      if (!now || (await assetSha256(client, repo, now)) !== file.sha256) {
        if (!release.draft) {
          throw new Error(
            `Cannot upload ${file.name} to ${release.tag_name}: the release refuses new assets (immutable release?)`,
            { cause: error }
          )
        }
        throw error
      }
      outcomes.push({ name: file.name, action: 'unchanged' })
    }
  }
  return outcomes
}

async function listAssets(
  client: GitHubClient,
  repo: RepoRef,
  releaseId: number
): Promise<Map<string, AssetInfo>> {
  const assets = await client.paginate(client.rest.repos.listReleaseAssets, {
    ...repo,
    release_id: releaseId,
    per_page: 100
  })
  return new Map(assets.map(asset => [asset.name, asset as AssetInfo]))
}

/** An asset's SHA-256: from its `digest` when GitHub reports one, else by downloading it. */
async function assetSha256(client: GitHubClient, repo: RepoRef, asset: AssetInfo): Promise<string> {
  if (asset.digest?.startsWith('sha256:')) return asset.digest.slice('sha256:'.length)
  const response = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
    ...repo,
    asset_id: asset.id,
    headers: { accept: 'application/octet-stream' }
  })
  const data = response.data as unknown
  const bytes =
    data instanceof ArrayBuffer
      ? Buffer.from(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(String(data))
  return sha256(bytes)
}

async function upload(
  client: GitHubClient,
  repo: RepoRef,
  release: ReleaseInfo,
  file: AssetFile
): Promise<void> {
  await client.request({
    method: 'POST',
    url: release.upload_url,
    name: file.name,
    data: file.data,
    headers: { 'content-type': 'application/octet-stream', 'content-length': file.data.length }
  })
}

/** Turns an existing prerelease (or draft) into a full release. */
export async function promoteRelease(
  client: GitHubClient,
  repo: RepoRef,
  tag: string,
  makeLatest: MakeLatest
): Promise<{ release: ReleaseInfo; action: 'promoted' | 'unchanged' }> {
  const release = await findRelease(client, repo, tag)
  if (!release)
    throw new Error(`promote: there is no release for tag ${tag} in ${repo.owner}/${repo.repo}`)
  if (!release.prerelease && !release.draft) return { release, action: 'unchanged' }
  const { data } = await client.rest.repos.updateRelease({
    ...repo,
    release_id: release.id,
    draft: false,
    prerelease: false,
    make_latest: makeLatest
  })
  return { release: data as ReleaseInfo, action: 'promoted' }
}
