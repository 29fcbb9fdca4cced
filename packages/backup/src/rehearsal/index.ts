export { checkUrlVariable } from './url-variable.js'
export {
  rehearseMigration,
  rehearsalBackup,
  type RehearsalOptions,
  type RehearsalResult,
  type CommandRun,
  type DownRehearsal
} from './rehearse.js'
export {
  diffSnapshots,
  structuralDifferences,
  describeChange,
  isWidening,
  type SchemaDiff,
  type SchemaChange,
  type ChangeKind,
  type RowCount
} from './diff.js'
export {
  readSnapshot,
  type SchemaSnapshot,
  type TableShape,
  type ColumnShape,
  type SchemaObjectShape
} from './snapshot.js'
