import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { InputError, Redactor } from '@slipway/kit'
import { rehearseMigration, type Store } from '@slipway/backup'
import { startPostgres, type PostgresServer } from '../services/postgres.js'
import { backupInTempStore, rehearser, rejectionOf } from './fixture.js'

let pg: PostgresServer
let storeDir: string
let store: Store
let backupId: string

/** The production database as the test itself reads it: schema text and per-table checksums. */
async function production(): Promise<string> {
  const schema = await pg.sql(
    "select string_agg(table_name || '.' || column_name || ':' || data_type || ':' || is_nullable, ',' order by table_name, column_name) from information_schema.columns where table_schema = 'public'",
    'app'
  )
  const data = await pg.sql(
    "select count(*) || ':' || md5(string_agg(t::text, '|' order by t::text)) from customers t",
    'app'
  )
  return `${schema}\n${data}`
}

const scratchDatabases = (): Promise<string> =>
  pg.sql("select string_agg(datname, ',') from pg_database where datname like 'slipway_%'")

const rehearse = rehearser(() => ({
  store,
  backupId,
  database: { url: pg.url('app') },
  migrationTimeoutMs: 120_000
}))

beforeAll(async () => {
  pg = await startPostgres()
  await pg.createDatabase('app')
  await pg.pgbench('app', 1)
  await pg.sql(
    `create table customers (id serial primary key, email text not null unique, name varchar(80), created timestamptz default now());
     create table orders (id serial primary key, customer_id int not null references customers(id), amount numeric(10,2) check (amount >= 0), status varchar(20) not null default 'new');
     create index orders_customer on orders(customer_id);
     insert into customers (email, name) select 'c' || i || '@example.test', 'customer ' || i from generate_series(1, 500) i;
     insert into orders (customer_id, amount, status) select 1 + i % 500, i % 97, case when i % 3 = 0 then 'paid' else 'new' end from generate_series(1, 3000) i;`,
    'app'
  )
  ;({ storeDir, store, backupId } = await backupInTempStore(pg.url('app'), 'app'))
}, 180_000)

afterAll(async () => {
  await pg?.stop()
  if (storeDir) rmSync(storeDir, { recursive: true, force: true })
})

