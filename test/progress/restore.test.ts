// Restores and verifies say how much of the backup file they have read, of how much, and how fast —
// also when zstd writes straight into the client program and the decoded bytes never reach Node.
// A test clock makes every tick due, so which lines appear depends on the data, not the machine.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatBytes } from '@slipway/kit'
import { generateIdentity, identityToRecipient } from 'age-encryption'
import { backup, dirStore, restore, verify, type CompressionChoice } from '@slipway/backup'

let root: string
const sqlite = (db: string, sql: string): string =>
  execFileSync('sqlite3', ['-batch', db, sql], { encoding: 'utf8' }).trim()

/** A clock a quarter of an hour further on at every look: every tick is due a line. */
function steppingClock(): { now(): number } {
  let now = 0
  return { now: () => (now += 15 * 60_000) }
}

let recipient: string
let identity: string

beforeAll(async () => {
  identity = await generateIdentity()
  recipient = await identityToRecipient(identity)
  root = mkdtempSync(join(tmpdir(), 'slipway-progress-restore-'))
  // Random text: compresses little, so the backup file spans many read chunks.
  sqlite(
    join(root, 'app.db'),
    'create table t (id integer primary key, v text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000) insert into t select i, hex(randomblob(64)) from n;'
  )
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** The bytes each line says are done, in order, checking each line's form. */
function doneBytes(lines: string[], label: string, total: number): number[] {
  const units: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }
  const of = formatBytes(total).replace('.', '\\.')
  const form = new RegExp(
    `^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ([\\d.]+) (B|kB|MB|GB) of ${of} done, [\\d.]+ (?:B|kB|MB|GB)/s$`
  )
  return lines
    .filter(
      line => line.startsWith(`${label}: `) && !line.slice(label.length + 2).startsWith('checking')
    )
    .map(line => {
      const match = form.exec(line)
      expect(match).not.toBeNull()
      return Number(match![1]) * units[match![2]]
    })
}

describe.each<[CompressionChoice, boolean]>([
  ['zstd', false], // zstd reads from Node, writes straight into sqlite3
  ['gzip', false], // decoded in Node
  ['zstd', true] // decrypted in Node, then zstd
])('a %s backup (encrypted: %s)', (compression, encrypted) => {
  it('restores with lines of the backup file read, of its size, and the rate, up to all of it', async () => {
    const store = dirStore(join(root, `store-${compression}-${encrypted}`))
    const { manifest } = await backup({
      source: { url: `sqlite://${join(root, 'app.db')}` },
      store,
      compression,
      recipients: encrypted ? [recipient] : []
    })
    const lines: string[] = []
    const target = join(root, `restored-${compression}-${encrypted}.db`)
    await restore({
      store,
      target: { url: target },
      identities: encrypted ? [identity] : [],
      log: line => lines.push(line),
      clock: steppingClock()
    })
    expect(sqlite(target, 'select count(*) from t')).toBe('20000')
    const size = manifest!.size
    const label = `restore ${manifest!.id}`
    const done = doneBytes(lines, label, size)
    expect(done.length).toBeGreaterThanOrEqual(2)
    expect(done).toEqual([...done].sort((a, b) => a - b))
    // The last chunk read is counted too: the final line says all of the file.
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^${label}: ${formatBytes(size).replace('.', '\\.')} of \\S+ \\S+ done, `)
      )
    )
    // The checksum pass before it reports too, and it comes first.
    const checking = lines.findIndex(line => line.startsWith(`${label}: checking sha256: `))
    expect(checking).toBeGreaterThanOrEqual(0)
    expect(checking).toBeLessThan(lines.findIndex(line => line.startsWith(`Restoring `)))
  })
})

describe('verify', () => {
  it('logs the restore into its scratch target, zstd piped straight into the client', async () => {
    const store = dirStore(join(root, 'store-verify'))
    const db = join(root, 'app.db')
    const { manifest } = await backup({
      source: { url: `sqlite://${db}` },
      store,
      compression: 'zstd'
    })
    const lines: string[] = []
    const result = await verify({
      store,
      source: { url: db },
      log: line => lines.push(line),
      clock: steppingClock()
    })
    expect(result.ok).toBe(true)
    const done = doneBytes(lines, `verify ${manifest!.id}: restoring`, manifest!.size)
    expect(done.length).toBeGreaterThanOrEqual(2)
    expect(Math.max(...done)).toBeGreaterThan(0)
  })
})

describe('a clock that never moves', () => {
  it('logs no progress line: lines come from the clock, not from the data alone', async () => {
    const store = dirStore(join(root, 'store-still'))
    await backup({
      source: { url: `sqlite://${join(root, 'app.db')}` },
      store,
      compression: 'zstd'
    })
    const lines: string[] = []
    await restore({
      store,
      target: { url: join(root, 'restored-still.db') },
      log: line => lines.push(line),
      clock: { now: () => 0 }
    })
    expect(lines.filter(line => / done, /.test(line))).toEqual([])
  })
})
