import { createWriteStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { InputError, formatByteRate, formatBytes, formatDuration } from '@slipway/kit'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  compressStage,
  ZSTD_BANNER_ARGS,
  zstdVersionFromBanner,
  encryptStage,
  extensionFor,
  HashStage,
  recipientFingerprint,
  resolveCompression,
  type Stage
} from './codec.js'
import { driverContext, settleAll, toConnection } from './context.js'
import { createDriver } from './engines/index.js'
import { newBackupId, sanitizeName } from './manifest.js'
import { startProgram, toolVersion } from './programs.js'
import type { SourceSpec } from './source.js'
import type { Store } from './stores/store.js'
import type { Common, CompressionChoice, Connection, Manifest } from './types.js'
import { verifyWithDriver, type VerifyResult } from './verify.js'
import { MeterStage } from './progress.js'
import { HeadStage, zstdPrefix } from './engines/pg-header.js'

export interface BackupOptions extends Common {
  source: SourceSpec | Connection
  store: Store
  /** Groups backups for `latest` and retention; defaults to the database (or file) name. */
  name?: string
  compression?: CompressionChoice
  /** age recipients (`age1…`); empty means no encryption. */
  recipients?: string[]
  /** Restore into a scratch target right after the backup and compare. */
  verify?: boolean
  /** age identities, needed by `verify` when the backup is encrypted. */
  identities?: string[]
  dryRun?: boolean
}

export interface BackupPlan {
  operation: string
  engine: string
  source: string
  store: string
  name?: string
  compression?: string
  encryption?: string
  commands?: string[]
  backupId?: string
  target?: string
  notes?: string[]
}

export interface BackupResult {
  dryRun: boolean
  plan: BackupPlan
  manifest?: Manifest
  location?: string
  verify?: VerifyResult
}

export function defaultName(connection: Connection): string {
  if (connection.engine === 'sqlite')
    return sanitizeName(
      (connection.path ?? 'sqlite')
        .split('/')
        .pop()!
        .replace(/\.[^.]*$/, '')
    )
  if (connection.engine === 'files') return 'files'
  return sanitizeName(connection.database ?? connection.engine)
}

/** Counts bytes before compression (the dump's own size) without buffering. */
class CountStage extends Transform {
  size = 0
  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error: null, chunk: Buffer) => void
  ): void {
    this.size += chunk.length
    callback(null, chunk)
  }
}

/**
 * Streams a backup: the engine's program → compression → encryption → SHA-256 → the store.
 * Nothing is held whole in memory; the manifest is written only after every stage succeeded.
 */
