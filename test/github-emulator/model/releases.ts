import { createHash } from 'node:crypto'
import { ACTOR, nodeId } from '../shapes.js'
import type { ApiObject, EmulatorState, ReleaseRecord } from '../state.js'

export interface ReleaseInput {
  tag_name: string
  target_commitish?: string
  name?: string | null
  body?: string | null
  draft?: boolean
  prerelease?: boolean
  make_latest?: 'true' | 'false' | 'legacy'
  generate_release_notes?: boolean
}

export interface AssetInput {
  name: string
  label?: string | null
  contentType?: string
  data: Buffer | string
}

/** Creates a release record; no duplicate check (the route answers 422 before calling this). */
export function createRelease(state: EmulatorState, input: ReleaseInput): ReleaseRecord {
  const id = state.nextId()
  const at = state.now()
  const tag = input.tag_name
  const release: ReleaseRecord = {
    id,
    node_id: nodeId('Release', id),
    tag_name: tag,
    target_commitish: input.target_commitish ?? state.repo.defaultBranch,
    name: input.name ?? tag,
    body: input.body ?? (input.generate_release_notes ? `**Full Changelog**: ${tag}` : null),
    draft: input.draft ?? false,
    prerelease: input.prerelease ?? false,
    created_at: at,
    published_at: input.draft ? null : at,
    updated_at: at,
    author: ACTOR
  }
  setLinks(state, release)
  if (!release.draft) ensureTag(state, release)
  state.releaseList.push(release)
  state.assetMap.set(id, [])
  applyLatest(state, release, input.make_latest)
  return release
}

/** GitHub links: drafts get an `untagged-…` html_url until they are published. */
export function setLinks(state: EmulatorState, release: ReleaseRecord): void {
  const url = `${state.repoUrl}/releases/${release.id}`
  release.url = url
  release.assets_url = `${url}/assets`
  release.upload_url = `${url}/assets{?name,label}`
  release.html_url = release.draft
    ? `${state.htmlUrl}/releases/tag/untagged-${createHash('sha1').update(String(release.id)).digest('hex').slice(0, 20)}`
    : `${state.htmlUrl}/releases/tag/${release.tag_name}`
  release.tarball_url = `${state.repoUrl}/tarball/${release.tag_name}`
  release.zipball_url = `${state.repoUrl}/zipball/${release.tag_name}`
}

/**
 * Publishing creates the tag at target_commitish when it does not exist yet, as GitHub
 * does. Returns false when target_commitish names nothing.
 */
export function ensureTag(state: EmulatorState, release: ReleaseRecord): boolean {
  const ref = `refs/tags/${release.tag_name}`
  if (state.refMap.has(ref)) return true
  const sha = state.resolveCommit(String(release.target_commitish))
  if (!sha) return false
  state.refMap.set(ref, sha)
  return true
}

/**
 * `make_latest`: 'true' (the default for a published non-prerelease) pins the release as
 * latest, 'false' leaves the latest alone, 'legacy' falls back to creation date order.
 */
export function applyLatest(
  state: EmulatorState,
  release: ReleaseRecord,
  makeLatest: string | undefined
): void {
  if (release.draft || release.prerelease || makeLatest === 'legacy') {
    if (state.latestReleaseId === release.id) state.latestReleaseId = undefined
    return
  }
  if (makeLatest === 'false') return
  state.latestReleaseId = release.id
}

export function latestRelease(state: EmulatorState): ReleaseRecord | undefined {
  const explicit = state.releaseList.find(r => r.id === state.latestReleaseId)
  if (explicit && !explicit.draft && !explicit.prerelease) return explicit
  return state.releaseList
    .filter(r => !r.draft && !r.prerelease)
    .sort((a, b) => String(b.published_at).localeCompare(String(a.published_at)) || b.id - a.id)[0]
}

export function addAsset(
  state: EmulatorState,
  release: ReleaseRecord,
  input: AssetInput
): ApiObject {
  const id = state.nextId()
  const at = state.now()
  const bytes = Buffer.from(input.data)
  const asset: ApiObject = {
    url: `${state.repoUrl}/releases/assets/${id}`,
    browser_download_url: `${state.baseUrl}/${state.repo.owner}/${state.repo.name}/releases/download/${encodeURIComponent(release.tag_name)}/${encodeURIComponent(input.name)}`,
    id,
    node_id: nodeId('ReleaseAsset', id),
    name: input.name,
    label: input.label ?? null,
    state: 'uploaded',
    content_type: input.contentType ?? 'application/octet-stream',
    size: bytes.length,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    download_count: 0,
    created_at: at,
    updated_at: at,
    uploader: ACTOR
  }
  state.assetMap.get(release.id)!.push(asset)
  state.assetData.set(id, bytes)
  return asset
}
