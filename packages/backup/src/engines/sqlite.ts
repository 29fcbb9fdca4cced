import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { describeFailure, InputError, onCleanup, run } from '@slipway/kit'
import { privateTempDir, settleAll } from '../context.js'
import { settle, startProgram, toolVersion } from '../programs.js'
import type { Connection, TableFingerprint } from '../types.js'
import type { Driver, DriverContext } from './driver.js'

/** A path for a sqlite3 dot-command argument or an SQL string: single-quoted, quotes doubled. */
const dotArg = (path: string): string => `'${path.replace(/'/g, "''")}'`
const sqlString = dotArg

/** How often a copy that still finds the database locked after the busy timeout is retried. */
const BUSY_ATTEMPTS = 3
const busy = (error: unknown): boolean =>
  /database (table )?is locked|SQLITE_BUSY/i.test(String((error as Error)?.message))
const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

/**
 * SQLite through the sqlite3 program. A backup is `VACUUM INTO` a private temp file (one read
 * transaction: a consistent copy that other connections' writes do not restart, unlike
 * `.backup`), then streamed and deleted. Every connection waits for locks (a busy timeout)
 * instead of failing with "database is locked". Restore builds the file beside the target,
 * checks it, and copies it in with `.restore`: one write transaction on the target, so a
 * failed or killed restore rolls back and open connections never see a half-restored file.
 */
export function sqliteDriver(connection: Connection, context: DriverContext): Driver {
  const path = connection.path!
  const common = { baseEnv: context.env, redactor: context.redactor, timeoutMs: context.timeoutMs }
  // Wait for another connection's lock up to the program's own deadline (at most a minute,
  // then the copy is retried).
  const busyTimeout = ['-cmd', `.timeout ${Math.min(context.timeoutMs, 60_000)}`]
  const sqlite = async (db: string, ...commands: string[]): Promise<string> => {
    const result = await run('sqlite3', ['-bail', '-batch', ...busyTimeout, db, ...commands], {
      ...common,
      maxOutputBytes: 16 * 1024 * 1024
    })
    if (result.exitCode !== 0) throw new Error(describeFailure(result))
    return result.stdout.trim()
  }
  const tables = async (db: string): Promise<string[]> =>
    (
      await sqlite(
        db,
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by 1"
      )
    )
      .split('\n')
      .filter(Boolean)

  const driver: Driver = {
    engine: 'sqlite',
    connection,
    format: 'sqlite',
    extension: '.sqlite',
    async probe() {
      if (!existsSync(path))
        throw new InputError(connection.input, 'an existing SQLite database file', path)
      try {
        await sqlite(path, 'select count(*) from sqlite_master')
      } catch (error) {
        throw new InputError(
          connection.input,
          'a readable SQLite database file',
          `${path} (${(error as Error).message})`
        )
      }
      return (await sqlite(path, 'select sqlite_version()')) || undefined
    },
    async tools() {
      return { sqlite3: await toolVersion('sqlite3', undefined, context.env) }
    },
    plan: () => [`sqlite3 ${path} "VACUUM INTO '<private temp file>'"`],
    async dump() {
      const dir = privateTempDir('slipway-sqlite-', context.env)
      const copy = join(dir.path, 'backup.sqlite')
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            rmSync(copy, { force: true }) // VACUUM INTO wants a new file
            await sqlite(path, `VACUUM INTO ${sqlString(copy)}`)
            break
          } catch (error) {
            if (!busy(error) || attempt >= BUSY_ATTEMPTS) throw error
            context.log(`${path} is busy (attempt ${attempt} of ${BUSY_ATTEMPTS}); trying again`)
          }
        }
      } catch (error) {
        dir.remove() // no partial copy is left behind
        throw error
      }
      return {
        stream: createReadStream(copy),
        done: Promise.resolve(),
        cleanup: async () => dir.remove()
      }
    },
    async isEmpty() {
      if (!existsSync(path)) return true
      return (
        (await sqlite(
          path,
          "select count(*) from sqlite_master where name not like 'sqlite_%'"
        )) === '0'
      )
    },
    async restore(input, { clean }) {
      // Beside the target (same filesystem, same permissions on the data), removed however
      // the restore ends, also when the action is cancelled.
      const dir = mkdtempSync(
        join(existsSync(dirname(path)) ? dirname(path) : tmpdir(), '.slipway-restore-')
      )
      const forget = onCleanup(() => rmSync(dir, { recursive: true, force: true }))
      try {
        const staged = join(dir, 'restore.sqlite')
        if (typeof input === 'function') {
          const producer = input()
          await settleAll([producer.done, pipeline(producer.stream, createWriteStream(staged))])
        } else await pipeline(input, createWriteStream(staged))
        const check = await sqlite(staged, 'pragma integrity_check')
        if (check !== 'ok')
          throw new Error(
            `the restored SQLite file fails its integrity check: ${check.split('\n')[0]}`
          )
        void clean // the caller refused a non-empty target unless clean was set
        await sqlite(path, `.restore ${dotArg(staged)}`)
      } finally {
        forget()
        rmSync(dir, { recursive: true, force: true })
      }
    },
    async fingerprint() {
      const result: TableFingerprint[] = []
      for (const table of await tables(path)) {
        const rows = Number(await sqlite(path, `select count(*) from ${quoteIdent(table)}`))
        // -quote prints values unambiguously (strings quoted, blobs as X'..'); scan order is
        // rowid / primary-key order, the same in an exact page copy.
        const program = startProgram(
          'sqlite3',
          ['-bail', '-batch', '-quote', ...busyTimeout, path, `select * from ${quoteIdent(table)}`],
          { ...common, label: 'sqlite3' }
        )
        program.stdin.end()
        const hash = process.getBuiltinModule('node:crypto').createHash('sha256')
        await settle(
          (async () => {
            for await (const chunk of program.stdout) hash.update(chunk as Buffer)
          })(),
          program.done,
          program.kill
        )
        result.push({ name: table, rows, checksum: hash.digest('hex') })
      }
      return result
    },
    async scratch() {
      const dir = privateTempDir('slipway-verify-', context.env)
      const scratchPath = join(dir.path, 'scratch.sqlite')
      return {
        driver: sqliteDriver(
          { ...connection, path: scratchPath, display: `sqlite://${scratchPath}` },
          context
        ),
        drop: async () => dir.remove()
      }
    },
    close: async () => undefined
  }
  return driver
}
