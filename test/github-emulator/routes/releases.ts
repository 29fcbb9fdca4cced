import {
  alreadyExists,
  invalid,
  ApiError,
  bodyOf,
  intParam,
  notFound,
  paginate,
  type RouteContext,
  type RouteTable
} from '../http.js'
import {
  addAsset,
  applyLatest,
  createRelease,
  ensureTag,
  latestRelease,
  setLinks,
  type ReleaseInput
} from '../model/releases.js'
import type { ApiObject, EmulatorState, ReleaseRecord } from '../state.js'

const BASE = '/repos/{owner}/{repo}/releases'

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

function create(ctx: RouteContext) {
  const { state } = ctx
  const input = bodyOf<ReleaseInput>(ctx) as ReleaseInput
  if (state.releaseList.some(r => r.tag_name === input.tag_name))
    throw alreadyExists('Release', 'tag_name')
  if (!input.draft && !state.resolveCommit(input.target_commitish ?? state.repo.defaultBranch))
    throw invalid('Release', 'target_commitish')
  const release = createRelease(state, input)
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
      if (!ensureTag(state, release)) throw invalid('Release', 'target_commitish')
    }
    release.draft = input.draft
  }
  release.updated_at = state.now()
  setLinks(state, release)
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
  const asset = addAsset(state, release, {
    name,
    label: ctx.query.label,
    contentType: String(ctx.headers['content-type'] ?? 'application/octet-stream'),
    data: ctx.rawBody
  })
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
    const release = latestRelease(ctx.state)
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
