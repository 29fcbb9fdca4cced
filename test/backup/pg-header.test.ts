// The archive header of a zstd-compressed pg_dump is read from the compressed stream's first
// bytes: only the header's start is decompressed, however much more those bytes hold.
import { describe, expect, it } from '@jest/globals'
import * as zlib from 'node:zlib'
import { readArchiveHeader, zstdPrefix } from '../../packages/backup/src/engines/pg-header.js'

// Node 22.15 and later; the @types/node in use predates it.
const { zstdCompressSync } = zlib as unknown as { zstdCompressSync(data: Buffer): Buffer }

/** A custom-format header as pg_dump 15 writes it (archive 1.14, 4-byte ints, 8-byte offsets). */
function header(database: string, server: string, dump: string): Buffer {
  const int = (value: number) => Buffer.from([0, ...[0, 8, 16, 24].map(s => (value >> s) & 255)])
  const text = (value: string) => Buffer.concat([int(Buffer.byteLength(value)), Buffer.from(value)])
  return Buffer.concat([
    Buffer.from('PGDMP'),
    Buffer.from([1, 14, 0, 4, 8, 1]),
    int(0), // compression
    ...[15, 47, 10, 7, 11, 126, 0].map(int), // creation time
    text(database),
    text(server),
    text(dump)
  ])
}

describe('readArchiveHeader', () => {
  it("reads the server's and pg_dump's versions", () => {
    expect(readArchiveHeader(header('app', '15.18 (Debian)', '16.4'))).toEqual({
      serverVersion: '15.18 (Debian)',
      dumpVersion: '16.4'
    })
  })

  it('is undefined for bytes that are no custom archive', () => {
    expect(readArchiveHeader(Buffer.from('-- PostgreSQL database dump'))).toBeUndefined()
  })
})

describe('zstdPrefix', () => {
  it('decompresses only the start of a highly compressible stream', async () => {
    const dump = Buffer.concat([
      header('app', '15.18', '15.18'),
      Buffer.alloc(32 * 1024 * 1024, 'a')
    ])
    const compressed = zstdCompressSync(dump)
    const start = await zstdPrefix(compressed)
    expect(start!.length).toBeLessThanOrEqual(64 * 1024)
    expect(start!.equals(dump.subarray(0, start!.length))).toBe(true)
    expect(readArchiveHeader(start!)?.serverVersion).toBe('15.18')
  })

  it('is undefined for bytes that are not zstd', async () => {
    expect(await zstdPrefix(Buffer.from('not zstd at all'))).toBeUndefined()
  })
})
