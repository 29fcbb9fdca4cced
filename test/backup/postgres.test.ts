import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateIdentity, identityToRecipient } from 'age-encryption'
import { InputError, Redactor } from '@slipway/kit'
import {
  backup,
  dirStore,
  IntegrityError,
  list,
  NonEmptyTargetError,
  restore,
  verify
} from '@slipway/backup'
import { startPostgres, type PostgresServer } from '../services/postgres.js'

let pg: PostgresServer
let storeDir: string
const logs: string[] = []
const log = (message: string): void => void logs.push(message)

/** Row counts and an order-independent checksum per table, computed by the test itself. */
async function snapshot(database: string): Promise<Record<string, string>> {
  const tables = (
    await pg.sql("select tablename from pg_tables where schemaname = 'public' order by 1", database)
  )
    .split('\n')
    .filter(Boolean)
  const result: Record<string, string> = {}
  for (const table of tables) {
    result[table] = await pg.sql(
      `select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from ${table} t`,
      database
    )
  }
  return result
}

beforeAll(async () => {
  pg = await startPostgres()
  await pg.createDatabase('app')
  await pg.pgbench('app', 1)
  await pg.sql(
    "create table notes (id serial primary key, body text, data bytea, at timestamptz); insert into notes (body, data, at) values ('héllo ✓', '\\x00ff', now()), (null, null, null), (E'multi\\nline ''quoted''', '\\xdeadbeef', '2020-01-01')",
    'app'
  )
  storeDir = mkdtempSync(join(tmpdir(), 'slipway-backup-store-'))
}, 120_000)

afterAll(async () => {
  await pg?.stop()
  if (storeDir) rmSync(storeDir, { recursive: true, force: true })
})

