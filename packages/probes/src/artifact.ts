import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Probe } from './types.js'

export interface ArtifactSpec {
  /** The file that will be deployed. */
  path: string
  /** Expected SHA-256 (64 hex digits). */
  sha256?: string
  /**
   * A checksum file in `sha256sum` format. When neither this nor `sha256` is given,
   * `<path>.sha256` is used if it exists; otherwise only existence is checked.
   */
  sha256File?: string
}

/**
 * Passes when the artifact is a regular file and, when an expected checksum is known, its
 * SHA-256 (hashed as a stream, so any size works in constant memory) matches.
 */
export const artifactProbe: Probe<ArtifactSpec> = async (spec, context) => {
  let size: number
  try {
    const info = await stat(spec.path)
    if (!info.isFile()) return { ok: false, message: `${spec.path} is not a regular file` }
    size = info.size
  } catch (error) {
    return {
      ok: false,
      message: `${spec.path} does not exist (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`
    }
  }
  const expected = await expectedChecksum(spec)
  if ('error' in expected) return { ok: false, message: expected.error, details: { size } }
  const sha256 = await sha256File(spec.path, context.signal)
  const details = { size, sha256, expected: expected.value, checksumSource: expected.source }
  if (expected.value === undefined) {
    return {
      ok: true,
      message: `${spec.path} exists (${size} bytes, sha256 ${sha256}); no checksum to compare`,
      details
    }
  }
  if (sha256 !== expected.value) {
    return {
      ok: false,
      message: `${spec.path}: sha256 ${sha256} does not match ${expected.value} (from ${expected.source})`,
      details
    }
  }
  return {
    ok: true,
    message: `${spec.path}: sha256 matches ${expected.source} (${size} bytes)`,
    details
  }
}

/** The SHA-256 of a file in lower-case hex, read as a stream. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash, { signal })
  return hash.digest('hex')
}

type Expected = { value: string | undefined; source: string } | { error: string }

async function expectedChecksum(spec: ArtifactSpec): Promise<Expected> {
  if (spec.sha256) return { value: spec.sha256.toLowerCase(), source: 'the given value' }
  const file = spec.sha256File ?? `${spec.path}.sha256`
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (spec.sha256File === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { value: undefined, source: 'none' }
    return {
      error: `cannot read the checksum file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
    }
  }
  const value = checksumFor(text, basename(spec.path))
  if (!value) return { error: `${file} holds no SHA-256 for ${basename(spec.path)}` }
  return { value, source: file }
}

/**
 * Reads `sha256sum` output: `<hex>  name` lines (`*name` in binary mode), or a bare hex digest.
 * With several lines, the line naming the artifact wins.
 */
export function checksumFor(text: string, name: string): string | undefined {
  const entries = text
    .split('\n')
    .map(line => /^([0-9a-fA-F]{64})(?:\s+\*?(.+?))?\s*$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(match => ({ hash: match[1].toLowerCase(), name: match[2] }))
  if (entries.length === 1) return entries[0].hash
  return entries.find(entry => entry.name !== undefined && basename(entry.name) === name)?.hash
}
