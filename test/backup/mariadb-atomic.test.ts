import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, dirStore, newBackupId, restore, type Manifest } from '@slipway/backup'
import { startMariadb, type MariadbServer } from '../services/mariadb.js'

// A MySQL/MariaDB restore loads into a scratch schema and swaps the tables in with one RENAME
// TABLE: a failed restore leaves the target exactly as it was (rows, triggers, views,
// routines, events), and the backup holds the scheduled events.

let db: MariadbServer
let root: string

/** Everything a restore could lose: rows per table, and every object with its definition. */
async function state(database: string): Promise<string> {
  const rows = await db.sql(
    'select (select count(*) from items), (select count(*) from audit), (select coalesce(sum(qty), 0) from items)',
    database
  )
  const objects = await db.sql(
    `select concat('trigger ', trigger_name, ' ', action_statement) from information_schema.triggers where trigger_schema = '${database}'
     union all select concat('view ', table_name) from information_schema.views where table_schema = '${database}'
     union all select concat('routine ', routine_name) from information_schema.routines where routine_schema = '${database}'
     union all select concat('event ', event_name, ' ', event_definition) from information_schema.events where event_schema = '${database}'
     order by 1`
  )
  return `${rows}\n${objects}`
}

const leftovers = (): Promise<string> =>
  db.sql("select count(*) from information_schema.schemata where schema_name like 'slipway\\_%'")

beforeAll(async () => {
  db = await startMariadb()
  root = mkdtempSync(join(tmpdir(), 'slipway-mariadb-atomic-'))
  await db.sql('create database app')
  await db.sql(
    `create table items (id int primary key auto_increment, qty int not null, label varchar(40)) engine=InnoDB;
     create table audit (id int primary key auto_increment, item_id int, note text) engine=InnoDB;
     insert into items (qty, label) select seq % 97, concat('item-', seq) from seq_1_to_20000;
     create trigger items_audit after insert on items for each row insert into audit (item_id, note) values (new.id, 'added');
     create view big_items as select id, qty from items where qty > 50;
     create view biggest as select max(qty) as top from big_items;
     create function double_qty(q int) returns int deterministic return q * 2;
     delimiter //
     create procedure restock() begin update items set qty = qty + 1; select count(*) from items; end//
     delimiter ;
     create event purge_audit on schedule every 1 day do delete from audit where note = 'expired';`,
    'app'
  )
}, 120_000)

afterAll(async () => {
  await db?.stop()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('mysql / mariadb restore', () => {
  it('backs up events and restores tables, views, routines, triggers and events', async () => {
    const store = dirStore(join(root, 'store'))
    const { manifest } = await backup({
      source: { url: db.url('app', 'mariadb') },
      store,
      compression: 'none'
    })
    const dump = readFileSync(join(root, 'store', manifest!.file), 'utf8')
    expect(dump).toContain('EVENT `purge_audit`')
    await restore({ store, id: manifest!.id, target: { url: db.url('copy', 'mariadb') } })
    expect(await state('copy')).toBe(await state('app'))
    expect(await state('copy')).toMatch(/event purge_audit delete from audit/)
    expect(await state('copy')).toMatch(/trigger items_audit insert into audit/)
    // The restored trigger fires on the restored table, and the views read it.
    await db.sql("insert into items (qty, label) values (99, 'new')", 'copy')
    expect(await db.sql('select count(*) from audit', 'copy')).toBe('1')
    expect(await db.sql('select top from biggest', 'copy')).toBe('99')
    expect(await db.sql('select double_qty(21)', 'copy')).toBe('42')
    expect(await leftovers()).toBe('0')
  })

  it('a restore that fails half-way through the load leaves the target as it was', async () => {
    const store = dirStore(join(root, 'store'))
    const [good] = (await store.list()).filter(m => m.engine === 'mariadb')
    // The same dump cut after half of its INSERTs, then a statement the server refuses.
    const text = readFileSync(join(root, 'store', good.file), 'utf8')
    const cut = text.indexOf('\n', text.indexOf('INSERT INTO `items`') + 200_000)
    expect(cut).toBeGreaterThan(0)
    const broken = `${text.slice(0, cut)}\nTHIS IS NOT SQL;\n`
    const id = newBackupId('app')
    const file = `${id}.sql`
    const staged = await store.stage(file)
    writeFileSync(staged, broken)
    const manifest: Manifest = {
      ...good,
      id,
      file,
      size: Buffer.byteLength(broken),
      sha256: createHash('sha256').update(broken).digest('hex'),
      created: new Date().toISOString()
    }
    await store.commit(manifest, staged)

    const original = await state('app')
    await db.sql('delete from items where id > 15000; update items set qty = 1 where id = 7', 'app')
    const before = await state('app')
    const logs: string[] = []
    const attempt = restore({
      store,
      id,
      target: { url: db.url('app', 'mariadb') },
      clean: true,
      log: line => void logs.push(line)
    })
    await expect(attempt).rejects.toThrow(/ERROR 1064 .*THIS IS NOT SQL/)
    // It did get as far as loading: the scratch schema had rows when the error came.
    expect(logs.join('\n')).toMatch(/Loading the backup into the scratch schema slipway_restore_/)
    expect(await state('app')).toBe(before)
    expect(await leftovers()).toBe('0')

    // The good backup then restores in place, replacing the changed rows.
    await restore({ store, id: good.id, target: { url: db.url('app') }, clean: true })
    expect(await db.sql('select count(*), sum(qty = 1 and id = 7) from items', 'app')).toBe(
      '20000\t0'
    )
    expect(await state('app')).toBe(original)
    expect(await leftovers()).toBe('0')
  })

  it('refuses to leave a kept table with a foreign key to a replaced table; nothing changes', async () => {
    const store = dirStore(join(root, 'store'))
    const [good] = (await store.list()).filter(m => m.engine === 'mariadb')
    await db.sql(
      'create table orders (id int primary key, item_id int, foreign key (item_id) references items (id)) engine=InnoDB; insert into orders values (1, 7)',
      'app'
    )
    await db.sql('delete from audit', 'app')
    const before = await state('app')
    await expect(
      restore({ store, id: good.id, target: { url: db.url('app') }, clean: true })
    ).rejects.toThrow(/tables the backup does not hold with foreign keys .*orders → items/)
    expect(await state('app')).toBe(before)
    expect(await db.sql('select count(*) from orders', 'app')).toBe('1')
    expect(await leftovers()).toBe('0')
    await db.sql('drop table orders', 'app')
  })
})
