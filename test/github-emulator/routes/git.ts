import { createHash } from 'node:crypto'
import {
  ApiError,
  bodyOf,
  notFound,
  paginate,
  type RouteContext,
  type RouteTable
} from '../http.js'
import { nodeId } from '../shapes.js'
import type { ApiObject, CommitRecord, EmulatorState } from '../state.js'

const REPO = '/repos/{owner}/{repo}'

function objectType(state: EmulatorState, sha: string): 'commit' | 'tag' | undefined {
  if (state.commit(sha)) return 'commit'
  if (state.tagObjects.has(sha)) return 'tag'
  return undefined
}

function gitRef(state: EmulatorState, ref: string, sha: string): ApiObject {
  const type = objectType(state, sha) ?? 'commit'
  return {
    ref,
    node_id: nodeId('Ref', ref),
    url: `${state.repoUrl}/git/${ref}`,
    object: { type, sha, url: `${state.repoUrl}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}` }
  }
}

/** `heads/main` in the URL, `refs/heads/main` in state. */
const fullRef = (ref: string): string => (ref.startsWith('refs/') ? ref : `refs/${ref}`)

function getRef(ctx: RouteContext) {
  const ref = fullRef(ctx.params.ref)
  const sha = ctx.state.refMap.get(ref)
  if (!sha) throw notFound()
  return { status: 200, body: gitRef(ctx.state, ref, sha) }
}

function matchingRefs(ctx: RouteContext) {
  const prefix = fullRef(ctx.params.ref)
  const refs = Object.entries(ctx.state.refs)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, sha]) => gitRef(ctx.state, name, sha))
  return { status: 200, body: refs }
}

function createRef(ctx: RouteContext) {
  const { state } = ctx
  const { ref, sha } = bodyOf<{ ref: string; sha: string }>(ctx) as { ref: string; sha: string }
  if (!/^refs\/.+\/.+/.test(ref))
    throw new ApiError(422, "Reference name must start with 'refs/' and have at least two slashes.")
  if (state.refMap.has(ref)) throw new ApiError(422, 'Reference already exists')
  if (!objectType(state, sha)) throw new ApiError(422, 'Object does not exist')
  state.refMap.set(ref, sha)
  return {
    status: 201,
    body: gitRef(state, ref, sha),
    headers: { location: `${state.repoUrl}/git/${ref}` }
  }
}

function updateRef(ctx: RouteContext) {
  const { state } = ctx
  const ref = fullRef(ctx.params.ref)
  const { sha, force } = bodyOf<{ sha: string; force: boolean }>(ctx) as {
    sha: string
    force?: boolean
  }
  const current = state.refMap.get(ref)
  if (!current) throw new ApiError(422, 'Reference does not exist')
  if (!objectType(state, sha)) throw new ApiError(422, 'Object does not exist')
  if (!force) {
    const from = state.peel(current)
    const to = state.peel(sha)
    if (!from || !to || !state.isAncestor(from, to))
      throw new ApiError(422, 'Update is not a fast forward')
  }
  state.refMap.set(ref, sha)
  return { status: 200, body: gitRef(state, ref, sha) }
}

function deleteRef(ctx: RouteContext) {
  const ref = fullRef(ctx.params.ref)
  if (!ctx.state.refMap.delete(ref)) throw new ApiError(422, 'Reference does not exist')
  return { status: 204 }
}

interface TagInput {
  tag: string
  message: string
  object: string
  type: 'commit' | 'tree' | 'blob'
  tagger: { name: string; email: string; date?: string }
}

function createTag(ctx: RouteContext) {
  const { state } = ctx
  const input = bodyOf<TagInput>(ctx) as TagInput
  if (!objectType(state, input.object)) throw new ApiError(422, 'Object does not exist')
  const tag = state.createTagObject(input)
  return { status: 201, body: tag, headers: { location: tag.url as string } }
}

