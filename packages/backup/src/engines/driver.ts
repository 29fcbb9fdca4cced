import type { Readable } from 'node:stream'
import type { Clock, Redactor } from '@slipway/kit'
import type { PipeSource } from '../programs.js'
import type { Connection, Engine, TableFingerprint } from '../types.js'

export interface DumpStream {
  stream: Readable
  /** Settles when the producing program exits (rejects on a failure). */
  done: Promise<void>
  fileCount?: number
  /**
   * The stream is a program's stdout pipe: a compressor program may read it directly
   * (the bytes then never pass through Node).
   */
  pipe?: boolean
  cleanup(): Promise<void>
}

/** One engine bound to one connection: the same shape for databases and file sets. */
export interface Driver {
  engine: Engine
  connection: Connection
  /** `pg_dump-custom`, `sql`, `sqlite`, `tar`. */
  format: string
  /** File extension before compression (`.dump`, `.sql`, `.sqlite`, `.tar`). */
  extension: string
  /**
   * Connects once: an unreachable source is an InputError naming the input. Returns the server
   * version. A restore `target` database may be missing where the engine creates it.
   */
  probe(options?: { target?: boolean }): Promise<string | undefined>
  /**
   * Set when the dump connects exactly as the probe does and names the server's version and its
   * own in its first bytes (pg_dump's archive header): a backup then starts the dump without
   * probing first, takes both versions from those bytes, and probes (and asks `tools`) only to
   * explain a failed dump (the probe's InputError wins) or when the bytes do not say.
   */
  fromDumpHeader?(
    head: Buffer
  ): { serverVersion: string; tools?: Record<string, string> } | undefined
  /** The versions of the programs that make the backup, for the manifest. */
  tools(): Promise<Record<string, string>>
  /** The commands a backup would run (no secrets), for dry-run plans. */
  plan(): string[]
  /** `compressed`: our pipeline compresses, so the engine's own compression is turned off. */
  dump(options: { compressed: boolean }): Promise<DumpStream>
  isEmpty(): Promise<boolean>
  /**
   * Restores from a stream of the engine's format (or a function starting a program whose
   * stdout the client reads directly). `clean` replaces objects that exist.
   */
  restore(input: Readable | PipeSource, options: { clean: boolean }): Promise<void>
  /** Per-table (or per-file) row count and checksum, for verify. */
  fingerprint(): Promise<TableFingerprint[]>
  /** An empty scratch target of the same kind (temp database/file/dir) and how to remove it. */
  scratch(): Promise<{ driver: Driver; drop(): Promise<void> }>
  close(): Promise<void>
}

export interface DriverContext {
  redactor: Redactor
  timeoutMs: number
  env: NodeJS.ProcessEnv
  log: (message: string) => void
  /** How often streaming logs the data moved (MeterStage); 15 s by default. */
  progressEveryMs?: number
  /** Decides when a progress line is due (a test's clock). */
  clock?: Pick<Clock, 'now'>
}
