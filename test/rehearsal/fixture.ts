/**
 * What the migration rehearsal tests share: a SQLite app in a git checkout for the stage tests,
 * a backup in a throwaway store for the engine tests, and one way to call the rehearsal.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, dirStore, rehearseMigration, type Store } from '@slipway/backup'

/** The migrations read the database from DATABASE_URL, in production as in the rehearsal. */
export const DROP_NICK = 'sqlite3 "${DATABASE_URL#sqlite://}" "alter table users drop column nick"'
export const ADD_NICK =
  'sqlite3 "${DATABASE_URL#sqlite://}" "alter table users add column nick text"'

export const sqlite = (path: string, sql: string): string =>
  execFileSync('sqlite3', ['-batch', path, sql], { encoding: 'utf8' }).trim()

export const progress = { info: () => undefined, warning: () => undefined }

export const runnerEnv = (root: string) => ({
  workspace: root,
  runnerTemp: root,
  repository: 'acme/shop',
  sha: 'HEAD'
})

/** What a promise rejects with; a promise that resolves gives an Error saying so. */
export const rejectionOf = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => new Error('no error'),
    (e: unknown) => e as Error
  )

export interface SqliteApp {
  /** A git checkout with one commit: the workspace the stages run in. */
  root: string
  /** Where the hooks write what they were asked to do. */
  state: string
  dbPath: string
  sql(sql: string): string
  /** Whether production still has the column DROP_NICK drops. */
  hasNick(): boolean
  /** Removes the checkout and gives DATABASE_URL back its earlier value. */
  remove(): void
}

/**
 * Production for the stage tests: a `users` table with a `nick` column holding `rows` (SQL
 * values), DATABASE_URL pointing at it as the job's environment would.
 */
export function createSqliteApp(prefix: string, rows: string): SqliteApp {
  const previousUrl = process.env.DATABASE_URL
  const root = mkdtempSync(join(tmpdir(), prefix))
  const state = join(root, 'state')
  mkdirSync(state)
  execFileSync('git', ['init', '-q', root])
  execFileSync('git', [
    '-C',
    root,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@t',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'init'
  ])
  const dbPath = join(root, 'app.db')
  const sql = (text: string): string => sqlite(dbPath, text)
  sql(
    `create table users (id integer primary key, email text not null, nick text); insert into users (email, nick) values ${rows}`
  )
  process.env.DATABASE_URL = `sqlite://${dbPath}`
  return {
    root,
    state,
    dbPath,
    sql,
    hasNick: () =>
      sql("select count(*) from pragma_table_info('users') where name = 'nick'") === '1',
    remove() {
      if (previousUrl === undefined) delete process.env.DATABASE_URL
      else process.env.DATABASE_URL = previousUrl
      rmSync(root, { recursive: true, force: true })
    }
  }
}

/** A backup of the database at `url`, in a store of its own under the temp dir. */
export async function backupInTempStore(
  url: string,
  name: string
): Promise<{ storeDir: string; store: Store; backupId: string }> {
  const storeDir = mkdtempSync(join(tmpdir(), 'slipway-rehearsal-store-'))
  const store = dirStore(storeDir)
  const { manifest } = await backup({ source: { url }, store, name })
  return { storeDir, store, backupId: manifest!.id }
}

type RehearseOptions = Parameters<typeof rehearseMigration>[0]

/**
 * A rehearsal with a test's defaults (read when called: they are set up in beforeAll), the copy's
 * URL in DATABASE_URL; `extra` overrides any of them.
 */
export const rehearser =
  (defaults: () => Omit<RehearseOptions, 'migrateCommand' | 'urlVariable'>) =>
  (
    migrateCommand: string,
    extra: Partial<RehearseOptions> = {}
  ): ReturnType<typeof rehearseMigration> =>
    rehearseMigration({ ...defaults(), migrateCommand, urlVariable: 'DATABASE_URL', ...extra })
