import { UserError } from '@slipway/kit'
import { createGitHubClient, type GitHubClient, type RepoRef } from '@slipway/github'

/** The fields of a pull request a release pull request needs. */
export interface PullInfo {
  number: number
  title: string
  body: string
  head: string
  base: string
  state: 'open' | 'closed'
  merged: boolean
  url: string
  labels: string[]
}

/**
 * The release pull request port: what release-PR mode needs from GitHub's pull requests,
 * issue comments and labels. The branch itself is pushed with git, never through this port.
 */
export interface PullRequestStore {
  findOpen(head: string, base: string): Promise<PullInfo | undefined>
  create(input: { title: string; body: string; head: string; base: string }): Promise<PullInfo>
  update(
    number: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' }
  ): Promise<PullInfo>
  /** The merged pull requests a commit of the base branch landed through. */
  mergedInto(sha: string): Promise<PullInfo[]>
  comments(number: number): Promise<string[]>
  comment(number: number, body: string): Promise<void>
  setLabels(number: number, labels: string[]): Promise<void>
}

const HINT = 'grant the job `permissions: pull-requests: write` (and `contents: write`)'

interface ApiPull {
  number: number
  title: string
  body?: string | null
  head: { ref: string }
  base: { ref: string }
  state: string
  merged_at?: string | null
  html_url: string
  labels: Array<{ name?: string } | string>
}

function toInfo(pull: ApiPull): PullInfo {
  return {
    number: pull.number,
    title: pull.title,
    body: pull.body ?? '',
    head: pull.head.ref,
    base: pull.base.ref,
    state: pull.state === 'open' ? 'open' : 'closed',
    merged: Boolean(pull.merged_at),
    url: pull.html_url,
    labels: pull.labels.map(label => (typeof label === 'string' ? label : (label.name ?? '')))
  }
}

/** Pull requests through GitHub's REST API; a 403 is a missing `pull-requests: write`. */
export class GitHubPullRequestStore implements PullRequestStore {
  private client?: GitHubClient

  constructor(
    private readonly options: {
      repository?: RepoRef
      token?: string
      apiUrl?: string
      client?: GitHubClient
      log?: (message: string) => void
    }
  ) {}

  private api(): { client: GitHubClient; repo: RepoRef } {
    const repo = this.options.repository
    if (!repo || (!this.options.client && !this.options.token))
      throw new UserError('No repository or token for the release pull request', HINT)
    this.client ??=
      this.options.client ??
      createGitHubClient({
        token: this.options.token ?? '',
        baseUrl: this.options.apiUrl,
        log: this.options.log
      })
    return { client: this.client, repo }
  }

  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      const status = (error as { status?: number }).status
      if (status === 403 && !/rate limit/i.test((error as Error).message))
        throw Object.assign(
          new UserError(`GitHub refused to ${what} (403: ${(error as Error).message})`, HINT),
          { cause: error }
        )
      throw error
    }
  }

  async findOpen(head: string, base: string): Promise<PullInfo | undefined> {
    const { client, repo } = this.api()
    const { data } = await client.rest.pulls.list({
      ...repo,
      state: 'open',
      head: `${repo.owner}:${head}`,
      base,
      per_page: 10
    })
    return data.map(pull => toInfo(pull as ApiPull))[0]
  }

  async create(input: {
    title: string
    body: string
    head: string
    base: string
  }): Promise<PullInfo> {
    const { client, repo } = this.api()
    const { data } = await this.call('open the release pull request', () =>
      client.rest.pulls.create({ ...repo, ...input })
    )
    return toInfo(data as ApiPull)
  }

  async update(
    number: number,
    changes: { title?: string; body?: string; state?: 'open' | 'closed' }
  ): Promise<PullInfo> {
    const { client, repo } = this.api()
    const { data } = await this.call(`update pull request #${number}`, () =>
      client.rest.pulls.update({ ...repo, pull_number: number, ...changes })
    )
    return toInfo(data as ApiPull)
  }

  async mergedInto(sha: string): Promise<PullInfo[]> {
    const { client, repo } = this.api()
    const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: sha
    })
    return data.map(pull => toInfo(pull as ApiPull)).filter(pull => pull.merged)
  }

  async comments(number: number): Promise<string[]> {
    const { client, repo } = this.api()
    const all = await client.paginate(client.rest.issues.listComments, {
      ...repo,
      issue_number: number,
      per_page: 100
    })
    return all.map(comment => comment.body ?? '')
  }

  async comment(number: number, body: string): Promise<void> {
    const { client, repo } = this.api()
    await this.call(`comment on pull request #${number}`, () =>
      client.rest.issues.createComment({ ...repo, issue_number: number, body })
    )
  }

  async setLabels(number: number, labels: string[]): Promise<void> {
    const { client, repo } = this.api()
    await this.call(`label pull request #${number}`, () =>
      client.rest.issues.setLabels({ ...repo, issue_number: number, labels })
    )
  }
}
