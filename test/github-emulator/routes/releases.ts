import { createHash } from 'node:crypto'
import {
  alreadyExists,
  ApiError,
  bodyOf,
  intParam,
  notFound,
  paginate,
  type RouteContext,
  type RouteTable
} from '../http.js'
import { ACTOR, nodeId } from '../shapes.js'
import type { ApiObject, EmulatorState, ReleaseRecord } from '../state.js'

const BASE = '/repos/{owner}/{repo}/releases'

interface ReleaseInput {
  tag_name: string
  target_commitish: string
  name: string
  body: string
  draft: boolean
  prerelease: boolean
  make_latest: 'true' | 'false' | 'legacy'
  generate_release_notes: boolean
}

function findRelease(state: EmulatorState, id: number): ReleaseRecord {
  const release = state.releaseList.find(r => r.id === id)
  if (!release) throw notFound()
  return release
}

function findAsset(state: EmulatorState, id: number): { asset: ApiObject; release: ReleaseRecord } {
  for (const release of state.releaseList) {
    const asset = state.assets(release.id).find(a => a.id === id)
    if (asset) return { asset, release }
  }
  throw notFound()
}

const published = (r: ReleaseRecord): boolean => !r.draft

/** GitHub links: drafts get an `untagged-…` html_url until they are published. */
function links(state: EmulatorState, release: ReleaseRecord): void {
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

/** Publishing creates the tag at target_commitish when it does not exist yet (as GitHub). */
function ensureTag(state: EmulatorState, release: ReleaseRecord): void {
  const ref = `refs/tags/${release.tag_name}`
  if (state.refMap.has(ref)) return
  const sha = state.resolveCommit(String(release.target_commitish))
  if (!sha)
    throw new ApiError(422, 'Validation Failed', [
      { resource: 'Release', code: 'invalid', field: 'target_commitish' }
    ])
  state.refMap.set(ref, sha)
}

function applyLatest(
  state: EmulatorState,
  release: ReleaseRecord,
  makeLatest: string | undefined
): void {
  if (release.draft || release.prerelease) {
    if (state.latestReleaseId === release.id) state.latestReleaseId = undefined
    return
  }
  if (makeLatest === 'false') return
  if (makeLatest === 'legacy') {
    if (state.latestReleaseId === release.id) state.latestReleaseId = undefined
    return
  }
  state.latestReleaseId = release.id
}

function latest(state: EmulatorState): ReleaseRecord | undefined {
  const explicit = state.releaseList.find(r => r.id === state.latestReleaseId)
  if (explicit && published(explicit) && !explicit.prerelease) return explicit
  return state.releaseList
    .filter(r => published(r) && !r.prerelease)
    .sort((a, b) => String(b.published_at).localeCompare(String(a.published_at)) || b.id - a.id)[0]
}

function create(ctx: RouteContext) {
  const { state } = ctx
  const input = bodyOf<ReleaseInput>(ctx)
  const tag = input.tag_name!
  if (state.releaseList.some(r => r.tag_name === tag)) throw alreadyExists('Release', 'tag_name')
  const id = state.nextId()
  const at = state.now()
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
  links(state, release)
  if (!release.draft) ensureTag(state, release)
  state.releaseList.push(release)
  state.assetMap.set(id, [])
  applyLatest(state, release, input.make_latest)
  return {
    status: 201,
    body: state.serializeRelease(release),
    headers: { location: release.url as string }
  }
}

function update(ctx: RouteContext) {
  const { state } = ctx
  const release = findRelease(state, intParam(ctx, 'release_id'))
  const input = bodyOf<ReleaseInput>(ctx)
  const locked = state.repo.immutableReleases && published(release)
  if (input.tag_name !== undefined && input.tag_name !== release.tag_name) {
    if (locked)
      throw new ApiError(422, 'Validation Failed', [
        {
          resource: 'Release',
          code: 'custom',
          field: 'tag_name',
          message: 'Cannot change the tag of an immutable release'
        }
      ])
    if (state.releaseList.some(r => r.tag_name === input.tag_name))
      throw alreadyExists('Release', 'tag_name')
    release.tag_name = input.tag_name
  }
  if (input.target_commitish !== undefined) release.target_commitish = input.target_commitish
  if (input.name !== undefined) release.name = input.name
  if (input.body !== undefined) release.body = input.body
  if (input.prerelease !== undefined) release.prerelease = input.prerelease
  if (input.draft !== undefined) {
    if (locked && input.draft)
      throw new ApiError(422, 'Validation Failed', [
        {
          resource: 'Release',
          code: 'custom',
          field: 'draft',
          message: 'Cannot unpublish an immutable release'
        }
      ])
    if (release.draft && !input.draft) {
      release.published_at = state.now()
      ensureTag(state, { ...release, draft: false })
    }
    release.draft = input.draft
  }
  release.updated_at = state.now()
  links(state, release)
  if (input.make_latest !== undefined || input.draft === false || input.prerelease !== undefined)
    applyLatest(state, release, input.make_latest)
  return { status: 200, body: state.serializeRelease(release) }
}

function uploadAsset(ctx: RouteContext) {
  const { state } = ctx
  const release = findRelease(state, intParam(ctx, 'release_id'))
  if (state.repo.immutableReleases && published(release))
    throw new ApiError(422, 'Cannot upload assets to an immutable release.')
  const name = ctx.query.name!
  if (state.assets(release.id).some(a => a.name === name))
    throw alreadyExists('ReleaseAsset', 'name')
  const id = state.nextId()
  const at = state.now()
  const bytes = ctx.rawBody
  const asset: ApiObject = {
    url: `${state.repoUrl}/releases/assets/${id}`,
    browser_download_url: `${state.baseUrl}/${state.repo.owner}/${state.repo.name}/releases/download/${encodeURIComponent(release.tag_name)}/${encodeURIComponent(name)}`,
    id,
    node_id: nodeId('ReleaseAsset', id),
    name,
    label: ctx.query.label ?? null,
    state: 'uploaded',
    content_type: String(ctx.headers['content-type'] ?? 'application/octet-stream'),
    size: bytes.length,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    download_count: 0,
    created_at: at,
    updated_at: at,
    uploader: ACTOR
  }
  state.assetMap.get(release.id)!.push(asset)
  state.assetData.set(id, Buffer.from(bytes))
  return { status: 201, body: asset }
}

function getAsset(ctx: RouteContext) {
  const { asset } = findAsset(ctx.state, intParam(ctx, 'asset_id'))
  // GitHub redirects to storage for octet-stream; answering the bytes directly is what
  // Octokit ends up with after following that redirect.
  if (/application\/octet-stream/.test(String(ctx.headers.accept ?? ''))) {
    asset.download_count = (asset.download_count as number) + 1
    return {
      status: 200,
      raw: ctx.state.assetBytes(asset.id as number)!,
      headers: { 'content-type': 'application/octet-stream' }
    }
  }
  return { status: 200, body: asset }
}

function deleteAsset(ctx: RouteContext) {
  const { state } = ctx
  const { asset, release } = findAsset(state, intParam(ctx, 'asset_id'))
  if (state.repo.immutableReleases && published(release))
    throw new ApiError(422, 'Cannot delete assets of an immutable release.')
  const list = state.assetMap.get(release.id)!
  list.splice(list.indexOf(asset), 1)
  state.assetData.delete(asset.id as number)
  return { status: 204 }
}

export const releaseRoutes: RouteTable = {
  [`POST ${BASE}`]: create,
  [`GET ${BASE}`]: ctx => {
    const all = ctx.state.releaseList
      .slice()
      .reverse()
      .map(r => ctx.state.serializeRelease(r))
    const page = paginate(ctx, all, `${ctx.state.repoUrl}/releases`)
    return { status: 200, body: page.items, headers: page.headers }
  },
  [`GET ${BASE}/latest`]: ctx => {
    const release = latest(ctx.state)
    if (!release) throw notFound()
    return { status: 200, body: ctx.state.serializeRelease(release) }
  },
  [`GET ${BASE}/tags/{tag}`]: ctx => {
    const release = ctx.state.releaseList.find(r => r.tag_name === ctx.params.tag && published(r))
    if (!release) throw notFound()
    return { status: 200, body: ctx.state.serializeRelease(release) }
  },
  [`GET ${BASE}/{release_id}`]: ctx => ({
    status: 200,
    body: ctx.state.serializeRelease(findRelease(ctx.state, intParam(ctx, 'release_id')))
  }),
  [`PATCH ${BASE}/{release_id}`]: update,
  [`DELETE ${BASE}/{release_id}`]: ctx => {
    const { state } = ctx
    const release = findRelease(state, intParam(ctx, 'release_id'))
    state.releaseList.splice(state.releaseList.indexOf(release), 1)
    for (const asset of state.assets(release.id)) state.assetData.delete(asset.id as number)
    state.assetMap.delete(release.id)
    if (state.latestReleaseId === release.id) state.latestReleaseId = undefined
    return { status: 204 }
  },
  [`GET ${BASE}/{release_id}/assets`]: ctx => {
    const release = findRelease(ctx.state, intParam(ctx, 'release_id'))
    const page = paginate(
      ctx,
      ctx.state.assets(release.id),
      `${ctx.state.repoUrl}/releases/${release.id}/assets`
    )
    return { status: 200, body: page.items, headers: page.headers }
  },
  [`POST ${BASE}/{release_id}/assets`]: uploadAsset,
  [`GET ${BASE}/assets/{asset_id}`]: getAsset,
  [`PATCH ${BASE}/assets/{asset_id}`]: ctx => {
    const { asset } = findAsset(ctx.state, intParam(ctx, 'asset_id'))
    const input = bodyOf<{ name: string; label: string; state: string }>(ctx)
    if (input.name !== undefined) asset.name = input.name
    if (input.label !== undefined) asset.label = input.label
    asset.updated_at = ctx.state.now()
    return { status: 200, body: asset }
  },
  [`DELETE ${BASE}/assets/{asset_id}`]: deleteAsset
}
