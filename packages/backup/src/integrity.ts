import { createReadStream } from 'node:fs'
import { PassThrough, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { InputError, type Clock } from '@slipway/kit'
import { decompressStage, decryptStage, type Stage } from './codec.js'
import { IntegrityError } from './errors.js'
import { ByteMeter, MeterStage } from './progress.js'
import { settle, startProgram, type PipeSource } from './programs.js'
import type { Manifest } from './types.js'

/** Where a pass over a backup file says how far it is (see ByteMeter). */
export interface FileProgress {
  log: (message: string) => void
  /** `restore <id>`, `verify <id>: restoring`: what the line is about. */
  label: string
  everyMs?: number
  clock?: Pick<Clock, 'now'>
}

/** A pass's progress, from the run's log, its interval and its clock. */
export function fileProgress(
  context: { log: FileProgress['log']; progressEveryMs?: number; clock?: FileProgress['clock'] },
  label: string
): FileProgress {
  return { log: context.log, label, everyMs: context.progressEveryMs, clock: context.clock }
}

/**
 * Reads the whole file once and compares size and SHA-256 with the manifest, before anything is
 * restored. On a large backup this pass takes a while of its own: it logs its progress too.
 */
export async function checkIntegrity(
  path: string,
  manifest: Manifest,
  progress?: FileProgress
): Promise<void> {
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256')
  let size = 0
  const meter = progress
    ? new ByteMeter(progress.log, `${progress.label}: checking sha256`, {
        everyMs: progress.everyMs,
        total: manifest.size,
        clock: progress.clock
      })
    : undefined
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      hash.update(chunk as Buffer)
      size += (chunk as Buffer).length
      meter?.add((chunk as Buffer).length)
    }
  } finally {
    meter?.stop()
  }
  const sha256 = hash.digest('hex')
  if (sha256 !== manifest.sha256 || size !== manifest.size) {
    const sizes =
      size === manifest.size ? `${size} bytes` : `${size} bytes instead of ${manifest.size}`
    throw new IntegrityError(
      `backup ${manifest.id} is corrupted or truncated: sha256 ${sha256} does not match the manifest's ${manifest.sha256} (${sizes}); nothing was restored`
    )
  }
}

/**
 * The backup file decoded (decrypted, decompressed) as a stream, or as a function that starts
 * a decoding program whose stdout pipe the client program reads directly. `done` settles when the
 * decoding finished; decoding errors say the backup is corrupted. With `progress`, the bytes of
 * the backup file read so far are logged against its size (the decoded size is not known).
 */
export async function decodeBackup(
  path: string,
  manifest: Manifest,
  identities: string[],
  progress?: FileProgress
): Promise<{ stream: Readable | PipeSource; done: Promise<void>[] }> {
  const meter = (): MeterStage | PassThrough =>
    progress
      ? new MeterStage(progress.log, progress.label, progress.everyMs, {
          total: manifest.size,
          clock: progress.clock
        })
      : new PassThrough()
  if (!manifest.encryption && manifest.compression === 'zstd') {
    // Node feeds zstd the compressed file (counting it as it goes) and zstd writes straight into
    // the client program's stdin: the decompressed bytes never pass through Node. The consumer
    // starts it (same tick as itself: a child's stdout left open across an event-loop turn
    // would be read by Node, and those bytes lost to the consumer).
    const source: PipeSource = () => {
      const zstd = startProgram('zstd', ['-q', '-d', '-c'], { label: 'zstd decompression' })
      const feeding = pipeline(createReadStream(path), meter(), zstd.stdin)
      // zstd's own error (a corrupted frame) says more than the broken pipe that follows it.
      const done = settle(feeding, zstd.done, zstd.kill).catch(error =>
        Promise.reject(new Error(`${error.message} (the backup is corrupted or truncated)`))
      )
      return { stream: zstd.stdout, done }
    }
    return { stream: source, done: [] }
  }
  const stages: Stage[] = []
  if (manifest.encryption) {
    if (identities.length === 0)
      throw new InputError(
        'age-identity',
        `an age identity: backup ${manifest.id} is encrypted`,
        undefined
      )
    stages.push(await decryptStage(identities))
  }
  const decompress = decompressStage(manifest.compression)
  if (decompress) stages.push(decompress)
  const out = new PassThrough({ highWaterMark: 1024 * 1024 })
  const piping = (pipeline as (...streams: unknown[]) => Promise<void>)(
    createReadStream(path),
    meter(),
    ...stages.map(stage => stage.stream),
    out
  )
  return {
    stream: out,
    done: [piping, ...stages.flatMap(stage => (stage.done ? [stage.done] : []))]
  }
}
