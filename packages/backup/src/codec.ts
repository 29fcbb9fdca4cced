import { Readable, Transform, type Duplex } from 'node:stream'
import type { Decrypter, Encrypter } from 'age-encryption'
import { InputError, UserError } from '@slipway/kit'
import { findProgram, programStage } from './programs.js'
import type { Compression, CompressionChoice } from './types.js'

/** One step of a streaming pipeline; `done` (for external programs) must be awaited too. */
export interface Stage {
  stream: Duplex | ((source: AsyncIterable<Buffer>) => AsyncIterable<Uint8Array>)
  done?: Promise<void>
}

/** `auto` means zstd when the `zstd` program is on PATH (faster, multi-threaded), else gzip. */
export function resolveCompression(
  choice: CompressionChoice,
  env: NodeJS.ProcessEnv = process.env
): Compression {
  if (choice === 'auto') return findProgram(['zstd'], env) ? 'zstd' : 'gzip'
  if (choice === 'zstd' && !findProgram(['zstd'], env))
    throw new InputError(
      'compression',
      'zstd only when the zstd program is installed (or auto, gzip, none)',
      choice
    )
  return choice
}

export function extensionFor(compression: Compression, encrypted: boolean): string {
  const ext = compression === 'gzip' ? '.gz' : compression === 'zstd' ? '.zst' : ''
  return `${ext}${encrypted ? '.age' : ''}`
}

/**
 * zstd level 1 on all cores: on the 2-core benchmark machine level 1 kept pace with pg_dump
 * where level 3 fell behind (bench/results/backup.md), and it still compresses better than gzip -6.
 */
export const ZSTD_ARGS = ['-q', '-c', '-1', '-T0']

/**
 * The same, verbose: zstd then prints its version banner (the line `zstd -V` prints) on stderr
 * as it starts, so a backup names zstd's version without a second process beside the dump
 * (a fork of Node and an exec that cost the dump about 15 ms, bench/results/backup.md).
 */
export const ZSTD_BANNER_ARGS = ZSTD_ARGS.map(arg => (arg === '-q' ? '-v' : arg))

/** zstd's version from its banner (`*** Zstandard CLI (64-bit) v1.5.4, by Yann Collet ***`). */
export function zstdVersionFromBanner(stderr: string): string | undefined {
  return /^\*\*\* (Zstandard CLI .*?) \*\*\*\s*$/m.exec(stderr)?.[1]
}

export function compressStage(compression: Compression): Stage | undefined {
  if (compression === 'gzip')
    return { stream: process.getBuiltinModule('node:zlib').createGzip({ level: 6 }) }
  if (compression === 'zstd') return programStage('zstd', ZSTD_ARGS, { label: 'zstd' })
  return undefined
}

export function decompressStage(compression: Compression): Stage | undefined {
  if (compression === 'gzip') {
    const gunzip = process.getBuiltinModule('node:zlib').createGunzip()
    return {
      stream: relabel(gunzip, 'gzip decompression failed (the backup is corrupted or truncated)')
    }
  }
  if (compression === 'zstd') {
    const stage = programStage('zstd', ['-q', '-d', '-c'], { label: 'zstd decompression' })
    return {
      stream: stage.stream,
      done: stage.done.catch(error =>
        Promise.reject(new Error(`${error.message} (the backup is corrupted or truncated)`))
      )
    }
  }
  return undefined
}

function relabel<T extends Duplex>(stream: T, prefix: string): T {
  // zlib reports a bad or truncated stream through destroy(error): say what it means for a backup.
  const original = stream.destroy.bind(stream) as (error?: Error) => T
  Object.assign(stream, {
    destroy: (error?: Error) =>
      original(error ? new Error(`${prefix}: ${error.message}`) : undefined)
  })
  return stream
}

/**
 * age-encryption and its curve libraries are a third of the bundle: loaded only by a run that
 * encrypts or decrypts, so an unencrypted backup does not parse them before pg_dump starts
 * (bench/results/backup.md).
 */
const loadAge = (): Promise<typeof import('age-encryption')> => import('age-encryption')

/**
 * age encryption with the `age-encryption` package's streaming API (STREAM chunks of 64 KiB,
 * so nothing is held whole in memory). Measured here at ~95 MB/s, well above compressed
 * dump rates; the `age` CLI is not needed.
 */
export async function encryptStage(recipients: string[]): Promise<Stage> {
  const { Encrypter } = await loadAge()
  const encrypter: Encrypter = new Encrypter()
  for (const recipient of recipients) {
    try {
      encrypter.addRecipient(recipient)
    } catch {
      throw new InputError('encrypt-recipients', 'age recipients (age1…)', recipient)
    }
  }
  return {
    stream: async function* (source) {
      const encrypted = await encrypter.encrypt(
        Readable.toWeb(Readable.from(source)) as ReadableStream<Uint8Array>
      )
      for await (const chunk of encrypted as unknown as AsyncIterable<Uint8Array>) yield chunk
    }
  }
}

export async function decryptStage(identities: string[]): Promise<Stage> {
  const { Decrypter } = await loadAge()
  const decrypter: Decrypter = new Decrypter()
  for (const identity of identities) {
    try {
      decrypter.addIdentity(identity)
    } catch {
      // Never echo the identity: it is a secret key.
      throw new InputError('age-identity', 'an age identity (AGE-SECRET-KEY-1…)', '***')
    }
  }
  return {
    stream: async function* (source) {
      let decrypted: ReadableStream<Uint8Array>
      try {
        decrypted = await decrypter.decrypt(
          Readable.toWeb(Readable.from(source)) as ReadableStream<Uint8Array>
        )
      } catch (error) {
        const failure = new UserError(
          `age decryption failed: ${error instanceof Error ? error.message : String(error)} (wrong age-identity or a corrupted backup)`,
          'set age-identity to the key of one of the recipients the backup was encrypted for'
        )
        failure.cause = error
        throw failure
      }
      try {
        for await (const chunk of decrypted as unknown as AsyncIterable<Uint8Array>) yield chunk
      } catch (error) {
        throw new Error(
          `age decryption failed: ${error instanceof Error ? error.message : String(error)} (the backup is corrupted or truncated)`,
          { cause: error }
        )
      }
    }
  }
}

/** Counts bytes and computes SHA-256 of what flows through. */
export class HashStage extends Transform {
  // node:crypto and node:zlib are taken when used (process.getBuiltinModule) in this package:
  // a start that stops at an input error does not pay for loading them.
  private readonly hash = process.getBuiltinModule('node:crypto').createHash('sha256')
  size = 0

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.hash.update(chunk)
    this.size += chunk.length
    this.push(chunk)
    callback()
  }

  digest(): string {
    return this.hash.digest('hex')
  }
}

/** A short fingerprint of an age recipient, for manifests (public keys, but kept out of logs). */
export function recipientFingerprint(recipient: string): string {
  const hash = process.getBuiltinModule('node:crypto').createHash('sha256')
  return `age:${hash.update(recipient).digest('hex').slice(0, 12)}`
}
