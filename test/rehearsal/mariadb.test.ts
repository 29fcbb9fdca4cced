import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { InputError } from '@slipway/kit'
import type { Store } from '@slipway/backup'
import { startMariadb, type MariadbServer } from '../services/mariadb.js'
import { backupInTempStore, rehearser } from './fixture.js'

let db: MariadbServer
let storeDir: string
let store: Store
let backupId: string

const production = async (): Promise<string> =>
  `${await db.sql("select group_concat(concat(table_name, '.', column_name, ':', column_type, ':', is_nullable) order by table_name, column_name) from information_schema.columns where table_schema = 'shop'")}\n${await db.sql('checksum table items, notes', 'shop')}`

const scratchSchemas = (): Promise<string> =>
  db.sql("select count(*) from information_schema.schemata where schema_name like 'slipway\\_%'")

/** The client run by the migration: the scratch schema's URL, parsed by the command itself. */
const MIGRATE = (sql: string): string =>
  `u="$DATABASE_URL"; rest="\${u#mysql://}"; creds="\${rest%%@*}"; hostdb="\${rest#*@}"; hostport="\${hostdb%%/*}"; mariadb --user="\${creds%%:*}" --password="\${creds#*:}" --host="\${hostport%%:*}" --port="\${hostport#*:}" "\${hostdb#*/}" -e "${sql}"`

const rehearse = rehearser(() => ({
  store,
  backupId,
  database: { url: db.url('shop') },
  migrationTimeoutMs: 60_000
}))

beforeAll(async () => {
  db = await startMariadb()
  await db.sql('create database shop')
  await db.sql(
    `create table items (id int primary key auto_increment, name varchar(100) not null, sku varchar(20), price decimal(10,2) check (price >= 0)) engine=InnoDB;
     create table notes (id int primary key auto_increment, item_id int not null, note text, foreign key (item_id) references items(id)) engine=InnoDB;
     create index items_name on items(name);
     insert into items (name, sku, price) select concat('item-', seq), concat('sku-', seq % 50), seq / 7 from seq_1_to_2000;
     insert into notes (item_id, note) select id, repeat('n', id % 50) from items;`,
    'shop'
  )
  ;({ storeDir, store, backupId } = await backupInTempStore(db.url('shop'), 'shop'))
}, 180_000)

afterAll(async () => {
  await db?.stop()
  if (storeDir) rmSync(storeDir, { recursive: true, force: true })
})

describe('migration rehearsal on MariaDB', () => {
  it('an additive migration passes; the scratch schema is removed and production untouched', async () => {
    const before = await production()
    const result = await rehearse(MIGRATE('alter table items add column color varchar(20) null'))
    expect(result.error).toBeUndefined()
    expect(result.diff!.destructive).toBe(false)
    expect(result.diff!.changes.map(c => `${c.kind} ${c.table}.${c.object}`)).toEqual([
      'column-added items.color'
    ])
    expect(result.diff!.rows).toEqual([
      { table: 'items', before: 2000, after: 2000 },
      { table: 'notes', before: 2000, after: 2000 }
    ])
    expect(result.before.constraints.map(c => c.definition)).toEqual(
      expect.arrayContaining(['FOREIGN KEY (item_id) REFERENCES items', 'PRIMARY KEY (id)'])
    )
    expect(await scratchSchemas()).toBe('0')
    expect(await production()).toBe(before)
  }, 120_000)

  it('a dropped column is destructive, a narrowed type too', async () => {
    const result = await rehearse(
      MIGRATE('alter table items drop column sku, modify name varchar(50) not null')
    )
    expect(result.ok).toBe(true)
    const destructive = result
      .diff!.changes.filter(c => c.destructive)
      .map(c => `${c.kind} ${c.object}`)
    expect(destructive.sort()).toEqual(['column-dropped sku', 'type-changed name'])
  }, 120_000)

  it('a renamed column is destructive', async () => {
    const result = await rehearse(MIGRATE('alter table items rename column sku to code'))
    expect(result.diff!.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'column-renamed', before: 'sku', after: 'code' })
      ])
    )
    expect(result.diff!.destructive).toBe(true)
  }, 120_000)

  it('a unique index over duplicate rows fails on the real data: caught, nothing left', async () => {
    const result = await rehearse(MIGRATE('create unique index items_sku on items(sku)'))
    expect(result.ok).toBe(false)
    expect(result.error).toMatch(/Duplicate entry/)
    expect(await scratchSchemas()).toBe('0')
  }, 120_000)

  it('bad input: a missing backup names rehearse-from', async () => {
    await expect(rehearse('true', { backupId: 'shop-missing' })).rejects.toThrow(InputError)
    await expect(rehearse('true', { backupId: 'shop-missing' })).rejects.toThrow(/rehearse-from/)
  })
})
