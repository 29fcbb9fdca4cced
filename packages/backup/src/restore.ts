import { resolve } from 'node:path'
import { InputError } from '@slipway/kit'
import { driverContext, settleAll, toConnection } from './context.js'
import { createDriver } from './engines/index.js'
import { NonEmptyTargetError } from './errors.js'
import { findBackup } from './find.js'
import { checkIntegrity, decodeBackup } from './integrity.js'
import type { BackupPlan } from './backup.js'
import { parseSource, type SourceSpec } from './source.js'
import type { Store } from './stores/store.js'
import type { Common, Connection, Manifest } from './types.js'
import { compatible } from './verify.js'

export interface RestoreOptions extends Common {
  store: Store
  /** A backup id or `latest` (default). */
  id?: string
  /** With `latest`: the newest backup of this name. */
  name?: string
  /**
   * Where to restore: a database URL, a SQLite path, or a directory for files. The engine is
   * the backup's unless given.
   */
  target: SourceSpec | Connection
  /** Replace what exists in a non-empty target (otherwise the restore is refused). */
  clean?: boolean
  /** age identities (`AGE-SECRET-KEY-1…`) for encrypted backups. */
  identities?: string[]
  dryRun?: boolean
}

export interface RestoreResult {
  dryRun: boolean
  plan: BackupPlan
  manifest: Manifest
  target: string
  durationMs: number
}

/**
 * Restores a backup: SHA-256 checked against the manifest first (a corrupted file restores
 * nothing), then streamed through decryption and decompression into the client program.
 * A non-empty target is refused unless `clean` is set. Rollback calls this.
 */
export async function restore(options: RestoreOptions): Promise<RestoreResult> {
  const context = driverContext(options)
  const manifest = await findBackup(options.store, options.id, options.name)
  const spec = options.target
  let connection: Connection
  if ('display' in spec) connection = spec
  else if (manifest.engine === 'files') {
    // A directory: the target URL, or else the source's base-dir (restoring in place, as
    // rollback does with clean: true).
    const dir = spec.url ?? spec.baseDir
    if (!dir)
      throw new InputError(
        spec.input ?? 'target',
        'a directory to restore the files into',
        undefined
      )
    connection = {
      engine: 'files',
      path: resolve(dir),
      display: resolve(dir),
      input: spec.input ?? 'target'
    }
  } else
    connection = parseSource({
      ...spec,
      engine: spec.engine ?? manifest.engine,
      env: spec.env ?? context.env
    })
  connection = toConnection(connection, context)
  if (!compatible(manifest.engine, connection.engine)) {
    throw new InputError(
      'engine',
      `the engine of backup ${manifest.id} (${manifest.engine})`,
      connection.engine
    )
  }
  const plan: BackupPlan = {
    operation: 'restore',
    engine: manifest.engine,
    source: manifest.source,
    store: `${options.store.kind}: ${options.store.describe()}`,
    backupId: manifest.id,
    target: connection.display,
    compression: manifest.compression,
    encryption: manifest.encryption ? 'age' : 'none',
    notes: [
      options.clean
        ? 'clean: objects in the backup replace those in the target'
        : 'refused if the target is not empty'
    ]
  }
  if (options.dryRun)
    return { dryRun: true, plan, manifest, target: connection.display, durationMs: 0 }
  if (manifest.encryption && !options.identities?.length) {
    throw new InputError(
      'age-identity',
      `an age identity: backup ${manifest.id} is encrypted`,
      undefined
    )
  }
  const started = Date.now()
  const driver = createDriver(connection, context)
  try {
    if (connection.engine !== 'sqlite' && connection.engine !== 'files')
      await driver.probe({ target: true })
    if (!options.clean && !(await driver.isEmpty())) {
      throw new NonEmptyTargetError(
        `the restore target ${connection.display} is not empty; set clean: true to replace its content with backup ${manifest.id}`
      )
    }
    const opened = await options.store.open(manifest)
    try {
      await checkIntegrity(opened.path, manifest)
      context.log(`Restoring ${manifest.id} into ${connection.display}`)
      const decoded = decodeBackup(opened.path, manifest, options.identities ?? [])
      await settleAll([
        ...decoded.done,
        driver.restore(decoded.stream, { clean: options.clean ?? false })
      ])
    } finally {
      await opened.release()
    }
    return {
      dryRun: false,
      plan,
      manifest,
      target: connection.display,
      durationMs: Date.now() - started
    }
  } finally {
    await driver.close()
  }
}
