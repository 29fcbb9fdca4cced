import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '@slipway/kit'
import { backup, dirStore, type Store } from '@slipway/backup'
import { rehearser, rejectionOf, sqlite } from './fixture.js'

let root: string
let runnerTemp: string
let dbPath: string
let store: Store
let backupId: string

/** The production file as the test reads it: schema text and contents. */
const production = (): string =>
  `${sqlite(dbPath, 'select group_concat(sql, char(10)) from sqlite_master')}\n${sqlite(dbPath, 'select count(*), sum(length(email)) from users')}`

const rehearse = rehearser(() => ({
  store,
  backupId,
  database: { url: `sqlite://${dbPath}` },
  migrationTimeoutMs: 60_000,
  // Scratch files go under RUNNER_TEMP: the test sees that none is left behind.
  env: { ...process.env, RUNNER_TEMP: runnerTemp }
}))

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'slipway-rehearsal-sqlite-'))
  runnerTemp = join(root, 'runner-temp')
  execFileSync('mkdir', [runnerTemp])
  dbPath = join(root, 'app.db')
  sqlite(
    dbPath,
    `create table teams (id integer primary key, name text not null unique);
     create table users (id integer primary key, team_id integer references teams(id), email text not null, nick varchar(30), score integer default 0 check (score >= 0));
     create index users_team on users(team_id);
     insert into teams (name) values ('red'), ('blue');
     with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000)
     insert into users (team_id, email, nick) select 1 + i % 2, 'u' || (i % 1500) || '@example.test', 'nick' || i from n;`
  )
  store = dirStore(join(root, 'store'))
  const { manifest } = await backup({
    source: { engine: 'sqlite', url: dbPath },
    store,
    name: 'app'
  })
  backupId = manifest!.id
}, 60_000)

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('migration rehearsal on SQLite', () => {
  it('an additive migration passes, with columns, indexes, constraints and row counts read', async () => {
    const before = production()
    const result = await rehearse(
      'sqlite3 "$SLIPWAY_DATABASE_PATH" "alter table users add column bio text; create index users_nick on users(nick)"'
    )
    expect(result.error).toBeUndefined()
    expect(result.diff!.destructive).toBe(false)
    expect(result.diff!.changes.map(c => `${c.kind} ${c.table}.${c.object}`).sort()).toEqual([
      'column-added users.bio',
      'index-added users.users_nick'
    ])
    expect(result.before.constraints.map(c => c.definition)).toEqual(
      expect.arrayContaining([
        'FOREIGN KEY (team_id) REFERENCES teams (id)',
        'CHECK (score >= 0)',
        'PRIMARY KEY (id)'
      ])
    )
    expect(result.diff!.rows).toEqual([
      { table: 'teams', before: 2, after: 2 },
      { table: 'users', before: 2000, after: 2000 }
    ])
    expect(production()).toBe(before)
    expect(readdirSync(runnerTemp)).toEqual([])
  })

  it('a dropped column and a renamed column are destructive', async () => {
    const dropped = await rehearse(
      'sqlite3 "$SLIPWAY_DATABASE_PATH" "alter table users drop column nick"'
    )
    expect(dropped.diff!.destructive).toBe(true)
    expect(dropped.diff!.changes).toEqual([
      expect.objectContaining({ kind: 'column-dropped', object: 'nick', destructive: true })
    ])
    const renamed = await rehearse(
      'sqlite3 "$SLIPWAY_DATABASE_PATH" "alter table users rename column nick to handle"'
    )
    expect(renamed.diff!.changes).toEqual([
      expect.objectContaining({ kind: 'column-renamed', before: 'nick', after: 'handle' })
    ])
  })

  it('lost rows and a dropped table are destructive', async () => {
    const result = await rehearse(
      'sqlite3 "$SLIPWAY_DATABASE_PATH" "delete from users where id > 1000; drop table teams"'
    )
    const destructive = result.diff!.changes.filter(c => c.destructive).map(c => c.kind)
    expect(destructive.sort()).toEqual(['rows-lost', 'table-dropped'])
    expect(result.diff!.rows).toEqual([
      { table: 'teams', before: 2, after: null },
      { table: 'users', before: 2000, after: 1000 }
    ])
  })

  it('passes on an empty database, fails on the real data (duplicates), scratch removed', async () => {
    const command =
      'sqlite3 -bail "$SLIPWAY_DATABASE_PATH" "create unique index users_email on users(email)"'
    const empty = join(root, 'empty.db')
    sqlite(empty, 'create table users (id integer primary key, email text not null)')
    execFileSync('bash', ['-c', command], { env: { ...process.env, SLIPWAY_DATABASE_PATH: empty } })
    const result = await rehearse(command)
    expect(result.ok).toBe(false)
    expect(result.error).toMatch(/UNIQUE constraint failed/)
    expect(result.scratchRemoved).toBe(true)
    expect(readdirSync(runnerTemp)).toEqual([])
  })

  it('bad input: a PostgreSQL URL for a SQLite backup is an InputError naming database-url', async () => {
    const error = await rejectionOf(
      rehearse('true', {
        database: { url: 'postgres://app:secret@127.0.0.1:1/app' }
      })
    )
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(/database-url.*sqlite/)
    expect(error.message).not.toContain('secret')
    await expect(rehearse('true', { backupId: 'nope' })).rejects.toThrow(/rehearse-from/)
  })
})
