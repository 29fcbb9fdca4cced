import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { PassThrough, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { InputError } from '@slipway/kit'
import { decompressStage, decryptStage, type Stage } from './codec.js'
import { IntegrityError } from './errors.js'
import { startProgram, type PipeSource } from './programs.js'
import type { Manifest } from './types.js'

/** Reads the whole file once and compares size and SHA-256 with the manifest, before anything is restored. */
export async function checkIntegrity(path: string, manifest: Manifest): Promise<void> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
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
 * decoding finished; decoding errors say the backup is corrupted.
 */
export function decodeBackup(
  path: string,
  manifest: Manifest,
  identities: string[]
): { stream: Readable | PipeSource; done: Promise<void>[] } {
  if (!manifest.encryption && manifest.compression === 'zstd') {
    // zstd reads the file and writes straight into the client program's stdin. The consumer
    // starts it (same tick as itself: a child's stdout left open across an event-loop turn
    // would be read by Node, and those bytes lost to the consumer).
    const source: PipeSource = () => {
      const zstd = startProgram('zstd', ['-q', '-d', '-c', '--', path], {
        label: 'zstd decompression'
      })
      zstd.stdin.end()
      const done = zstd.done.catch(error =>
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
    stages.push(decryptStage(identities))
  }
  const decompress = decompressStage(manifest.compression)
  if (decompress) stages.push(decompress)
  const out = new PassThrough({ highWaterMark: 1024 * 1024 })
  const piping = (pipeline as (...streams: unknown[]) => Promise<void>)(
    createReadStream(path),
    ...stages.map(stage => stage.stream),
    out
  )
  return {
    stream: out,
    done: [piping, ...stages.flatMap(stage => (stage.done ? [stage.done] : []))]
  }
}
