import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, dirStore, restore } from '@slipway/backup'
import { waitFor } from '../services/process.js'

// A busy SQLite database is still backed up, consistently: writers at 100 writes/s used to
// restart `.backup` for ever, and a writer's lock failed it at once ("database is locked").
// A failed backup leaves no copy behind and says what happened.

let root: string
const sqlite = (db: string, sql: string): string =>
  execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 30000', db, sql], {
    encoding: 'utf8'
  }).trim()

/** A second connection in its own sqlite3 process, fed statements on stdin. */
function connection(db: string): { send(sql: string): void; said(): string; close(): void } {
  const child: ChildProcess = spawn('sqlite3', ['-batch', db], {
    stdio: ['pipe', 'pipe', 'inherit']
  })
  let out = ''
  child.stdout!.on('data', chunk => (out += chunk))
  child.stdin!.write('.timeout 30000\n')
  return {
    send: sql => void child.stdin!.write(`${sql}\n`),
    said: () => out,
    close: () => {
      child.stdin!.end()
      child.kill('SIGKILL')
    }
  }
}

/** sqlite3 processes this test process started that have `db` open (from /proc). */
function sqliteProcessesOn(db: string): number {
  let count = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid && args[0] === 'sqlite3' && args.includes(db)) count++
    } catch {
      // gone
    }
  }
  return count
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-sqlite-busy-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('sqlite backup of a busy database', () => {
  it('completes while another connection writes 100 times a second', async () => {
    const db = join(root, 'busy.db')
    sqlite(
      db,
      `pragma journal_mode=wal; create table big (id integer primary key, b blob);
       with recursive n(i) as (select 1 union all select i + 1 from n where i < 8000) insert into big select i, randomblob(4000) from n;
       create table w (id integer primary key, v blob);`
    )
    const writer = connection(db)
    const timer = setInterval(() => writer.send('insert into w (v) values (randomblob(100));'), 10)
    try {
      await waitFor(
        'the first write',
        () => Number(sqlite(db, 'select count(*) from w')) > 0,
        30_000
      )
      const store = dirStore(join(root, 'store'))
      const { manifest } = await backup({
        source: { url: `sqlite://${db}` },
        store,
        compression: 'none',
        timeoutMs: 30_000
      })
      const writesAfter = Number(sqlite(db, 'select count(*) from w'))
      const copy = join(root, 'copy.db')
      await restore({ store, id: manifest!.id, target: { url: copy } })
      expect(sqlite(copy, 'pragma integrity_check')).toBe('ok')
      expect(sqlite(copy, 'select count(*) from big')).toBe('8000')
      const copied = Number(sqlite(copy, 'select count(*) from w'))
      expect(copied).toBeGreaterThan(0)
      expect(copied).toBeLessThanOrEqual(writesAfter)
    } finally {
      clearInterval(timer)
      writer.close()
    }
  }, 150_000)

  it('waits for a writer that holds the lock instead of failing with "database is locked"', async () => {
    const db = join(root, 'locked.db')
    sqlite(db, "create table t (v text); insert into t values ('before')")
    const locker = connection(db)
    try {
      locker.send("begin exclusive; insert into t values ('during'); select 'holding';")
      await waitFor('the exclusive lock', () => locker.said().includes('holding'), 30_000)
      const store = dirStore(join(root, 'store-locked'))
      const attempt = backup({ source: { url: `sqlite://${db}` }, store, compression: 'none' })
      const settled = attempt.then(
        () => 'done',
        (error: Error) => error.message
      )
      // The event: our sqlite3 is running against the locked file (and waiting).
      await waitFor(
        'sqlite3 on the locked database',
        async () =>
          sqliteProcessesOn(db) > 1 ||
          (await Promise.race([settled, Promise.resolve('pending')])) !== 'pending',
        30_000
      )
      locker.send('commit;')
      expect(await settled).toBe('done')
      const { manifest } = await attempt
      const copy = join(root, 'locked-copy.db')
      await restore({ store, id: manifest!.id, target: { url: copy } })
      expect(sqlite(copy, 'select group_concat(v) from t')).toBe('before,during')
    } finally {
      locker.close()
    }
  }, 90_000)

  it('a backup that cannot finish says so (not "null") and leaves no copy in RUNNER_TEMP', async () => {
    const db = join(root, 'stuck.db')
    sqlite(db, "create table t (v text); insert into t values ('x')")
    const runnerTemp = join(root, 'runner-temp')
    mkdirSync(runnerTemp)
    const locker = connection(db)
    try {
      locker.send("begin exclusive; insert into t values ('y'); select 'holding';")
      await waitFor('the exclusive lock', () => locker.said().includes('holding'), 30_000)
      const attempt = backup({
        source: { url: `sqlite://${db}` },
        store: dirStore(join(root, 'store-stuck')),
        compression: 'none',
        timeoutMs: 1500,
        env: { ...process.env, RUNNER_TEMP: runnerTemp }
      })
      await expect(attempt).rejects.toThrow(/sqlite3 (timed out|exited with code \d+: .*locked)/)
      await attempt.catch(error => expect(String(error.message)).not.toMatch(/null/))
      expect(readdirSync(runnerTemp)).toEqual([])
    } finally {
      locker.close()
    }
  }, 90_000)
})
