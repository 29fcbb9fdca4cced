import { UserError } from '@slipway/kit'
import { createGitHubClient, type GitHubClient, type RepoRef } from '@slipway/github'
import {
  ReleaseConflict,
  type AssetInfo,
  type NewRelease,
  type ReleaseChanges,
  type ReleaseInfo,
  type ReleaseStore
} from './port.js'

export interface GitHubReleaseStoreOptions {
  /** Needed for the first request, not before: a dry run builds the store and never uses it. */
  repository?: RepoRef
  token?: string
  apiUrl?: string
  /** A client to use instead of creating one from the token (tests). */
  client?: GitHubClient
  log?: (message: string) => void
}

/** The HTTP status of an Octokit error, or undefined. */
function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error
    ? Number((error as { status: unknown }).status)
    : undefined
}

const WRITE_HINT = 'grant the job `permissions: contents: write` (or use a token that has it)'

/**
 * Tags, releases and assets through GitHub's REST API. Each method makes the requests the
 * action always made; a 422 becomes a `ReleaseConflict` where the caller converges on it, and
 * a 403 on a write (a token without `contents: write`) a `UserError` saying so.
 */
export class GitHubReleaseStore implements ReleaseStore {
  private client?: GitHubClient

  constructor(private readonly options: GitHubReleaseStoreOptions) {}

  get location(): string {
    const repo = this.options.repository
    return repo ? `${repo.owner}/${repo.repo}` : 'GitHub'
  }

  private api(): { client: GitHubClient; repo: RepoRef } {
    const repo = this.options.repository
    if (!repo)
      throw new UserError(
        'No repository: set the repository input or GITHUB_REPOSITORY',
        'run in a GitHub workflow, or set the repository input to owner/name'
      )
    if (!this.options.client && !this.options.token)
      throw new UserError(
        'No GitHub token to write tags and releases',
        'pass `token: ${{ github.token }}` with `contents: write`, or set `dry-run: true`'
      )
    this.client ??=
      this.options.client ??
      createGitHubClient({
        token: this.options.token ?? '',
        baseUrl: this.options.apiUrl,
        log: this.options.log
      })
    return { client: this.client, repo }
  }

  /** A write: a 403 is a missing permission, and `conflict` lists what a 422 means here. */
  private async write<T>(what: string, work: () => Promise<T>, conflict = false): Promise<T> {
    try {
      return await work()
    } catch (error) {
      const status = statusOf(error)
      if (conflict && status === 422)
        throw new ReleaseConflict(`${what}: ${(error as Error).message}`, { cause: error })
      // Rate limits are 403s too; the throttling plugin already waited for them.
      if (status === 403 && !/rate limit/i.test((error as Error).message)) {
        const refused = new UserError(
          `GitHub refused to ${what} in ${this.location} (403: ${(error as Error).message})`,
          WRITE_HINT
        )
        throw Object.assign(refused, { cause: error })
      }
      throw error
    }
  }

