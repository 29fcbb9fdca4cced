/**
 * The release port: what tag-and-release and the rollback's release marking need from wherever
 * tags, releases and assets are kept. GitHub implements it through its REST API
 * (`GitHubReleaseStore`); the CLI's local mode through the checkout's git tags and the ledger
 * file (`FileReleaseStore`). Re-runs converge in the code above the port (`tags.ts`,
 * `publish.ts`), so an implementation only has to report a conflict, never resolve one.
 */

export type TagOutcome = 'created' | 'exists'
export type MakeLatest = 'true' | 'false' | 'legacy'

/** The fields of a release we use (GitHub's REST shape, which the ledger file keeps too). */
export interface ReleaseInfo {
  id: number
  tag_name: string
  html_url: string
  /** Where assets are uploaded; meaningful to the store that returned the release only. */
  upload_url: string
  draft: boolean
  prerelease: boolean
  body?: string | null
  immutable?: boolean
}

export interface AssetInfo {
  id: number
  name: string
  size: number
  /** `sha256:<hex>` when the store knows it; otherwise the content is downloaded to compare. */
  digest?: string | null
}

export interface NewRelease {
  tag: string
  /** The commit the release (and, on GitHub, a missing tag) points at. */
  target: string
  name: string
  body: string
  draft: boolean
  prerelease: boolean
}

/** The fields an update changes; absent fields are left as they are. */
export interface ReleaseChanges {
  draft?: boolean
  name?: string
  body?: string
  prerelease?: boolean
  makeLatest?: MakeLatest
}

export interface ReleaseStore {
  /** Where the releases are kept (`owner/name`, or the ledger file), for messages. */
  readonly location: string

  /** The commit a tag points to (annotated tags peeled), or undefined when there is none. */
  tagCommit(tag: string): Promise<string | undefined>
  /** Creates the annotated tag object and its ref; `ReleaseConflict` when the ref exists. */
  createAnnotatedTag(tag: string, sha: string, message: string): Promise<void>
  /** Creates a lightweight tag ref; `ReleaseConflict` when it exists. */
  createTagRef(tag: string, sha: string): Promise<void>
  /** Points an existing tag ref at `sha`, whatever it pointed at before. */
  moveTagRef(tag: string, sha: string): Promise<void>
  /**
   * Points a tag ref at `sha` in one write where the store can (GitHub: update the ref, create
   * it only when it does not exist), without saying whether it pointed there already.
   */
  setTagRef?(tag: string, sha: string): Promise<'created' | 'moved'>
  /**
   * The tags this store created since it was made, each with its commit. What a run has just
   * tagged had no release and no other tag on that commit before (barring a concurrent run), so
   * callers skip reads whose answer they know: each read is an API call on GitHub.
   */
  readonly created?: ReadonlyMap<string, string>

  /** The release of the first of `tags` that has one, drafts included. */
  findRelease(tags: readonly string[]): Promise<ReleaseInfo | undefined>
  /** `ReleaseConflict` when the tag already has a release. */
  createRelease(release: NewRelease): Promise<ReleaseInfo>
  /** Publishing, promoting and marking a release are all updates. */
  updateRelease(id: number, changes: ReleaseChanges): Promise<ReleaseInfo>

  listAssets(releaseId: number): Promise<AssetInfo[]>
  /** `ReleaseConflict` when the release has an asset of that name or refuses new assets. */
  uploadAsset(release: ReleaseInfo, name: string, data: Buffer): Promise<void>
  /** `ReleaseConflict` when the release refuses to lose the asset (immutable release). */
  deleteAsset(assetId: number): Promise<void>
  downloadAsset(assetId: number): Promise<Buffer>
}

/**
 * The store refused a write because of what it already holds (GitHub's 422: a tag ref, a
 * release or an asset that exists, an immutable release). Callers re-read and converge.
 */
export class ReleaseConflict extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ReleaseConflict'
  }
}
