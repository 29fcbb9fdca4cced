export {
  listTags,
  readCommits,
  parseLog,
  inspectCheckout,
  type CheckoutState,
  resolveCommit,
  type RawCommit,
  type TagRef,
  type GitOptions
} from './git.js'
export {
  parseCommits,
  CommitReader,
  PARSER_OPTIONS,
  type ConventionalCommit,
  type ParseCommitsOptions
} from './commits.js'
export {
  bumpOf,
  effectiveBump,
  exactVersion,
  latestStable,
  nextStable,
  prereleaseVersion,
  versionTags,
  type Bump,
  type BumpOptions,
  type VersionTag
} from './version.js'
export {
  renderNotes,
  parseSections,
  DEFAULT_SECTIONS,
  BREAKING_TITLE,
  type Section,
  type NotesOptions
} from './notes.js'
export { prependChangelog, type ChangelogResult } from './changelog.js'
export { planRelease, type PlanOptions, type ReleasePlan } from './plan.js'
export { collectAssets, checksumsAsset, sha256, CHECKSUMS_NAME, type AssetFile } from './assets.js'
export {
  ReleaseConflict,
  type ReleaseStore,
  type ReleaseInfo,
  type AssetInfo,
  type NewRelease,
  type ReleaseChanges,
  type MakeLatest,
  type TagOutcome
} from './port.js'
export { GitHubReleaseStore, type GitHubReleaseStoreOptions } from './github.js'
export { FileReleaseStore, type FileReleaseStoreOptions } from './file-store.js'
export { ensureTag, moveTag } from './tags.js'
export {
  publishRelease,
  promoteRelease,
  type PublishOptions,
  type PublishResult,
  type AssetOutcome
} from './publish.js'
export { ensureTagWithGit, moveTagWithGit, type GitTagOptions } from './git-tag.js'
export {
  validateTagPrefix,
  validatePrereleaseId,
  validateReleaseAs,
  validateTagName
} from './validate.js'
export {
  tagAndRelease,
  type TagAndReleaseOptions,
  type TagAndReleaseResult,
  type Step
} from './tag-and-release.js'
export { writeSummary } from './summary.js'
export { parseReleaseSettings, type ReleaseSettings } from './settings.js'
export {
  runRelease,
  releaseOutputs,
  renderReleaseSummary,
  releaseNotice,
  type ReleasePorts,
  type ReleaseResult
} from './run-release.js'
export {
  GitHubPullRequestStore,
  type PullRequestStore,
  type PullInfo
} from './release-pr/pull-requests.js'
export {
  runReleasePullRequest,
  type ReleasePullRequestOptions,
  type ReleasePullRequestResult,
  type PullRequestAction
} from './release-pr/run-release-pr.js'
export {
  parseVersionFiles,
  readVersion,
  writeVersion,
  VERSION_MARKER,
  type VersionFile,
  type VersionFileKind
} from './release-pr/version-files.js'
