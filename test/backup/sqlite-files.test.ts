import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '@slipway/kit'
import {
  backup,
  dirStore,
  list,
  NonEmptyTargetError,
  prune,
  restore,
  selectForDeletion,
  verify,
  type Manifest
} from '@slipway/backup'

let root: string
const sqlite = (db: string, sql: string): string =>
  execFileSync('sqlite3', ['-batch', db, sql], { encoding: 'utf8' }).trim()

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-backup-lite-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('sqlite engine', () => {
  it('backs up with the online .backup and restores an identical file; verify compares per table', async () => {
    const db = join(root, 'app.db')
    sqlite(
      db,
      "pragma journal_mode=wal; create table t (id integer primary key, v text, b blob); with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000) insert into t select i, 'row ' || i || ' ✓', randomblob(16) from n; create table w (k text primary key, v) without rowid; insert into w values ('a', 1), ('b', null);"
    )
    const store = dirStore(join(root, 'store'))
    const { manifest } = await backup({ source: { url: `sqlite://${db}` }, store })
    expect(manifest!.name).toBe('app')
    expect(manifest!.engine).toBe('sqlite')
    const target = join(root, 'restored.db')
    await restore({ store, target: { url: target } })
    const dump = (file: string): string =>
      sqlite(file, 'select count(*), group_concat(id || v || hex(b)) from t; select * from w')
    expect(dump(target)).toBe(dump(db))
    expect((await verify({ store, source: { url: db } })).ok).toBe(true)
    sqlite(db, "insert into w values ('c', 3)")
    const changed = await verify({ store, source: { url: db } })
    expect(changed.differences).toEqual(['w: 3 in the source, 2 restored'])
    await expect(restore({ store, target: { url: target } })).rejects.toThrow(NonEmptyTargetError)
    await restore({ store, target: { url: target }, clean: true })
    expect(dump(target)).not.toBe(dump(db)) // the backup predates the insert
  })

  it('a missing database file is an InputError naming the input', async () => {
    const store = dirStore(join(root, 'store'))
    await expect(
      backup({ source: { engine: 'sqlite', url: join(root, 'nope.db') }, store })
    ).rejects.toThrow(/^Input 'database-url': expected an existing SQLite database file/)
  })
})

describe('files engine', () => {
  it('archives paths and globs with excludes, restores them, and verify compares file hashes', async () => {
    const base = join(root, 'site')
    mkdirSync(join(base, 'config', 'nested'), { recursive: true })
    mkdirSync(join(base, 'logs'), { recursive: true })
    writeFileSync(join(base, 'config', 'app.yml'), 'a: 1\n')
    writeFileSync(join(base, 'config', 'nested', 'secret.key'), 'k')
    writeFileSync(join(base, 'config', 'nested', 'data.bin'), Buffer.alloc(200_000, 3))
    writeFileSync(join(base, 'logs', 'x.log'), 'log')
    writeFileSync(join(base, 'README.md'), 'readme')
    symlinkSync('app.yml', join(base, 'config', 'link.yml'))
    const store = dirStore(join(root, 'files-store'))
    const { manifest } = await backup({
      source: { engine: 'files', paths: ['config', '*.md'], exclude: ['**/*.key'], baseDir: base },
      store,
      compression: 'zstd'
    })
    expect(manifest!.fileCount).toBe(4)
    expect(manifest!.file).toMatch(/\.tar\.zst$/)
    const target = join(root, 'files-restored')
    await restore({ store, target: { url: target } })
    expect(readdirSync(join(target, 'config', 'nested'))).toEqual(['data.bin'])
    expect(
      readFileSync(join(target, 'config', 'nested', 'data.bin')).equals(Buffer.alloc(200_000, 3))
    ).toBe(true)
    expect(readFileSync(join(target, 'config', 'link.yml'), 'utf8')).toBe('a: 1\n')
    expect(existsSync(join(target, 'logs'))).toBe(false)
    const source = {
      engine: 'files',
      paths: ['config', '*.md'],
      exclude: ['**/*.key'],
      baseDir: base
    }
    expect((await verify({ store, source })).ok).toBe(true)
    writeFileSync(join(base, 'README.md'), 'changed')
    expect((await verify({ store, source })).differences).toEqual([
      'README.md: 7 in the source, 6 restored' // sizes in bytes
    ])
    await expect(restore({ store, target: { url: target } })).rejects.toThrow(NonEmptyTargetError)
  })

  it('restores in place over the source base-dir with clean (as rollback does)', async () => {
    const base = join(root, 'inplace')
    mkdirSync(join(base, 'conf'), { recursive: true })
    writeFileSync(join(base, 'conf', 'a.yml'), 'v: 1\n')
    const store = dirStore(join(root, 'inplace-store'))
    const source = { engine: 'files', paths: ['conf'], baseDir: base }
    await backup({ source, store, name: 'conf' })
    writeFileSync(join(base, 'conf', 'a.yml'), 'v: 2 (bad deploy)\n')
    await expect(restore({ store, name: 'conf', target: source })).rejects.toThrow(
      NonEmptyTargetError
    )
    const dry = await restore({ store, name: 'conf', target: source, clean: true, dryRun: true })
    expect(dry.plan.target).toBe(base)
    expect(readFileSync(join(base, 'conf', 'a.yml'), 'utf8')).toBe('v: 2 (bad deploy)\n')
    await restore({ store, name: 'conf', target: source, clean: true })
    expect(readFileSync(join(base, 'conf', 'a.yml'), 'utf8')).toBe('v: 1\n')
  })

  it('paths that match nothing, or outside base-dir, are InputErrors naming paths', async () => {
    const store = dirStore(join(root, 'files-store'))
    await expect(
      backup({ source: { engine: 'files', paths: ['nothing-here/**'], baseDir: root }, store })
    ).rejects.toThrow(InputError)
    await expect(
      backup({ source: { engine: 'files', paths: ['/etc/hostname'], baseDir: root }, store })
    ).rejects.toThrow(/^Input 'paths': expected paths inside base-dir/)
  })
})