export async function backup(options: BackupOptions): Promise<BackupResult> {
  const context = driverContext(options)
  const connection = toConnection(options.source, context)
  const driver = createDriver(connection, context)
  const recipients = options.recipients ?? []
  const compression = resolveCompression(options.compression ?? 'auto', context.env)
  const name = sanitizeName(options.name ?? defaultName(connection))
  const plan: BackupPlan = {
    operation: 'backup',
    engine: connection.engine,
    source: connection.display,
    store: `${options.store.kind}: ${options.store.describe()}`,
    name,
    compression,
    encryption: recipients.length ? `age, ${recipients.length} recipient(s)` : 'none',
    commands: driver.plan(),
    notes: options.verify ? ['verify: restore into a scratch target and compare'] : []
  }
  const encrypt = recipients.length ? await encryptStage(recipients) : undefined // validates recipients, also in a dry run
  options.store.accept?.({ encrypted: encrypt !== undefined }) // also refused in a dry run
  if (options.verify && recipients.length && !options.identities?.length) {
    throw new InputError(
      'age-identity',
      'an age identity, to verify an encrypted backup',
      undefined
    )
  }
  if (options.dryRun) return { dryRun: true, plan }
  const started = Date.now()
  let staged: string | undefined
  let dump: Awaited<ReturnType<typeof driver.dump>> | undefined
  let piping: Promise<void> | undefined
  try {
    // A driver whose dump connects exactly as its probe does and names the server's version
    // and its own (pg_dump) is its own probe: the dump's first byte does not wait for a second
    // process and connection, and no version query competes with it for the CPU
    // (bench/results/backup.md). The probe then runs only to explain a failure.
    const dumpProbes = driver.fromDumpHeader !== undefined
    let serverVersion = dumpProbes ? undefined : await driver.probe()
    // The dump starts before the backup's id and staged file: its connection and catalog
    // queries overlap the rest of the set-up instead of following it.
    dump = await driver.dump({ compressed: compression !== 'none' })
    const id = newBackupId(name)
    const file = `${id}${driver.extension}${extensionFor(compression, recipients.length > 0)}`
    plan.backupId = id
    staged = await options.store.stage(file)
    let source: Readable = dump.stream
    const stages: Stage[] = []
    const programs: Promise<void>[] = [dump.done]
    let counter: CountStage | undefined
    let zstd: ReturnType<typeof startProgram> | undefined
    if (compression === 'zstd' && dump.pipe) {
      // zstd reads pg_dump/mysqldump/tar's pipe itself: the uncompressed bytes never pass
      // through Node (see bench/results/backup.md).
      zstd = startProgram('zstd', ZSTD_BANNER_ARGS, {
        label: 'zstd',
        stdinFrom: dump.stream,
        baseEnv: context.env
      })
      source = zstd.stdout
      programs.push(zstd.done)
    } else {
      counter = new CountStage()
      stages.push({ stream: counter })
      const compress = compressStage(compression)
      if (compress) stages.push(compress)
    }
    if (encrypt) stages.push(encrypt)
    const hasher = new HashStage()
    const meter = new MeterStage(context.log, `backup ${id}`, context.progressEveryMs, {
      clock: context.clock
    })
    const head = dumpProbes ? new HeadStage() : undefined
    piping = (pipeline as (...streams: unknown[]) => Promise<void>)(
      source,
      ...(head ? [head] : []),
      ...stages.map(s => s.stream),
      meter,
      hasher,
      createWriteStream(staged, { mode: 0o600 }) // a dump holds every row: owner only
    )
    context.log(`Backing up ${connection.display} to ${options.store.describe()} as ${id}`)
    // Asked while the dump runs, not after it; only once the data path is running, as each
    // spawn holds Node's thread for a moment and pg_dump waits on a full pipe until zstd reads.
    // A dump that names its program's version, and a piped zstd that prints its banner, need
    // no query at all.
    const askedTools = dumpProbes ? undefined : driver.tools()
    const askedZstd =
      compression === 'zstd' && !zstd ? toolVersion('zstd', ['-V'], context.env) : undefined
    askedTools?.catch(() => undefined)
    askedZstd?.catch(() => undefined)
    try {
      await settleAll([...programs, ...stages.flatMap(s => (s.done ? [s.done] : [])), piping])
    } catch (error) {
      // An unreachable source, a wrong password, a missing database: the probe's InputError
      // names the input; a reachable source leaves the dump's own error.
      if (dumpProbes) await driver.probe()
      throw error
    }
    let driverTools = await askedTools
    // A piped zstd that printed no banner is asked after all.
    const zstdVersion =
      compression === 'zstd'
        ? ((zstd && zstdVersionFromBanner(zstd.stderrStart)) ??
          (await (askedZstd ?? toolVersion('zstd', ['-V'], context.env))))
        : undefined
    if (head && driver.fromDumpHeader) {
      const start = zstd ? await zstdPrefix(head.head) : head.head
      const header = start && driver.fromDumpHeader(start)
      serverVersion = header ? header.serverVersion : await driver.probe()
      driverTools = header && header.tools ? header.tools : await driver.tools()
    }
    const manifest: Manifest = {
      version: 1,
      id,
      name,
      engine: connection.engine,
      format: driver.format,
      serverVersion,
      source: connection.display,
      database: connection.database,
      file,
      size: hasher.size,
      sha256: hasher.digest(),
      ...(counter ? { rawSize: counter.size } : {}),
      created: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      compression,
      encryption: recipients.length
        ? { type: 'age', recipients: recipients.map(recipientFingerprint) }
        : null,
      tools: {
        ...driverTools,
        ...(zstdVersion !== undefined ? { zstd: zstdVersion } : {}),
        ...(compression === 'gzip' ? { gzip: `node zlib ${process.versions.zlib}` } : {}),
        ...(recipients.length ? { age: 'age-encryption (npm)' } : {}),
        node: process.version
      },
      ...(dump.fileCount !== undefined ? { fileCount: dump.fileCount } : {})
    }
    const location = await options.store.commit(manifest, staged)
    staged = undefined
    context.log(
      `Backup ${id}: ${formatBytes(manifest.size)} in ${formatDuration(manifest.durationMs)} (${formatByteRate(manifest.size, manifest.durationMs)}), sha256 ${manifest.sha256}`
    )
    let verify: VerifyResult | undefined
    if (options.verify)
      verify = await verifyWithDriver(
        driver,
        manifest,
        options.store,
        options.identities ?? [],
        context
      )
    return { dryRun: false, plan, manifest, location, verify }
  } finally {
    if (dump && !piping) {
      // Started but never read (the store could not stage the file): closing our end stops
      // the program at its next write, and its failure is this one's consequence.
      dump.stream.destroy()
      await dump.done.catch(() => undefined)
    }
    if (staged) await options.store.abort(staged)
    await dump?.cleanup()
    await driver.close()
  }
}
