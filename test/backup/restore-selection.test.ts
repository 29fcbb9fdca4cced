import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '@slipway/kit'
import { backup, dirStore, restore, verify } from '@slipway/backup'
import { runBundle } from '../helpers/run-bundle.js'

// A restore with `latest` takes only a backup of the engine and the source it was asked for:
// never the newest backup of another engine (a files archive extracted into a directory named
// after a database URL), never another database's backup.

let root: string
let cwd: string
const sqlite = (db: string, sql: string): string =>
  execFileSync('sqlite3', ['-batch', db, sql], { encoding: 'utf8' }).trim()

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-restore-selection-'))
  // A wrong pick would write below the working directory: keep that inside the temp dir.
  cwd = process.cwd()
  mkdirSync(join(root, 'cwd'))
  process.chdir(join(root, 'cwd'))
})
afterAll(() => {
  process.chdir(cwd)
  rmSync(root, { recursive: true, force: true })
})

describe('restore latest', () => {
  it('takes the newest backup of the asked engine, not a newer files backup', async () => {
    const store = dirStore(join(root, 'mixed'))
    const db = join(root, 'app.db')
    sqlite(db, "create table t (v text); insert into t values ('from sqlite')")
    await backup({ source: { url: `sqlite://${db}` }, store })
    const base = join(root, 'site')
    mkdirSync(base)
    writeFileSync(join(base, 'index.html'), 'hello')
    await backup({ source: { engine: 'files', paths: ['index.html'], baseDir: base }, store })

    const target = join(root, 'restored.db')
    await restore({ store, target: { engine: 'sqlite', url: target } })
    expect(sqlite(target, 'select v from t')).toBe('from sqlite')

    // No PostgreSQL backup in the store: refused before connecting, nothing written, no password.
    const url = 'postgres://app:s3cret-pw@127.0.0.1:1/app'
    const attempt = restore({ store, target: { engine: 'postgres', url } })
    await expect(attempt).rejects.toThrow(InputError)
    await expect(attempt).rejects.toThrow(/^Input 'backup-id': .*no postgres backups/)
    await attempt.catch(error => expect(String(error.message)).not.toContain('s3cret-pw'))
    // The engine named only by the URL's scheme is honoured the same way.
    await expect(
      restore({ store, target: { url: 'mysql://app:s3cret-pw@127.0.0.1:1/app' } })
    ).rejects.toThrow(/no mysql or mariadb backups/)
    expect(readdirSync(join(root, 'cwd'))).toEqual([])
  })

  it('an explicit backup id of another engine is refused before anything is written', async () => {
    const store = dirStore(join(root, 'mixed'))
    const files = (await store.list()).find(m => m.engine === 'files')!
    const url = 'postgres://app:s3cret-pw@127.0.0.1:1/app'
    await expect(
      restore({ store, id: files.id, target: { engine: 'postgres', url } })
    ).rejects.toThrow(/^Input 'engine': expected the engine of backup .* \(files\), got "postgres"/)
    expect(readdirSync(join(root, 'cwd'))).toEqual([])
  })

  it('restores in place from the same source, not the newer backup of another database', async () => {
    const store = dirStore(join(root, 'two-sources'))
    const a = join(root, 'a.db')
    const b = join(root, 'b.db')
    sqlite(a, "create table t (v text); insert into t values ('a')")
    sqlite(b, "create table t (v text); insert into t values ('b')")
    await backup({ source: { url: `sqlite://${a}` }, store, name: 'shared' })
    await backup({ source: { url: `sqlite://${b}` }, store, name: 'shared' })
    sqlite(a, "update t set v = 'a changed'")
    await restore({ store, name: 'shared', target: { url: `sqlite://${a}` }, clean: true })
    expect(sqlite(a, 'select v from t')).toBe('a')

    // Into a new file: which source is meant cannot be told, so it is refused, naming the sources.
    const copy = join(root, 'copy.db')
    const ambiguous = restore({ store, name: 'shared', target: { url: copy } })
    await expect(ambiguous).rejects.toThrow(InputError)
    await expect(ambiguous).rejects.toThrow(/backups named shared of 2 sources .*b\.db, .*a\.db/)
    expect(existsSync(copy)).toBe(false)

    // Naming the source picks its newest backup.
    await restore({
      store,
      name: 'shared',
      source: { url: `sqlite://${b}` },
      target: { url: copy }
    })
    expect(sqlite(copy, 'select v from t')).toBe('b')
  })

  it("verify latest takes the source's own backup, not a newer one of another engine or source", async () => {
    const store = dirStore(join(root, 'verify-mixed'))
    const a = join(root, 'verify-a.db')
    const b = join(root, 'verify-b.db')
    sqlite(a, "create table t (v text); insert into t values ('a')")
    sqlite(b, "create table t (v text); insert into t values ('b')")
    const own = await backup({ source: { url: `sqlite://${a}` }, store })
    await backup({ source: { url: `sqlite://${b}` }, store })
    const base = join(root, 'verify-site')
    mkdirSync(base)
    writeFileSync(join(base, 'index.html'), 'hello')
    await backup({ source: { engine: 'files', paths: ['index.html'], baseDir: base }, store })

    const result = await verify({ store, source: { url: `sqlite://${a}` } })
    expect(result.ok).toBe(true)
    expect(result.id).toBe(own.manifest!.id)
  })
})

describe('the backup action names the operation that failed', () => {
  it('restore failed: …, not backup failed: …', async () => {
    const run = await runBundle('backup', {
      inputs: {
        operation: 'restore',
        store: 'dir',
        path: join(root, 'empty-store'),
        'database-url': `sqlite://${join(root, 'never.db')}`
      }
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(/^restore failed: /)
    expect(existsSync(join(root, 'never.db'))).toBe(false)
  })
})
