export {
  listTags,
  readCommits,
  resolveCommit,
  type RawCommit,
  type TagRef,
  type GitOptions
} from './git.js'
export { parseCommits, PARSER_OPTIONS, type ConventionalCommit } from './commits.js'
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
  ensureTag,
  moveTag,
  tagCommit,
  findRelease,
  publishRelease,
  promoteRelease,
  type MakeLatest,
  type PublishOptions,
  type PublishResult,
  type ReleaseInfo,
  type AssetOutcome,
  type TagOutcome
} from './github.js'
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
