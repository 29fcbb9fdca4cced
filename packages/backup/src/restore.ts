import { resolve } from 'node:path'
import { InputError } from '@slipway/kit'
import { driverContext, settleAll, toConnection } from './context.js'
import { createDriver, type DriverContext } from './engines/index.js'
import { NonEmptyTargetError } from './errors.js'
import { findBackup } from './find.js'
import { checkIntegrity, decodeBackup, fileProgress } from './integrity.js'
import type { BackupPlan } from './backup.js'
import { checkEngine, engineFromUrl, parseSource, type SourceSpec } from './source.js'
import type { Store } from './stores/store.js'
import { ENGINES, type Common, type Connection, type Engine, type Manifest } from './types.js'
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
  /**
   * The database or files the backup was taken from, when restoring elsewhere: `latest` then
   * takes only this source's backups. Without it, an in-place restore takes the target's own
   * backups, and otherwise the backups must all come from one source.
   */
  source?: SourceSpec | Connection
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
  const spec = options.target
  const engines = requestedEngines(spec)
  const source = options.source ? toConnection(options.source, context) : undefined
  const manifest = await findBackup(options.store, options.id, options.name, {
    engines,
    source: source?.display,
    target: targetDisplay(spec, engines, context)
  })
  // An explicit id of another engine is refused before anything is opened or written.
  if (!engines.some(engine => compatible(manifest.engine, engine)))
    throw new InputError(
      'engine',
      `the engine of backup ${manifest.id} (${manifest.engine})`,
      engines.join(' or ')
    )
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
      const progress = fileProgress(context, `restore ${manifest.id}`)
      await checkIntegrity(opened.path, manifest, progress)
      context.log(`Restoring ${manifest.id} into ${connection.display}`)
      const decoded = await decodeBackup(opened.path, manifest, options.identities ?? [], progress)
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

/**
 * The engines a restore target may take: the one it names (or its URL's scheme names); a
 * bare path is a SQLite file or a directory for files.
 */
function requestedEngines(spec: SourceSpec | Connection): Engine[] {
  if ('display' in spec) return [spec.engine]
  if (spec.engine) return [checkEngine(spec.engine)]
  const fromUrl = engineFromUrl(spec.url)
  if (fromUrl) return [fromUrl]
  if (spec.paths?.length) return ['files']
  if (spec.url) return ['sqlite', 'files']
  throw new InputError(
    'engine',
    `the engine of the restore target (${ENGINES.join(', ')}) when ${spec.input ?? 'target'} is not a URL`,
    undefined
  )
}

/** The target as a backup source would be written, to recognise an in-place restore. */
function targetDisplay(
  spec: SourceSpec | Connection,
  engines: Engine[],
  context: DriverContext
): string | undefined {
  if ('display' in spec) return spec.display
  try {
    return toConnection({ ...spec, engine: spec.engine ?? engines[0] }, context).display
  } catch {
    return undefined // not a complete source (a directory to restore files into)
  }
}
