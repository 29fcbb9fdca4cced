// Backups and verifies say how much data moved and how fast, and the summary says it in human units.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as delay } from 'node:timers/promises'
import { SummaryBuilder } from '@slipway/kit'
import { backup, dirStore, renderBackup, MeterStage } from '@slipway/backup'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-progress-backup-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('MeterStage', () => {
  it('logs the data done and the rate once an interval has passed, and passes every byte', async () => {
    const lines: string[] = []
    const meter = new MeterStage(line => lines.push(line), 'backup b1', 1)
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 5; i++) {
        // Each chunk comes after the 1 ms interval has passed: each is due a line.
        await delay(5)
        yield Buffer.alloc(250_000)
      }
    }
    let received = 0
    await pipeline(
      Readable.from(chunks()),
      meter,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          received += chunk.length
          callback()
        }
      })
    )
    expect(received).toBe(1_250_000)
    expect(meter.bytes).toBe(1_250_000)
    // Which chunk a line falls on depends on the timers of a busy machine; what it says does not:
    // the data done so far, never less than the line before, and a rate.
    expect(lines.length).toBeGreaterThanOrEqual(1)
    const done = lines.map(line => {
      const match = /^backup b1: ([\d.]+) (B|kB|MB) done, [\d.]+ (?:B|kB|MB|GB)\/s$/.exec(line)
      expect(match).not.toBeNull()
      const unit = { B: 1, kB: 1_000, MB: 1_000_000 }[match![2] as 'B' | 'kB' | 'MB']
      return Number(match![1]) * unit
    })
    expect(done).toEqual([...done].sort((x, y) => x - y))
    // one decimal: 1.25 MB reads 1.3 MB
    expect(Math.max(...done)).toBeLessThanOrEqual(1_300_000)
  })

  it('stays quiet before its interval', async () => {
    const lines: string[] = []
    const meter = new MeterStage(line => lines.push(line), 'backup b2', 3_600_000)
    await pipeline(
      Readable.from([Buffer.alloc(10)]),
      meter,
      new Writable({ write: (_c, _e, cb) => cb() })
    )
    expect(lines).toEqual([])
  })
})

describe('a backup in human units', () => {
  it('logs and summarises sizes and times for people, with no empty header row', async () => {
    const db = join(root, 'app.db')
    execFileSync('sqlite3', [
      '-batch',
      db,
      "create table t (id integer primary key, v text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into t select i, 'row ' || i from n;"
    ])
    const lines: string[] = []
    const result = await backup({
      source: { url: `sqlite://${db}` },
      store: dirStore(join(root, 'store')),
      compression: 'gzip',
      log: line => lines.push(line)
    })
    const id = result.manifest!.id
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Backup ${id}: [\\d.]+ (?:B|kB|MB) in [\\d.]+m?s \\([\\d.]+ (?:B|kB|MB|GB)/s\\), sha256 [0-9a-f]{64}$`
        )
      )
    )
    const summary = new SummaryBuilder()
    renderBackup(summary, result)
    const text = summary.toString()
    expect(text).toMatch(/\| [\d.]+ (?:B|kB|MB) \| `[0-9a-f]{16}…` \| [\d.]+m?s \|/)
    expect(text).not.toMatch(/KiB|MiB|\d s\b/)
    expect(text).not.toMatch(/^\|\s*\|\s*\|$/m)
  })

  it('a dry run lists its plan as facts, not under an empty header', async () => {
    const result = await backup({
      source: { url: `sqlite://${join(root, 'app.db')}` },
      store: dirStore(join(root, 'store')),
      dryRun: true
    })
    const summary = new SummaryBuilder()
    renderBackup(summary, result)
    const text = summary.toString()
    expect(text).toContain('**Operation:** backup')
    expect(text).not.toMatch(/^\|\s*\|\s*\|$/m)
  })
})
