import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '@slipway/kit'
import { backup, dirStore, NonEmptyTargetError, restore, verify } from '@slipway/backup'
import { startMariadb, type MariadbServer } from '../services/mariadb.js'

let db: MariadbServer
let storeDir: string

async function snapshot(database: string): Promise<string> {
  const tables = (
    await db.sql(
      `select table_name from information_schema.tables where table_schema = '${database}' order by 1`
    )
  )
    .split('\n')
    .filter(Boolean)
  const parts: string[] = []
  for (const table of tables) {
    parts.push(
      `${table}=${await db.sql(`select count(*), md5(group_concat(concat_ws('|', ${table === 'items' ? 'id, name, hex(payload), price, at' : 'id, item_id, note'}) order by id separator '\\n')) from \`${table}\``, database)}`
    )
  }
  return parts.join('\n')
}

beforeAll(async () => {
  db = await startMariadb()
  await db.sql('create database shop; set global group_concat_max_len = 104857600')
  await db.sql(
    `create table items (id int primary key auto_increment, name varchar(100) character set utf8mb4, payload blob, price decimal(10,2), at datetime) engine=InnoDB;
     create table notes (id int primary key auto_increment, item_id int, note text, foreign key (item_id) references items(id)) engine=InnoDB;
     insert into items (name, payload, price, at) values ('héllo ✓', x'00ff10', 9.99, '2024-01-02 03:04:05'), ('it''s', null, null, null);
     insert into items (name, payload, price, at) select concat('item-', seq), unhex(md5(seq)), seq / 7, now() from seq_1_to_5000;
     insert into notes (item_id, note) select id, repeat('n', id % 50) from items;`,
    'shop'
  )
  storeDir = mkdtempSync(join(tmpdir(), 'slipway-backup-store-'))
}, 120_000)

afterAll(async () => {
  await db?.stop()
  if (storeDir) rmSync(storeDir, { recursive: true, force: true })
})

describe('mysql / mariadb engine', () => {
  it('backs up with mysqldump --single-transaction and restores identical data', async () => {
    const store = dirStore(storeDir)
    const { manifest } = await backup({ source: { url: db.url('shop') }, store, name: 'shop' })
    expect(manifest!.engine).toBe('mysql')
    expect(manifest!.serverVersion).toMatch(/MariaDB/)
    expect(manifest!.source).toBe(`mysql://${db.user}:***@127.0.0.1:${db.port}/shop`)
    await restore({ store, id: manifest!.id, target: { url: db.url('shop_copy') } })
    const source = await snapshot('shop')
    expect(source).toMatch(/^items=5002\t/)
    expect(await snapshot('shop_copy')).toBe(source)
    // The option file with the password is gone after each operation.
    expect(readdirSync(tmpdir()).filter(name => name.startsWith('slipway-my-'))).toEqual([])
  })

  it('verify compares CHECKSUM TABLE and row counts in a scratch database, with the mariadb scheme', async () => {
    const store = dirStore(storeDir)
    const result = await verify({ store, name: 'shop', source: { url: db.url('shop', 'mariadb') } })
    expect(result.differences).toEqual([])
    expect(result.ok).toBe(true)
    expect(result.tables.map(t => `${t.name}:${t.sourceRows}`)).toEqual([
      'items:5002',
      'notes:5002'
    ])
    expect(
      await db.sql(
        "select count(*) from information_schema.schemata where schema_name like 'slipway_verify_%'"
      )
    ).toBe('0')
    await db.sql("update items set name = 'changed' where id = 2", 'shop')
    const changed = await verify({ store, name: 'shop', source: { url: db.url('shop') } })
    expect(changed.differences).toEqual(['items: checksums differ'])
    await db.sql("update items set name = 'it''s' where id = 2", 'shop')
  })

  it('refuses a non-empty target unless clean is set', async () => {
    const store = dirStore(storeDir)
    await expect(restore({ store, name: 'shop', target: { url: db.url('shop') } })).rejects.toThrow(
      NonEmptyTargetError
    )
    await db.sql('delete from notes where id > 4000', 'shop')
    await restore({ store, name: 'shop', target: { url: db.url('shop') }, clean: true })
    expect(await db.sql('select count(*) from notes', 'shop')).toBe('5002')
  })

  it('an unreachable server or a wrong password is an InputError without the password', async () => {
    const store = dirStore(storeDir)
    const wrong = `mysql://${db.user}:not-the-password@127.0.0.1:${db.port}/shop`
    const attempt = backup({ source: { url: wrong }, store })
    await expect(attempt).rejects.toThrow(InputError)
    await expect(attempt).rejects.toThrow(
      /^Input 'database-url': expected a reachable MySQL database, got "mysql:\/\/slipway:\*\*\*@/
    )
    await attempt.catch(error => expect(String(error.message)).not.toContain('not-the-password'))
    await expect(
      backup({ source: { url: `mysql://root:x@127.0.0.1:1/shop` }, store })
    ).rejects.toThrow(/^Input 'database-url'/)
  })

  it('takes the connection from MYSQL_* variables; MYSQL_PWD goes into the option file', async () => {
    const env = {
      ...process.env,
      MYSQL_HOST: '127.0.0.1',
      MYSQL_TCP_PORT: String(db.port),
      MYSQL_USER: db.user,
      MYSQL_PWD: db.password,
      MYSQL_DATABASE: 'shop'
    }
    const { manifest } = await backup({
      source: { engine: 'mariadb' },
      store: dirStore(storeDir),
      env,
      name: 'fromenv'
    })
    expect(manifest!.source).toBe(`mariadb://${db.user}:***@127.0.0.1:${db.port}/shop`)
    expect(manifest!.tools['mariadb-dump']).toMatch(/Distrib .*MariaDB/)
  })
})
