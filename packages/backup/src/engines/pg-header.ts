import { Transform, type TransformCallback } from 'node:stream'

/**
 * The server's and pg_dump's versions a `pg_dump --format=custom` archive names in its header,
 * so a backup needs no second connection and no `pg_dump --version` (on Debian and Ubuntu a
 * Perl wrapper, which costs more CPU than the Node start-up) to learn them. Undefined when the
 * bytes are not a custom archive's start or its layout is one this reader does not know: the
 * caller then asks the server and the program.
 *
 * The header (pg_backup_archiver.c, WriteHead): `PGDMP`, version major/minor/revision, int
 * size, offset size, format; the compression (an int before archive version 1.15, one byte
 * from it); the creation time as seven ints; then the database name, the server version and
 * pg_dump's version as length-prefixed strings. An int is a sign byte and `intSize` bytes,
 * least significant first.
 */
export function readArchiveHeader(
  head: Buffer
): { serverVersion: string; dumpVersion?: string } | undefined {
  if (head.length < 11 || head.toString('latin1', 0, 5) !== 'PGDMP') return undefined
  const [major, minor] = [head[5], head[6]]
  const intSize = head[8]
  const format = head[10]
  // 1.10 (PostgreSQL 8.4) is the oldest layout with the version strings; custom format is 1.
  if (major !== 1 || minor < 10 || minor > 16 || intSize < 1 || intSize > 8 || format !== 1)
    return undefined
  let at = 11
  const readInt = (): number | undefined => {
    if (at + 1 + intSize > head.length) return undefined
    let value = 0
    for (let i = 0; i < intSize; i++) value += head[at + 1 + i] * 2 ** (8 * i)
    const negative = head[at] !== 0
    at += 1 + intSize
    return negative ? -value : value
  }
  const readString = (): string | undefined => {
    const length = readInt()
    if (length === undefined || length < 0 || length > 1024 || at + length > head.length)
      return undefined
    const text = head.toString('utf8', at, at + length)
    at += length
    return text
  }
  if (minor >= 15) at += 1
  else if (readInt() === undefined) return undefined
  for (let i = 0; i < 7; i++) if (readInt() === undefined) return undefined
  if (readString() === undefined) return undefined // the database name
  const isVersion = (text: string | undefined): text is string =>
    text !== undefined && /^\d+(\.\d+)*\b/.test(text)
  const serverVersion = readString()
  if (!isVersion(serverVersion)) return undefined
  const dumpVersion = readString()
  return isVersion(dumpVersion) ? { serverVersion, dumpVersion } : { serverVersion }
}

/** How many bytes of a dump's start to keep: the header is a few hundred bytes. */
const HEAD_BYTES = 64 * 1024

/** A pass-through stage that keeps the first bytes that flow through it (a dump's header). */
export class HeadStage extends Transform {
  private readonly chunks: Buffer[] = []
  private kept = 0

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.kept < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.kept)
      this.chunks.push(Buffer.from(part))
      this.kept += part.length
    }
    callback(null, chunk)
  }

  get head(): Buffer {
    return Buffer.concat(this.chunks)
  }
}

/**
 * The start of a zstd stream, decompressed with Node's zlib (Node 22.15 and later): up to
 * HEAD_BYTES of it. It stops there, as the bytes given can hold a hundred times more (4.9 MB
 * from 64 KiB of a pgbench dump, 17 ms that the backup would wait for). Undefined when this
 * Node has no zstd or the bytes are not zstd.
 */
export async function zstdPrefix(compressed: Buffer): Promise<Buffer | undefined> {
  const zlib = process.getBuiltinModule('node:zlib') as { createZstdDecompress?: () => Transform }
  const create = zlib.createZstdDecompress
  if (!create) return undefined
  const decompress = create()
  const out: Buffer[] = []
  let size = 0
  await new Promise<void>(resolve => {
    decompress.on('data', (chunk: Buffer) => {
      out.push(chunk)
      size += chunk.length
      if (size < HEAD_BYTES) return
      decompress.destroy()
      resolve()
    })
    // A prefix ends mid-frame: that error only marks the end of what was given.
    decompress.once('error', () => resolve())
    decompress.once('end', () => resolve())
    decompress.end(compressed)
  })
  return size > 0 ? Buffer.concat(out).subarray(0, HEAD_BYTES) : undefined
}