  async tagCommit(tag: string): Promise<string | undefined> {
    const { client, repo } = this.api()
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

  private readonly made = new Map<string, string>()

  get created(): ReadonlyMap<string, string> {
    return this.made
  }

  /** POST git/tags, then POST git/refs: GitHub makes an annotated tag in two steps. */
  async createAnnotatedTag(tag: string, sha: string, message: string): Promise<void> {
    const { client, repo } = this.api()
    const { data: tagObject } = await this.write(`create the tag ${tag}`, () =>
      client.rest.git.createTag({ ...repo, tag, message, object: sha, type: 'commit' })
    )
    await this.write(
      `create the ref of tag ${tag}`,
      () => client.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: tagObject.sha }),
      true
    )
    this.made.set(tag, sha)
  }

  async createTagRef(tag: string, sha: string): Promise<void> {
    const { client, repo } = this.api()
    await this.write(
      `create the tag ${tag}`,
      () => client.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha }),
      true
    )
    this.made.set(tag, sha)
  }

  async moveTagRef(tag: string, sha: string): Promise<void> {
    const { client, repo } = this.api()
    await this.write(`move the tag ${tag}`, () =>
      client.rest.git.updateRef({ ...repo, ref: `tags/${tag}`, sha, force: true })
    )
  }

  /** PATCH the ref; GitHub answers 422 "Reference does not exist" for a missing one: create it. */
  async setTagRef(tag: string, sha: string): Promise<'created' | 'moved'> {
    try {
      await this.moveTagRef(tag, sha)
      return 'moved'
    } catch (error) {
      if (statusOf(error) !== 422 || !/does not exist/i.test((error as Error).message)) throw error
    }
    try {
      await this.createTagRef(tag, sha)
      return 'created'
    } catch (error) {
      // Created meanwhile by another run: point it here after all.
      if (!(error instanceof ReleaseConflict)) throw error
      await this.moveTagRef(tag, sha)
      return 'moved'
    }
  }

  /**
   * The first tag's release by tag, one call when it is published. GET releases/tags/{tag}
   * does not return drafts (nor would it find a later tag's release before the first's draft),
   * so when that misses, the releases are listed, reading each page once.
   */
  async findRelease(tags: readonly string[]): Promise<ReleaseInfo | undefined> {
    const { client, repo } = this.api()
    if (tags.length === 0) return undefined
    try {
      const { data } = await client.rest.repos.getReleaseByTag({ ...repo, tag: tags[0] })
      return data as ReleaseInfo
    } catch (error) {
      if (statusOf(error) !== 404) throw error
    }
    const found = new Map<string, ReleaseInfo>()
    for await (const page of client.paginate.iterator(client.rest.repos.listReleases, {
      ...repo,
      per_page: 100
    })) {
      for (const release of page.data)
        if (tags.includes(release.tag_name) && !found.has(release.tag_name))
          found.set(release.tag_name, release as ReleaseInfo)
      // The most likely tag ends the search; a later one may still turn up on a later page.
      if (found.has(tags[0])) break
    }
    return tags.map(tag => found.get(tag)).find(release => release !== undefined)
  }

  async createRelease(release: NewRelease): Promise<ReleaseInfo> {
    const { client, repo } = this.api()
    const { data } = await this.write(
      `create the release ${release.tag}`,
      () =>
        client.rest.repos.createRelease({
          ...repo,
          tag_name: release.tag,
          target_commitish: release.target,
          name: release.name,
          body: release.body,
          draft: release.draft,
          prerelease: release.prerelease
        }),
      true
    )
    return data as ReleaseInfo
  }

  async updateRelease(id: number, changes: ReleaseChanges): Promise<ReleaseInfo> {
    const { client, repo } = this.api()
    const fields = {
      draft: changes.draft,
      name: changes.name,
      body: changes.body,
      prerelease: changes.prerelease,
      make_latest: changes.makeLatest
    }
    const defined = Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined)
    ) as Partial<typeof fields>
    const { data } = await this.write(`update the release ${id}`, () =>
      client.rest.repos.updateRelease({ ...repo, release_id: id, ...defined })
    )
    return data as ReleaseInfo
  }

  async listAssets(releaseId: number): Promise<AssetInfo[]> {
    const { client, repo } = this.api()
    const assets = await client.paginate(client.rest.repos.listReleaseAssets, {
      ...repo,
      release_id: releaseId,
      per_page: 100
    })
    return assets as AssetInfo[]
  }

  async uploadAsset(release: ReleaseInfo, name: string, data: Buffer): Promise<void> {
    const { client } = this.api()
    await this.write(
      `upload ${name} to ${release.tag_name}`,
      () =>
        client.request({
          method: 'POST',
          url: release.upload_url,
          name,
          data,
          headers: { 'content-type': 'application/octet-stream', 'content-length': data.length }
        }),
      true
    )
  }

  async deleteAsset(assetId: number): Promise<void> {
    const { client, repo } = this.api()
    await this.write(
      `delete the asset ${assetId}`,
      () => client.rest.repos.deleteReleaseAsset({ ...repo, asset_id: assetId }),
      true
    )
  }

  async downloadAsset(assetId: number): Promise<Buffer> {
    const { client, repo } = this.api()
    const response = await client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      ...repo,
      asset_id: assetId,
      headers: { accept: 'application/octet-stream' }
    })
    const data = response.data as unknown
    if (data instanceof ArrayBuffer) return Buffer.from(data)
    return Buffer.isBuffer(data) ? data : Buffer.from(String(data))
  }
}