/** `commit` schema: GET /commits/{ref} and the entries of compare and list. */
export function commitShape(state: EmulatorState, c: CommitRecord, withFiles: boolean): ApiObject {
  const person = { name: c.author.name, email: c.author.email, date: c.author.date }
  const shape: ApiObject = {
    url: `${state.repoUrl}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId('Commit', c.sha),
    html_url: `${state.htmlUrl}/commit/${c.sha}`,
    comments_url: `${state.repoUrl}/commits/${c.sha}/comments`,
    commit: {
      url: `${state.repoUrl}/git/commits/${c.sha}`,
      author: person,
      committer: person,
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: `${state.repoUrl}/git/trees/${c.tree}` },
      verification: {
        verified: false,
        reason: 'unsigned',
        signature: null,
        payload: null,
        verified_at: null
      }
    },
    author: null,
    committer: null,
    parents: c.parents.map(sha => ({
      sha,
      url: `${state.repoUrl}/commits/${sha}`,
      html_url: `${state.htmlUrl}/commit/${sha}`
    }))
  }
  if (withFiles) {
    shape.files = c.files.map(f => fileShape(state, c.sha, f))
    shape.stats = { additions: c.files.length, deletions: 0, total: c.files.length }
  }
  return shape
}

function fileShape(state: EmulatorState, sha: string, filename: string): ApiObject {
  return {
    sha: createHash('sha1').update(`${sha}:${filename}`).digest('hex'),
    filename,
    status: 'modified',
    additions: 1,
    deletions: 0,
    changes: 1,
    blob_url: `${state.htmlUrl}/blob/${sha}/${filename}`,
    raw_url: `${state.htmlUrl}/raw/${sha}/${filename}`,
    contents_url: `${state.repoUrl}/contents/${filename}?ref=${sha}`,
    patch: '@@ -1 +1 @@'
  }
}

function resolveOr404(state: EmulatorState, ref: string): string {
  const sha = state.resolveCommit(ref)
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${ref}`)
  return sha
}

function listCommits(ctx: RouteContext) {
  const { state, query } = ctx
  const start = query.sha ? state.resolveCommit(query.sha) : state.headOf()
  if (!start) throw notFound()
  let commits = state.ancestry(start).map(sha => state.commit(sha)!)
  if (query.path) {
    const path = query.path.replace(/\/+$/, '')
    commits = commits.filter(c => c.files.some(f => f === path || f.startsWith(`${path}/`)))
  }
  const page = paginate(
    ctx,
    commits.map(c => commitShape(state, c, false)),
    `${state.repoUrl}/commits`
  )
  return { status: 200, body: page.items, headers: page.headers }
}

function compare(ctx: RouteContext) {
  const { state } = ctx
  const m = /^(.+?)\.\.\.?(.+)$/.exec(ctx.params.basehead)
  if (!m) throw notFound()
  const base = state.resolveCommit(m[1])
  const head = state.resolveCommit(m[2])
  if (!base || !head) throw notFound()
  const baseSet = new Set(state.ancestry(base))
  const headList = state.ancestry(head)
  const headSet = new Set(headList)
  const mergeBase = headList.find(sha => baseSet.has(sha)) ?? base
  const ahead = headList.filter(sha => !baseSet.has(sha))
  const behind = [...baseSet].filter(sha => !headSet.has(sha))
  const status =
    ahead.length && behind.length
      ? 'diverged'
      : ahead.length
        ? 'ahead'
        : behind.length
          ? 'behind'
          : 'identical'
  const commits = ahead
    .slice()
    .reverse()
    .map(sha => state.commit(sha)!) // oldest first, as GitHub
  const files = [...new Set(commits.flatMap(c => c.files))].map(f => fileShape(state, head, f))
  const page = paginate(
    ctx,
    commits.map(c => commitShape(state, c, false)),
    `${state.repoUrl}/compare/${ctx.params.basehead}`
  )
  return {
    status: 200,
    headers: page.headers,
    body: {
      url: `${state.repoUrl}/compare/${ctx.params.basehead}`,
      html_url: `${state.htmlUrl}/compare/${ctx.params.basehead}`,
      permalink_url: `${state.htmlUrl}/compare/${state.repo.owner}:${base.slice(0, 7)}...${state.repo.owner}:${head.slice(0, 7)}`,
      diff_url: `${state.htmlUrl}/compare/${ctx.params.basehead}.diff`,
      patch_url: `${state.htmlUrl}/compare/${ctx.params.basehead}.patch`,
      base_commit: commitShape(state, state.commit(base)!, false),
      merge_base_commit: commitShape(state, state.commit(mergeBase)!, false),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: page.items,
      files
    }
  }
}

export const gitRoutes: RouteTable = {
  [`GET ${REPO}/git/ref/{ref}`]: getRef,
  [`GET ${REPO}/git/matching-refs/{ref}`]: matchingRefs,
  [`POST ${REPO}/git/refs`]: createRef,
  [`PATCH ${REPO}/git/refs/{ref}`]: updateRef,
  [`DELETE ${REPO}/git/refs/{ref}`]: deleteRef,
  [`POST ${REPO}/git/tags`]: createTag,
  [`GET ${REPO}/git/tags/{tag_sha}`]: ctx => {
    const tag = ctx.state.tagObjects.get(ctx.params.tag_sha)
    if (!tag) throw notFound()
    return { status: 200, body: tag }
  },
  [`GET ${REPO}/commits`]: listCommits,
  [`GET ${REPO}/commits/{ref}`]: ctx => {
    const sha = resolveOr404(ctx.state, ctx.params.ref)
    return { status: 200, body: commitShape(ctx.state, ctx.state.commit(sha)!, true) }
  },
  [`GET ${REPO}/compare/{basehead}`]: compare
}

export { resolveOr404 }
