import { InputError } from '@slipway/kit'
import { driverContext, settleAll, toConnection } from './context.js'
import { createDriver, type Driver, type DriverContext } from './engines/index.js'
import { findBackup } from './find.js'
import { checkIntegrity, decodeBackup, fileProgress } from './integrity.js'
import { checkEngine, engineFromUrl, type SourceSpec } from './source.js'
import type { BackupPlan } from './backup.js'
import type { Store } from './stores/store.js'
import type { Common, Connection, Manifest, TableFingerprint } from './types.js'

export interface VerifyOptions extends Common {
  store: Store
  /** A backup id or `latest` (default). */
  id?: string
  name?: string
  /** The database or files the backup was taken from: compared with the restored copy. */
  source: SourceSpec | Connection
  identities?: string[]
  /** Only find the backup and say what would be compared; connect to nothing. */
  dryRun?: boolean
}

export interface TableComparison {
  name: string
  sourceRows: number | null
  restoredRows: number | null
  match: boolean
}

export interface VerifyResult {
  id: string
  ok: boolean
  /** Tables (or files) compared. */
  tables: TableComparison[]
  differences: string[]
  durationMs: number
  /** Set for a dry run: nothing was restored or compared (`ok` is then false). */
  plan?: BackupPlan
}

/**
 * Checks the file against its manifest, restores it into a scratch target (a temp database
 * on the same server, a temp SQLite file, a temp directory), compares row counts and
 * checksums with the source, and removes the scratch target.
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const context = driverContext(options)
  const spec = options.source
  // `latest` takes only a backup of the source's engine and of that source, when they are known.
  const asked = 'display' in spec ? spec.engine : (spec.engine ?? engineFromUrl(spec.url))
  const manifest = await findBackup(
    options.store,
    options.id,
    options.name,
    asked
      ? {
          engines: [checkEngine(asked)],
          source: toConnection({ ...spec, engine: asked } as SourceSpec, context).display
        }
      : undefined
  )
  // A source without an engine or a URL scheme is taken to be of the backup's engine.
  const connection = toConnection(
    'display' in spec
      ? spec
      : { ...spec, engine: spec.engine ?? (engineFromUrl(spec.url) ? undefined : manifest.engine) },
    context
  )
  if (!compatible(manifest.engine, connection.engine)) {
    throw new InputError(
      'engine',
      `the engine of backup ${manifest.id} (${manifest.engine})`,
      connection.engine
    )
  }
  if (options.dryRun) {
    const plan: BackupPlan = {
      operation: 'verify',
      engine: manifest.engine,
      source: connection.display,
      store: `${options.store.kind}: ${options.store.describe()}`,
      backupId: manifest.id,
      compression: manifest.compression,
      encryption: manifest.encryption ? 'age' : 'none',
      notes: [
        'sha256 check, restore into a scratch target, compare with the source, drop the scratch target'
      ]
    }
    return { id: manifest.id, ok: false, tables: [], differences: [], durationMs: 0, plan }
  }
  const driver = createDriver(connection, context)
  try {
    await driver.probe()
    return await verifyWithDriver(
      driver,
      manifest,
      options.store,
      options.identities ?? [],
      context
    )
  } finally {
    await driver.close()
  }
}

export async function verifyWithDriver(
  source: Driver,
  manifest: Manifest,
  store: Store,
  identities: string[],
  context: DriverContext
): Promise<VerifyResult> {
  const started = Date.now()
  // Every program has its own deadline; this one also bounds what runs in Node (reading the
  // files to compare, waiting on a store), so verify as a whole honours the timeout.
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(`verify of ${manifest.id} timed out after ${context.timeoutMs}ms (timeout)`)
        ),
      context.timeoutMs
    )
    timer.unref()
  })
  try {
    return await Promise.race([
      deadline,
      restoreAndCompare(source, manifest, store, identities, context, started)
    ])
  } finally {
    clearTimeout(timer)
  }
}

async function restoreAndCompare(
  source: Driver,
  manifest: Manifest,
  store: Store,
  identities: string[],
  context: DriverContext,
  started: number
): Promise<VerifyResult> {
  const opened = await store.open(manifest)
  try {
    const progress = fileProgress(context, `verify ${manifest.id}`)
    await checkIntegrity(opened.path, manifest, progress)
    const scratch = await source.scratch()
    try {
      // The bytes of the backup file are counted as they are read, whichever program decodes them.
      const decoded = await decodeBackup(opened.path, manifest, identities, {
        ...progress,
        label: `verify ${manifest.id}: restoring`
      })
      await settleAll([...decoded.done, scratch.driver.restore(decoded.stream, { clean: false })])
      const [expected, actual] = await Promise.all([
        source.fingerprint(),
        scratch.driver.fingerprint()
      ])
      const result = compare(expected, actual)
      context.log(
        `Verify ${manifest.id}: ${result.ok ? 'identical' : `${result.differences.length} difference(s)`} (${result.tables.length} compared)`
      )
      return { id: manifest.id, ...result, durationMs: Date.now() - started }
    } finally {
      await scratch.drop()
    }
  } finally {
    await opened.release()
  }
}

export function compare(
  expected: TableFingerprint[],
  actual: TableFingerprint[]
): Pick<VerifyResult, 'ok' | 'tables' | 'differences'> {
  const restored = new Map(actual.map(t => [t.name, t]))
  const source = new Map(expected.map(t => [t.name, t]))
  const names = [...new Set([...source.keys(), ...restored.keys()])].sort()
  const differences: string[] = []
  const tables = names.map(name => {
    const a = source.get(name)
    const b = restored.get(name)
    let match = true
    if (!a) {
      differences.push(`${name}: only in the restored copy`)
      match = false
    } else if (!b) {
      differences.push(`${name}: missing from the restored copy`)
      match = false
    } else if (a.rows !== b.rows) {
      differences.push(`${name}: ${a.rows} in the source, ${b.rows} restored`)
      match = false
    } else if (a.checksum !== b.checksum) {
      differences.push(`${name}: checksums differ`)
      match = false
    }
    return { name, sourceRows: a?.rows ?? null, restoredRows: b?.rows ?? null, match }
  })
  return { ok: differences.length === 0, tables, differences }
}

/** MySQL and MariaDB dumps restore into each other. */
export function compatible(backupEngine: string, targetEngine: string): boolean {
  const family = (engine: string): string => (engine === 'mariadb' ? 'mysql' : engine)
  return family(backupEngine) === family(targetEngine)
}
