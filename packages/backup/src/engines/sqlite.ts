import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { InputError, run } from '@slipway/kit'
import { settleAll } from '../context.js'
import { settle, startProgram, toolVersion } from '../programs.js'
import type { Connection, TableFingerprint } from '../types.js'
import type { Driver, DriverContext } from './driver.js'

/** A path for a sqlite3 dot-command argument: single-quoted, quotes doubled. */
const dotArg = (path: string): string => `'${path.replace(/'/g, "''")}'`
const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

/**
 * SQLite through the sqlite3 program. Its online `.backup` needs a file to write to, so the
 * copy goes to a temp file that is then streamed (and deleted); restore uses `.restore`,
 * which replaces the target's content page by page while it stays a valid database.
 */
export function sqliteDriver(connection: Connection, context: DriverContext): Driver {
  const path = connection.path!
  const common = { baseEnv: context.env, redactor: context.redactor, timeoutMs: context.timeoutMs }
  const sqlite = async (db: string, ...commands: string[]): Promise<string> => {
    const result = await run('sqlite3', ['-bail', '-batch', db, ...commands], {
      ...common,
      maxOutputBytes: 16 * 1024 * 1024
    })
    if (result.exitCode !== 0)
      throw new Error(`sqlite3 failed: ${result.stderr.trim() || result.exitCode}`)
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
    plan: () => [`sqlite3 ${path} ".backup <temp file>"`],
    async dump() {
      const dir = mkdtempSync(join(tmpdir(), 'slipway-sqlite-'))
      const copy = join(dir, 'backup.sqlite')
      // The online backup API: a consistent copy while writers keep working.
      await sqlite(path, `.backup ${dotArg(copy)}`)
      const stream = createReadStream(copy)
      return {
        stream,
        done: Promise.resolve(),
        cleanup: async () => rmSync(dir, { recursive: true, force: true })
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
      const dir = mkdtempSync(
        join(existsSync(dirname(path)) ? dirname(path) : tmpdir(), '.slipway-restore-')
      )
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
          ['-bail', '-batch', '-quote', path, `select * from ${quoteIdent(table)}`],
          { ...common, label: 'sqlite3' }
        )
        program.stdin.end()
        const hash = createHash('sha256')
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
      const dir = mkdtempSync(join(tmpdir(), 'slipway-verify-'))
      const scratchPath = join(dir, 'scratch.sqlite')
      return {
        driver: sqliteDriver(
          { ...connection, path: scratchPath, display: `sqlite://${scratchPath}` },
          context
        ),
        drop: async () => rmSync(dir, { recursive: true, force: true })
      }
    },
    close: async () => undefined
  }
  return driver
}
