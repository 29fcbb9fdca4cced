import type { Clock, Redactor } from '@slipway/kit'

export const ENGINES = ['postgres', 'mysql', 'mariadb', 'sqlite', 'files'] as const
export type Engine = (typeof ENGINES)[number]

export const COMPRESSIONS = ['auto', 'gzip', 'zstd', 'none'] as const
export type CompressionChoice = (typeof COMPRESSIONS)[number]
export type Compression = Exclude<CompressionChoice, 'auto'>

/** Where a database or a file set lives. Built by `parseSource`; holds the password in memory only. */
export interface Connection {
  engine: Engine
  host?: string
  port?: number
  user?: string
  password?: string
  database?: string
  /** Unix socket (mysql) or socket directory (postgres `?host=/dir`). */
  socket?: string
  /** postgres sslmode, mysql ssl-mode. */
  sslMode?: string
  /** SQLite database file. */
  path?: string
  /** files: patterns (paths or globs) and excludes, relative to baseDir. */
  patterns?: string[]
  exclude?: string[]
  baseDir?: string
  /** The source as text with secrets removed, for manifests and summaries. */
  display: string
  /** The input that named this connection, for InputErrors (`database-url`, `target`, …). */
  input: string
}

/** What every operation accepts for logging and secret handling. */
export interface Common {
  redactor?: Redactor
  log?: (message: string) => void
  /** Deadline for each external program (pg_dump, mysql, tar …). */
  timeoutMs?: number
  /** Environment the client programs inherit (defaults to process.env). */
  env?: NodeJS.ProcessEnv
  /** How often a dump or restore logs the data moved; 15 s by default. */
  progressEveryMs?: number
  /** Decides when a progress line is due (a test's clock); the system clock by default. */
  clock?: Pick<Clock, 'now'>
}

export interface EncryptionInfo {
  type: 'age'
  /** Short fingerprints of the recipients (never the keys themselves in logs). */
  recipients: string[]
}

export interface Manifest {
  /** Format version of this manifest. */
  version: 1
  id: string
  name: string
  engine: Engine
  /** `pg_dump-custom`, `sql`, `sqlite`, `tar`. */
  format: string
  serverVersion?: string
  source: string
  database?: string
  /** The backup file's name, beside the manifest. */
  file: string
  size: number
  sha256: string
  /**
   * Bytes before compression and encryption, when they passed through Node (not when zstd
   * reads the dump program's output directly).
   */
  rawSize?: number
  created: string
  durationMs: number
  compression: Compression
  encryption: EncryptionInfo | null
  tools: Record<string, string>
  /** files: how many files were archived. */
  fileCount?: number
}

export interface TableFingerprint {
  name: string
  rows: number
  checksum: string
}
