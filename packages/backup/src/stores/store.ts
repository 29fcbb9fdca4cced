import type { Manifest } from '../types.js'

/** Where backups are kept. Every backup is two objects: the data file and its manifest. */
export interface Store {
  kind: 'dir' | 'artifact'
  /** Human-readable place, for summaries (`/mnt/backups`, `artifact slipway-backup-…`). */
  describe(): string
  /**
   * Refuses (an InputError) a backup this store must not keep, before anything is dumped: the
   * artifact store refuses an unencrypted one unless allowed.
   */
  accept?(backup: { encrypted: boolean }): void
  /** A local path to stream the new backup file into (same filesystem as the store when possible). */
  stage(file: string): Promise<string>
  /** Publishes a staged file and its manifest; returns the backup's location. */
  commit(manifest: Manifest, stagedPath: string): Promise<string>
  /** Removes a staged file after a failure. */
  abort(stagedPath: string): Promise<void>
  /**
   * Every complete backup (data file + manifest). A manifest that is damaged, or whose data file
   * is missing or differs from it, is reported through the store's `warn`, never skipped silently.
   */
  list(): Promise<Manifest[]>
  /** A local path of the backup file, readable until `release`. */
  open(manifest: Manifest): Promise<{ path: string; release(): Promise<void> }>
  location(manifest: Manifest): string
  delete(manifest: Manifest): Promise<void>
}

export interface StoreOptions {
  /** Problems found while listing (damaged manifests, missing or altered data files). */
  warn?: (message: string) => void
}