describe('postgres engine', () => {
  it('backs up, restores into an empty database, and the data is identical', async () => {
    const store = dirStore(storeDir)
    const result = await backup({ source: { url: pg.url('app') }, store, name: 'app', log })
    const manifest = result.manifest!
    expect(manifest.engine).toBe('postgres')
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(manifest.serverVersion).toMatch(/^15\./)
    expect(manifest.source).not.toContain(pg.password)
    expect(manifest.source).toContain('***')
    expect(manifest.tools.pg_dump).toContain('pg_dump')
    expect(manifest.size).toBeGreaterThan(1000)
    expect(manifest.compression).toBe('zstd') // auto, zstd installed: reads pg_dump's pipe directly
    expect(manifest.rawSize).toBeUndefined()
    expect(
      JSON.parse(readFileSync(join(storeDir, `${manifest.id}.manifest.json`), 'utf8')).sha256
    ).toBe(manifest.sha256)

    await pg.createDatabase('restored')
    await restore({ store, id: manifest.id, target: { url: pg.url('restored') }, log })
    const [source, restored] = await Promise.all([snapshot('app'), snapshot('restored')])
    expect(Object.keys(source)).toEqual([
      'notes',
      'pgbench_accounts',
      'pgbench_branches',
      'pgbench_history',
      'pgbench_tellers'
    ])
    expect(source.pgbench_accounts.startsWith('100000:')).toBe(true)
    expect(restored).toEqual(source)
  })

  it('verify restores into a scratch database, compares, and removes it; a changed source is reported', async () => {
    const store = dirStore(storeDir)
    const ok = await verify({ store, id: 'latest', name: 'app', source: { url: pg.url('app') } })
    expect(ok.ok).toBe(true)
    expect(ok.tables.map(t => t.name)).toContain('public.pgbench_accounts')
    expect(ok.tables.find(t => t.name === 'public.pgbench_accounts')?.sourceRows).toBe(100000)
    await pg.sql("update pgbench_branches set filler = 'changed' where bid = 1", 'app')
    const changed = await verify({ store, name: 'app', source: { url: pg.url('app') } })
    expect(changed.ok).toBe(false)
    expect(changed.differences).toEqual(['public.pgbench_branches: checksums differ'])
    await pg.sql('update pgbench_branches set filler = null where bid = 1', 'app')
    expect(
      await pg.sql("select count(*) from pg_database where datname like 'slipway_verify_%'")
    ).toBe('0')
  })

  it('refuses a non-empty target unless clean is set', async () => {
    const store = dirStore(storeDir)
    const before = await snapshot('app')
    await expect(restore({ store, target: { url: pg.url('app') } })).rejects.toThrow(
      NonEmptyTargetError
    )
    await expect(restore({ store, target: { url: pg.url('app') } })).rejects.toThrow(
      /not empty; set clean: true/
    )
    await pg.sql('delete from notes where id = 1', 'app')
    await restore({ store, name: 'app', target: { url: pg.url('app') }, clean: true })
    expect(await snapshot('app')).toEqual(before)
  })

  it('round-trips an encrypted backup (age); the identity is required and never logged', async () => {
    const identity = await generateIdentity()
    const recipient = await identityToRecipient(identity)
    const store = dirStore(storeDir)
    const redactor = new Redactor()
    redactor.add(identity)
    const result = await backup({
      source: { url: pg.url('app') },
      store,
      name: 'enc',
      recipients: [recipient],
      compression: 'gzip',
      redactor,
      log
    })
    const manifest = result.manifest!
    expect(manifest.file).toMatch(/\.dump\.gz\.age$/)
    expect(manifest.encryption?.type).toBe('age')
    expect(manifest.rawSize).toBeGreaterThan(manifest.size * 2) // gzip through Node, counted
    expect(JSON.stringify(manifest)).not.toContain(recipient)
    expect(readFileSync(join(storeDir, manifest.file)).subarray(0, 21).toString()).toBe(
      'age-encryption.org/v1'
    )
    await pg.createDatabase('decrypted')
    const missing = restore({ store, id: manifest.id, target: { url: pg.url('decrypted') } })
    await expect(missing).rejects.toThrow(InputError)
    await expect(missing).rejects.toThrow(/age-identity/)
    await restore({
      store,
      id: manifest.id,
      target: { url: pg.url('decrypted') },
      identities: [identity],
      redactor,
      log
    })
    expect(await snapshot('decrypted')).toEqual(await snapshot('app'))
    const verified = await verify({
      store,
      id: manifest.id,
      source: { url: pg.url('app') },
      identities: [identity]
    })
    expect(verified.ok).toBe(true)
    expect(logs.join('\n')).not.toContain(identity)
    expect(logs.join('\n')).not.toContain(pg.password)
  })

  it('detects a corrupted or truncated backup before restoring anything', async () => {
    const store = dirStore(storeDir)
    const { manifest } = await backup({
      source: { url: pg.url('app') },
      store,
      name: 'corrupt',
      compression: 'zstd'
    })
    const file = join(storeDir, manifest!.file)
    const bytes = readFileSync(file)
    bytes[Math.floor(bytes.length / 2)] ^= 0xff
    writeFileSync(file, bytes)
    await pg.createDatabase('corrupt_target')
    const attempt = restore({ store, id: manifest!.id, target: { url: pg.url('corrupt_target') } })
    await expect(attempt).rejects.toThrow(IntegrityError)
    await expect(attempt).rejects.toThrow(/sha256 .* does not match/)
    writeFileSync(file, bytes.subarray(0, bytes.length - 100))
    await expect(
      restore({ store, id: manifest!.id, target: { url: pg.url('corrupt_target') } })
    ).rejects.toThrow(/truncated/)
    expect(
      await pg.sql("select count(*) from pg_tables where schemaname = 'public'", 'corrupt_target')
    ).toBe('0')
  })

  it('reports a decompression error when the file and its manifest were both altered', async () => {
    const store = dirStore(storeDir)
    const { manifest } = await backup({
      source: { url: pg.url('app') },
      store,
      name: 'gz',
      compression: 'gzip'
    })
    const file = join(storeDir, manifest!.file)
    const truncated = readFileSync(file).subarray(0, 5000)
    writeFileSync(file, truncated)
    const { createHash } = await import('node:crypto')
    const manifestPath = join(storeDir, `${manifest!.id}.manifest.json`)
    writeFileSync(
      manifestPath,
      JSON.stringify({
        ...manifest,
        size: truncated.length,
        sha256: createHash('sha256').update(truncated).digest('hex')
      })
    )
    await pg.createDatabase('gz_target')
    await expect(
      restore({ store, id: manifest!.id, target: { url: pg.url('gz_target') } })
    ).rejects.toThrow(/gzip decompression failed|pg_restore/)
    expect(
      await pg.sql("select count(*) from pg_tables where schemaname = 'public'", 'gz_target')
    ).toBe('0')
  })

  it('a clean restore that fails part-way leaves the target as it was (one transaction)', async () => {
    const store = dirStore(storeDir)
    const { manifest } = await backup({
      source: { url: pg.url('app') },
      store,
      name: 'partial',
      compression: 'none'
    })
    // The archive cut short, with a manifest that matches it: pg_restore starts, then fails.
    const file = join(storeDir, manifest!.file)
    const cut = readFileSync(file).subarray(0, Math.floor(readFileSync(file).length * 0.7))
    writeFileSync(file, cut)
    const { createHash } = await import('node:crypto')
    writeFileSync(
      join(storeDir, `${manifest!.id}.manifest.json`),
      JSON.stringify({
        ...manifest,
        size: cut.length,
        sha256: createHash('sha256').update(cut).digest('hex')
      })
    )
    await pg.sql('delete from notes where id = 2', 'app')
    const before = await snapshot('app')
    await expect(
      restore({ store, id: manifest!.id, target: { url: pg.url('app') }, clean: true })
    ).rejects.toThrow(/pg_restore/)
    expect(await snapshot('app')).toEqual(before)
  })

  it('rejects bad inputs with an InputError naming the input, without the password', async () => {
    const store = dirStore(storeDir)
    const closed = `postgres://postgres:${pg.password}@127.0.0.1:1/app`
    const unreachable = backup({ source: { url: closed }, store })
    await expect(unreachable).rejects.toThrow(InputError)
    await expect(unreachable).rejects.toThrow(
      /^Input 'database-url': expected a reachable PostgreSQL database/
    )
    await unreachable.catch(error => expect(String(error.message)).not.toContain(pg.password))
    await expect(backup({ source: { url: 'postgres://u:p@[bad/app' }, store })).rejects.toThrow(
      /^Input 'database-url'/
    )
    await expect(backup({ source: { url: 'postgres://127.0.0.1:5432/' }, store })).rejects.toThrow(
      /naming a database/
    )
    await expect(
      backup({ source: { engine: 'oracle', url: pg.url('app') }, store })
    ).rejects.toThrow(/^Input 'engine'/)
    expect((await list({ store })).every(m => m.sha256.length === 64)).toBe(true)
  })

  it('takes the connection from PG* environment variables when no URL is given', async () => {
    const store = dirStore(storeDir)
    const result = await backup({
      source: { engine: 'postgres', env: pg.env('app') },
      store,
      name: 'fromenv',
      env: { ...process.env, ...pg.env('app') }
    })
    expect(result.manifest?.database).toBe('app')
    expect(result.manifest?.source).toBe(`postgres://postgres:***@127.0.0.1:${pg.port}/app`)
  })
})