describe('retention', () => {
  const manifest = (id: string, name: string, created: string): Manifest =>
    ({
      version: 1,
      id,
      name,
      created,
      file: `${id}.x`,
      sha256: 'a'.repeat(64),
      size: 1
    }) as Manifest
  const day = 86_400_000
  const now = Date.parse('2026-01-10T00:00:00Z')
  const all = [
    manifest('db-1', 'db', '2026-01-01T00:00:00Z'),
    manifest('db-2', 'db', '2026-01-05T00:00:00Z'),
    manifest('db-3', 'db', '2026-01-09T00:00:00Z'),
    manifest('db-4', 'db', '2026-01-09T12:00:00Z'),
    manifest('files-1', 'files', '2025-12-01T00:00:00Z')
  ]

  it('keep-last and max-age per name; the newest of each name always stays', () => {
    const ids = (m: Manifest[]): string[] => m.map(x => x.id)
    expect(ids(selectForDeletion(all, { keepLast: 2 }, now).remove)).toEqual(['db-2', 'db-1'])
    expect(ids(selectForDeletion(all, { maxAgeMs: 3 * day }, now).remove)).toEqual(['db-2', 'db-1'])
    expect(ids(selectForDeletion(all, { keepLast: 3, maxAgeMs: 7 * day }, now).remove)).toEqual([
      'db-1'
    ])
    expect(ids(selectForDeletion(all, { keepLast: 1 }, now).keep)).toEqual(['db-4', 'files-1'])
  })

  it('prune deletes from a directory store and needs a rule', async () => {
    const dir = join(root, 'prune-store')
    mkdirSync(dir)
    for (const m of all) {
      writeFileSync(join(dir, m.file), 'x')
      writeFileSync(join(dir, `${m.id}.manifest.json`), JSON.stringify(m))
    }
    const store = dirStore(dir)
    const dry = await prune({ store, keepLast: 1, dryRun: true, now })
    expect(dry.deleted).toHaveLength(3)
    expect(await list({ store })).toHaveLength(5)
    const result = await prune({ store, keepLast: 1, now })
    expect(result.deleted.map(m => m.id)).toEqual(['db-3', 'db-2', 'db-1'])
    expect(readdirSync(dir).sort()).toEqual([
      'db-4.manifest.json',
      'db-4.x',
      'files-1.manifest.json',
      'files-1.x'
    ])
    await expect(prune({ store })).rejects.toThrow(/^Input 'keep-last'/)
  })
})
