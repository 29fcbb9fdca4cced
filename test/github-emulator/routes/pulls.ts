import {
  ApiError,
  bodyOf,
  intParam,
  invalid,
  notFound,
  paginate,
  type RouteContext,
  type RouteTable
} from '../http.js'
import type { PullRecord } from '../model/pulls.js'

const REPO = '/repos/{owner}/{repo}'

function findPull(ctx: RouteContext, name = 'pull_number'): PullRecord {
  ctx.state.pulls.syncGitRemote()
  const pull = ctx.state.pulls.find(intParam(ctx, name))
  if (!pull) throw notFound()
  return pull
}

/** `owner:branch` or `branch`; only this repository's branches are emulated. */
function branchOf(ctx: RouteContext, head: string): string {
  const colon = head.indexOf(':')
  if (colon < 0) return head
  if (head.slice(0, colon) !== ctx.state.repo.owner) throw notFound()
  return head.slice(colon + 1)
}

function create(ctx: RouteContext) {
  const { state } = ctx
  state.pulls.syncGitRemote()
  const input = bodyOf<{ title: string; body: string; head: string; base: string; draft: boolean }>(
    ctx
  )
  if (!input.head || !input.base || !input.title) throw invalid('PullRequest', 'head')
  const head = branchOf(ctx, input.head)
  const headSha = state.resolveCommit(`refs/heads/${head}`)
  const baseSha = state.resolveCommit(`refs/heads/${input.base}`)
  if (!headSha) throw invalid('PullRequest', 'head')
  if (!baseSha) throw invalid('PullRequest', 'base')
  if (headSha === baseSha)
    throw new ApiError(422, 'Validation Failed', [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `No commits between ${input.base} and ${head}`
      }
    ])
  if (state.pulls.list.some(p => p.state === 'open' && p.head === head && p.base === input.base))
    throw new ApiError(422, 'Validation Failed', [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${state.repo.owner}:${head}.`
      }
    ])
  const pull = state.pulls.create({ ...input, head, base: input.base, title: input.title })
  const body = state.pulls.serialize(pull, true)
  return { status: 201, body, headers: { location: String(body.url) } }
}

function update(ctx: RouteContext) {
  const { state } = ctx
  const pull = findPull(ctx)
  const input = bodyOf<{ title: string; body: string; state: 'open' | 'closed'; base: string }>(ctx)
  if (input.title !== undefined) pull.title = input.title
  if (input.body !== undefined) pull.body = input.body
  if (input.base !== undefined) pull.base = input.base
  if (input.state === 'closed') state.pulls.close(pull)
  else if (input.state === 'open' && pull.state === 'closed') {
    if (pull.merged) throw invalid('PullRequest', 'state', 'cannot reopen a merged pull request')
    pull.state = 'open'
    pull.closedAt = null
    pull.frozenHeadSha = undefined
  }
  pull.updatedAt = state.now()
  return { status: 200, body: state.pulls.serialize(pull, true) }
}

function list(ctx: RouteContext) {
  const { state } = ctx
  state.pulls.syncGitRemote()
  const wanted = ctx.query.state ?? 'open'
  const head = ctx.query.head ? branchOf(ctx, ctx.query.head) : undefined
  const pulls = state.pulls.list
    .filter(p => wanted === 'all' || p.state === wanted)
    .filter(p => !head || p.head === head)
    .filter(p => !ctx.query.base || p.base === ctx.query.base)
    .slice()
    .reverse()
    .map(p => state.pulls.serialize(p, false))
  const page = paginate(ctx, pulls, `${state.repoUrl}/pulls`)
  return { status: 200, body: page.items, headers: page.headers }
}

/** GitHub: the merged pull requests a commit landed through, else the open ones it heads. */
function ofCommit(ctx: RouteContext) {
  const { state } = ctx
  state.pulls.syncGitRemote()
  const sha = state.resolveCommit(ctx.params.commit_sha)
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${ctx.params.commit_sha}`)
  const merged = state.pulls.list.filter(p => p.merged && p.mergeCommitSha === sha)
  const found = merged.length
    ? merged
    : state.pulls.list.filter(p => p.state === 'open' && state.pulls.headSha(p) === sha)
  const page = paginate(
    ctx,
    found.map(p => state.pulls.serialize(p, false)),
    `${state.repoUrl}/commits/${sha}/pulls`
  )
  return { status: 200, body: page.items, headers: page.headers }
}

function issueOf(ctx: RouteContext): PullRecord {
  return findPull(ctx, 'issue_number')
}

type LabelsBody = { labels?: Array<string | { name: string }> } | string[]

function labelNames(ctx: RouteContext): string[] {
  const body = ctx.body as LabelsBody | undefined
  const items = Array.isArray(body) ? body : (body?.labels ?? [])
  return items.map(item => (typeof item === 'string' ? item : item.name))
}

export const pullRoutes: RouteTable = {
  [`GET ${REPO}/pulls`]: list,
  [`POST ${REPO}/pulls`]: create,
  [`GET ${REPO}/pulls/{pull_number}`]: ctx => ({
    status: 200,
    body: ctx.state.pulls.serialize(findPull(ctx), true)
  }),
  [`PATCH ${REPO}/pulls/{pull_number}`]: update,
  [`GET ${REPO}/commits/{commit_sha}/pulls`]: ofCommit,
  [`GET ${REPO}/issues/{issue_number}/comments`]: ctx => {
    const pull = issueOf(ctx)
    const page = paginate(
      ctx,
      ctx.state.pulls.comments.get(pull.number) ?? [],
      `${ctx.state.repoUrl}/issues/${pull.number}/comments`
    )
    return { status: 200, body: page.items, headers: page.headers }
  },
  [`POST ${REPO}/issues/{issue_number}/comments`]: ctx => {
    const pull = issueOf(ctx)
    const body = bodyOf<{ body: string }>(ctx).body ?? ''
    return { status: 201, body: ctx.state.pulls.addComment(pull.number, body) }
  },
  [`GET ${REPO}/issues/{issue_number}/labels`]: ctx => ({
    status: 200,
    body: issueOf(ctx).labels.map(name => ctx.state.pulls.label(name))
  }),
  [`POST ${REPO}/issues/{issue_number}/labels`]: ctx => {
    const pull = issueOf(ctx)
    for (const name of labelNames(ctx)) if (!pull.labels.includes(name)) pull.labels.push(name)
    return { status: 200, body: pull.labels.map(name => ctx.state.pulls.label(name)) }
  },
  [`PUT ${REPO}/issues/{issue_number}/labels`]: ctx => {
    const pull = issueOf(ctx)
    pull.labels = [...new Set(labelNames(ctx))]
    return { status: 200, body: pull.labels.map(name => ctx.state.pulls.label(name)) }
  },
  [`DELETE ${REPO}/issues/{issue_number}/labels/{name}`]: ctx => {
    const pull = issueOf(ctx)
    if (!pull.labels.includes(ctx.params.name)) throw notFound()
    pull.labels = pull.labels.filter(name => name !== ctx.params.name)
    return { status: 200, body: pull.labels.map(name => ctx.state.pulls.label(name)) }
  }
}
