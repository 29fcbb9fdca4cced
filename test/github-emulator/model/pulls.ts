import { execFileSync } from 'node:child_process'
import { ACTOR, fullRepository, nodeId } from '../shapes.js'
import type { ApiObject, EmulatorState } from '../state.js'

/** A pull request as the emulator keeps it; the head sha follows the head branch while open. */
export interface PullRecord {
  number: number
  id: number
  title: string
  body: string | null
  head: string
  base: string
  /** The head commit when the pull request was closed or merged (then frozen, as on GitHub). */
  frozenHeadSha?: string
  state: 'open' | 'closed'
  merged: boolean
  mergedAt: string | null
  mergeCommitSha: string | null
  closedAt: string | null
  createdAt: string
  updatedAt: string
  labels: string[]
  draft: boolean
}

/**
 * Pull requests, their issue comments and labels. Issues and pull requests share one number
 * sequence, as on GitHub. With a git remote linked (`linkGitRemote`), branches pushed to that
 * bare repository become the emulated repository's branches before every pull request route,
 * the way a `git push` to GitHub makes a branch the API sees.
 */
export class PullStore {
  readonly list: PullRecord[] = []
  readonly comments = new Map<number, ApiObject[]>()
  readonly labelCatalog = new Map<string, ApiObject>()
  private nextNumber = 1
  gitRemote?: string

  constructor(private readonly state: EmulatorState) {}

  create(input: {
    title: string
    body?: string | null
    head: string
    base: string
    draft?: boolean
  }): PullRecord {
    const at = this.state.now()
    const pull: PullRecord = {
      number: this.nextNumber++,
      id: this.state.nextId(),
      title: input.title,
      body: input.body ?? null,
      head: input.head,
      base: input.base,
      state: 'open',
      merged: false,
      mergedAt: null,
      mergeCommitSha: null,
      closedAt: null,
      createdAt: at,
      updatedAt: at,
      labels: [],
      draft: input.draft ?? false
    }
    this.list.push(pull)
    this.comments.set(pull.number, [])
    return pull
  }

  find(number: number): PullRecord | undefined {
    return this.list.find(p => p.number === number)
  }

  headSha(pull: PullRecord): string {
    return pull.frozenHeadSha ?? this.state.resolveCommit(pull.head) ?? ''
  }

  close(pull: PullRecord): void {
    if (pull.state === 'closed') return
    pull.frozenHeadSha = this.headSha(pull)
    pull.state = 'closed'
    pull.closedAt = this.state.now()
    pull.updatedAt = pull.closedAt
  }

  /**
   * Marks an open pull request merged by `mergeCommitSha` (a commit the test already put on
   * the base branch: a merge, squash or rebase result), as GitHub does after a merge.
   */
  merge(number: number, mergeCommitSha: string): PullRecord {
    const pull = this.find(number)
    if (!pull || pull.state !== 'open') throw new Error(`merge: no open pull request #${number}`)
    if (!this.state.commit(mergeCommitSha))
      throw new Error(`merge: unknown commit ${mergeCommitSha}`)
    this.close(pull)
    pull.merged = true
    pull.mergedAt = pull.closedAt
    pull.mergeCommitSha = mergeCommitSha
    return pull
  }

  addComment(number: number, body: string): ApiObject {
    const id = this.state.nextId()
    const at = this.state.now()
    const comment: ApiObject = {
      id,
      node_id: nodeId('IssueComment', id),
      url: `${this.state.repoUrl}/issues/comments/${id}`,
      html_url: `${this.state.htmlUrl}/pull/${number}#issuecomment-${id}`,
      issue_url: `${this.state.repoUrl}/issues/${number}`,
      body,
      user: ACTOR,
      created_at: at,
      updated_at: at,
      author_association: 'NONE'
    }
    this.comments.get(number)!.push(comment)
    return comment
  }

  label(name: string): ApiObject {
    let label = this.labelCatalog.get(name)
    if (!label) {
      const id = this.state.nextId()
      label = {
        id,
        node_id: nodeId('Label', id),
        url: `${this.state.repoUrl}/labels/${encodeURIComponent(name)}`,
        name,
        // pull-request-simple documents the label description as a string, never null.
        description: '',
        color: 'ededed',
        default: false
      }
      this.labelCatalog.set(name, label)
    }
    return label
  }

  /** Imports the linked bare repository's commits and branches (a push reached GitHub). */
  syncGitRemote(): void {
    const dir = this.gitRemote
    if (!dir) return
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    const log = git('log', '--all', '--reverse', '--topo-order', '--format=%H%x1f%P%x1f%s')
    for (const line of log.split('\n')) {
      if (!line) continue
      const [sha, parents, subject] = line.split('\x1f')
      if (this.state.commit(sha)) continue
      this.state.addCommit({
        sha,
        message: subject,
        parents: parents ? parents.split(' ') : [],
        branch: null
      })
    }
    const refs = git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/')
    for (const line of refs.split('\n')) {
      const [ref, sha] = line.split(' ')
      if (ref && sha) this.state.setRef(ref, sha)
    }
  }

  /** `pull-request` (full) or `pull-request-simple` (lists) as GitHub serializes them. */
  serialize(pull: PullRecord, full: boolean): ApiObject {
    const state = this.state
    const url = `${state.repoUrl}/pulls/${pull.number}`
    const issue = `${state.repoUrl}/issues/${pull.number}`
    const html = `${state.htmlUrl}/pull/${pull.number}`
    const repo = fullRepository(state.baseUrl, state.repo, pull.updatedAt)
    const owner = repo.owner
    const branch = (ref: string, sha: string): ApiObject => ({
      label: `${state.repo.owner}:${ref}`,
      ref,
      sha,
      user: owner,
      repo
    })
    const headSha = this.headSha(pull)
    const simple: ApiObject = {
      url,
      id: pull.id,
      node_id: nodeId('PullRequest', pull.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issue,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${state.repoUrl}/pulls/comments{/number}`,
      comments_url: `${issue}/comments`,
      statuses_url: `${state.repoUrl}/statuses/${headSha}`,
      number: pull.number,
      state: pull.state,
      locked: false,
      title: pull.title,
      user: ACTOR,
      body: pull.body,
      labels: pull.labels.map(name => this.label(name)),
      milestone: null,
      active_lock_reason: null,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: branch(pull.head, headSha),
      base: branch(pull.base, state.resolveCommit(pull.base) ?? ''),
      _links: {
        self: { href: url },
        html: { href: html },
        issue: { href: issue },
        comments: { href: `${issue}/comments` },
        review_comments: { href: `${url}/comments` },
        review_comment: { href: `${state.repoUrl}/pulls/comments{/number}` },
        commits: { href: `${url}/commits` },
        statuses: { href: `${state.repoUrl}/statuses/${headSha}` }
      },
      author_association: 'NONE',
      auto_merge: null,
      draft: pull.draft
    }
    if (!full) return simple
    return {
      ...simple,
      merged: pull.merged,
      mergeable: pull.state === 'open' ? true : null,
      rebaseable: pull.state === 'open' ? true : null,
      mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
      merged_by: pull.merged ? ACTOR : null,
      comments: this.comments.get(pull.number)?.length ?? 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: 0,
      deletions: 0,
      changed_files: 0
    }
  }
}