describe('migration rehearsal on PostgreSQL', () => {
  it('an additive migration passes: the diff names the new column and index, rows stay', async () => {
    const before = await production()
    const result = await rehearse(
      'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "alter table orders add column note text; create index orders_status on orders(status)"'
    )
    expect(result.error).toBeUndefined()
    expect(result.ok).toBe(true)
    expect(result.diff!.destructive).toBe(false)
    const kinds = result.diff!.changes.map(c => `${c.kind} ${c.table}.${c.object}`)
    expect(kinds).toEqual(
      expect.arrayContaining(['column-added orders.note', 'index-added orders.orders_status'])
    )
    expect(result.diff!.rows).toEqual(
      expect.arrayContaining([
        { table: 'pgbench_accounts', before: 100000, after: 100000 },
        { table: 'orders', before: 3000, after: 3000 }
      ])
    )
    // Constraints and defaults were read from the copy (the backup restored them).
    expect(result.before.constraints.map(c => c.definition)).toEqual(
      expect.arrayContaining([
        'CHECK ((amount >= (0)::numeric))',
        'FOREIGN KEY (customer_id) REFERENCES customers(id)'
      ])
    )
    expect(result.scratchRemoved).toBe(true)
    expect(await scratchDatabases()).toBe('')
    expect(await production()).toBe(before)
    expect(result.diff!.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  }, 120_000)

  it('a dropped column is destructive; the same migration gives the same digest', async () => {
    const command = 'psql -v ON_ERROR_STOP=1 -c "alter table customers drop column name"'
    const first = await rehearse(command)
    expect(first.ok).toBe(true)
    expect(first.diff!.destructive).toBe(true)
    expect(first.diff!.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'column-dropped',
          table: 'customers',
          object: 'name',
          destructive: true
        })
      ])
    )
    const second = await rehearse(command)
    expect(second.diff!.digest).toBe(first.diff!.digest)
    expect(
      await pg.sql(
        "select count(*) from information_schema.columns where table_name = 'customers' and column_name = 'name'",
        'app'
      )
    ).toBe('1')
  }, 120_000)

  it('a renamed column is destructive and named as a rename', async () => {
    const result = await rehearse(
      'psql "$SLIPWAY_DATABASE_URL" -v ON_ERROR_STOP=1 -c "alter table customers rename column name to full_name"'
    )
    expect(result.ok).toBe(true)
    expect(result.diff!.destructive).toBe(true)
    expect(result.diff!.changes).toEqual([
      expect.objectContaining({
        kind: 'column-renamed',
        before: 'name',
        after: 'full_name',
        destructive: true
      })
    ])
  }, 120_000)

  it('NOT NULL added without a default on a populated table, and a narrowed type, are destructive', async () => {
    const result = await rehearse(
      'psql -v ON_ERROR_STOP=1 -c "alter table customers alter column name set not null, alter column email type varchar(40)"'
    )
    expect(result.ok).toBe(true)
    const destructive = result
      .diff!.changes.filter(c => c.destructive)
      .map(c => `${c.kind} ${c.object}`)
    expect(destructive.sort()).toEqual(['nullability-changed name', 'type-changed email'])
  }, 120_000)

  it('a migration that fails halfway leaves production untouched and the scratch copy removed', async () => {
    const before = await production()
    const result = await rehearse(
      'psql -v ON_ERROR_STOP=1 -c "alter table customers add column half int" && psql -v ON_ERROR_STOP=1 -c "select 1/0"'
    )
    expect(result.ok).toBe(false)
    expect(result.error).toMatch(
      /migrate-command exited with code \d+ .*production was not touched.*division by zero/s
    )
    expect(result.diff).toBeUndefined()
    expect(result.scratchRemoved).toBe(true)
    expect(await scratchDatabases()).toBe('')
    expect(await production()).toBe(before)
  }, 120_000)

  it('passes on an empty database but fails on the real data: caught', async () => {
    const command =
      'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c "create unique index orders_one_status on orders(status)"'
    // The same command on the schema alone succeeds: what a test database would have shown.
    await pg.createDatabase('empty')
    await pg.sql(
      "create table orders (id serial primary key, customer_id int, amount numeric(10,2), status varchar(20) not null default 'new')",
      'empty'
    )
    const { execFileSync } = await import('node:child_process')
    execFileSync('bash', ['-c', command], {
      env: { ...process.env, DATABASE_URL: pg.url('empty') }
    })
    const result = await rehearse(command)
    expect(result.ok).toBe(false)
    expect(result.error).toMatch(/could not create unique index/)
    expect(await scratchDatabases()).toBe('')
  }, 120_000)

  it('a long migration reports its duration, a forecast of the production run', async () => {
    const result = await rehearse('sleep 2 && psql -c "alter table orders add column late int"')
    expect(result.ok).toBe(true)
    expect(result.migration.durationMs).toBeGreaterThanOrEqual(2000)
    expect(result.restoreMs).toBeGreaterThan(0)
  }, 120_000)

  it('a migration past its deadline is stopped and the scratch copy removed', async () => {
    const result = await rehearse('sleep 60', { migrationTimeoutMs: 500 })
    expect(result.ok).toBe(false)
    expect(result.migration.timedOut).toBe(true)
    expect(result.error).toMatch(/timed out after 500ms/)
    expect(await scratchDatabases()).toBe('')
  }, 120_000)

  it('a down-command is rehearsed: it must give back the original schema', async () => {
    const good = await rehearse('psql -c "alter table orders add column tmp int"', {
      downCommand: 'psql -c "alter table orders drop column tmp"'
    })
    expect(good.ok).toBe(true)
    expect(good.down).toEqual(
      expect.objectContaining({ ok: true, restoresSchema: true, differences: [] })
    )
    const bad = await rehearse('psql -c "alter table orders add column tmp int"', {
      downCommand: 'true'
    })
    expect(bad.ok).toBe(false)
    expect(bad.down!.restoresSchema).toBe(false)
    expect(bad.error).toMatch(
      /down-command does not give back the schema.*column-added orders\.tmp/
    )
  }, 180_000)

  it('the migration sees the scratch copy only: a minimal environment, no production URL', async () => {
    const redactor = new Redactor()
    const result = await rehearseMigration({
      store,
      backupId: 'latest',
      database: { url: pg.url('app') },
      migrateCommand:
        'test -z "$PRODUCTION_URL" && case "$DATABASE_URL" in *slipway_rehearsal_*) exit 0;; *) exit 3;; esac',
      urlVariable: 'DATABASE_URL',
      migrationTimeoutMs: 60_000,
      redactor,
      env: { ...process.env, PRODUCTION_URL: pg.url('app'), DATABASE_URL: pg.url('app') }
    })
    expect(result.error).toBeUndefined()
    expect(result.backupId).toBe(backupId)
    expect(result.scratch).not.toContain(pg.password)
  }, 120_000)

  it('bad input: a missing backup, a URL of another engine; nothing is created', async () => {
    await expect(rehearse('true', { backupId: 'app-19990101-000000-missing' })).rejects.toThrow(
      InputError
    )
    await expect(rehearse('true', { backupId: 'app-19990101-000000-missing' })).rejects.toThrow(
      /rehearse-from/
    )
    const error = await rejectionOf(
      rehearse('true', {
        database: { url: 'mysql://u:secret@127.0.0.1:1/app' }
      })
    )
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(/database-url.*postgres/)
    expect(error.message).not.toContain('secret')
    await expect(rehearse('true', { urlVariable: 'GITHUB_TOKEN' })).rejects.toThrow(
      /rehearsal-database-url-env/
    )
    expect(await scratchDatabases()).toBe('')
  }, 60_000)
})
