export {
  backup,
  defaultName,
  type BackupOptions,
  type BackupResult,
  type BackupPlan
} from './backup.js'
export { restore, type RestoreOptions, type RestoreResult } from './restore.js'
export {
  verify,
  compare,
  type VerifyOptions,
  type VerifyResult,
  type TableComparison
} from './verify.js'
export { list, findBackup, type ListOptions } from './find.js'
export {
  prune,
  selectForDeletion,
  type PruneOptions,
  type PruneResult,
  type RetentionPolicy
} from './retention.js'
export { parseSource, engineFromUrl, checkEngine, type SourceSpec } from './source.js'
export { resolveCompression } from './codec.js'
export { dirStore } from './stores/dir.js'
export { artifactStore, type ArtifactStoreOptions } from './stores/artifact.js'
export type { Store, StoreOptions } from './stores/store.js'
export { newBackupId, parseManifest, sanitizeName } from './manifest.js'
export { IntegrityError, NonEmptyTargetError, VerifyMismatchError } from './errors.js'
export { startProgram, type Program } from './programs.js'
export {
  parseBackupSettings,
  BACKUP_OPERATIONS,
  type BackupOperation,
  type BackupSettings,
  type StoreSettings
} from './settings.js'
export {
  runBackupOperation,
  runnerArtifactClient,
  backupFailure,
  backupOutputs,
  renderBackupSummary,
  type BackupPorts,
  type BackupOperationResult
} from './run-backup.js'
export {
  bytes,
  renderBackup,
  renderList,
  renderPrune,
  renderRestore,
  renderVerify
} from './summary.js'
export {
  ENGINES,
  COMPRESSIONS,
  type Engine,
  type Compression,
  type CompressionChoice,
  type Connection,
  type Manifest,
  type TableFingerprint
} from './types.js'
export { MeterStage } from './progress.js'
export * from './rehearsal/index.js'
