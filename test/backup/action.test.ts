import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateIdentity, identityToRecipient } from 'age-encryption'
import { runBundle, type BundleRun } from '../helpers/run-bundle.js'
import { startPostgres, type PostgresServer } from '../services/postgres.js'
import { startMariadb, type MariadbServer } from '../services/mariadb.js'

let pg: PostgresServer
let maria: MariadbServer
let root: string
const secrets: string[] = []

/**
 * Every channel a run can leak through: stdout, stderr, summary, outputs. `::add-mask::`
 * lines are the masking commands themselves (the runner consumes them, never prints them).
 */
function everything(run: BundleRun): string {
  const stdout = run.stdout
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  return [stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n')
}

function expectNoSecrets(run: BundleRun): void {
  const text = everything(run)
  for (const secret of secrets) expect(text).not.toContain(secret)
}

const pgCount = (db: string): Promise<string> => pg.sql('select count(*) from pgbench_accounts', db)

beforeAll(async () => {
  ;[pg, maria] = await Promise.all([
    startPostgres({ password: 'pg-Secret-Pa55word-x1' }),
    startMariadb({ password: 'my-Secret-Pa55word-y2' })
  ])
  secrets.push(pg.password, maria.password)
  await pg.createDatabase('app')
  await pg.pgbench('app', 1)
  await maria.sql(
    'create database shop; create table shop.t (id int primary key, v varchar(20)); insert into shop.t values (1, "a"), (2, "b")'
  )
  root = mkdtempSync(join(tmpdir(), 'slipway-backup-action-'))
}, 120_000)

afterAll(async () => {
  await Promise.all([pg?.stop(), maria?.stop()])
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('backup action (bundle)', () => {
  const store = (): string => join(root, 'store')

  it('backs up postgres with verify, sets outputs and a summary, and never shows the password', async () => {
    const run = await runBundle('backup', {
      inputs: {
        'database-url': pg.url('app'),
        store: 'dir',
        path: store(),
        verify: true,
        name: 'app'
      }
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.outputs['backup-id']).toMatch(/^app-\d{8}T\d{6}Z-[0-9a-f]{6}$/)
    expect(run.outputs.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(Number(run.outputs.size)).toBeGreaterThan(1000)
    expect(run.outputs.verified).toBe('true')
    expect(run.outputs.location).toBe(join(store(), JSON.parse(run.outputs.manifest).file))
    const manifest = JSON.parse(run.outputs.manifest)
    expect(manifest).toMatchObject({
      id: run.outputs['backup-id'],
      engine: 'postgres',
      sha256: run.outputs.sha256,
      compression: 'zstd',
      encryption: null
    })
    expect(manifest.source).toBe(`postgres://postgres:***@127.0.0.1:${pg.port}/app`)
    expect(run.summary).toContain(`## Backup ${manifest.id}`)
    expect(run.summary).toMatch(/\| What \| Engine \| Size \| SHA-256 \| Duration \| Verify \|/)
    expect(run.summary).toContain('✅ identical')
    expect(run.summary).toContain('public.pgbench_accounts | 100000 | 100000 | ✅')
    expect(run.stdout).toContain(`::add-mask::${pg.password}`) // registered with the runner
    expectNoSecrets(run)
  })

  it('restores latest into an empty database, and refuses a non-empty one without clean', async () => {
    await pg.createDatabase('copy')
    const run = await runBundle('backup', {
      inputs: {
        operation: 'restore',
        'database-url': pg.url('app'),
        target: pg.url('copy'),
        path: store(),
        name: 'app'
      }
    })
    expect(run.exitCode).toBe(0)
    expect(await pgCount('copy')).toBe('100000')
    expect(run.summary).toContain('## Restored app-')
    expectNoSecrets(run)
    const refused = await runBundle('backup', {
      inputs: { operation: 'restore', 'database-url': pg.url('app'), path: store() }
    })
    expect(refused.exitCode).toBe(1)
    expect(refused.annotations.errors.join('\n')).toMatch(/is not empty; set clean: true/)
    expectNoSecrets(refused)
  })

  it('round-trips an encrypted MariaDB backup; the identity and passwords never appear', async () => {
    const identity = await generateIdentity()
    secrets.push(identity)
    const recipient = await identityToRecipient(identity)
    const backup = await runBundle('backup', {
      inputs: {
        'database-url': maria.url('shop'),
        path: store(),
        'encrypt-recipients': recipient,
        compression: 'gzip'
      }
    })
    expect(backup.exitCode).toBe(0)
    expect(JSON.parse(backup.outputs.manifest).file).toMatch(/^shop-.*\.sql\.gz\.age$/)
    const noKey = await runBundle('backup', {
      inputs: {
        operation: 'restore',
        'database-url': maria.url('shop'),
        target: maria.url('shop2'),
        path: store(),
        name: 'shop'
      }
    })
    expect(noKey.exitCode).toBe(1)
    expect(noKey.annotations.errors[0]).toMatch(/Input 'age-identity'/)
    const restored = await runBundle('backup', {
      inputs: {
        operation: 'restore',
        'database-url': maria.url('shop'),
        target: maria.url('shop2'),
        path: store(),
        name: 'shop',
        'age-identity': identity
      }
    })
    expect(restored.exitCode).toBe(0)
    expect(await maria.sql('select group_concat(v order by id) from t', 'shop2')).toBe('a,b')
    const verified = await runBundle('backup', {
      inputs: {
        operation: 'verify',
        'database-url': maria.url('shop'),
        path: store(),
        name: 'shop',
        'age-identity': identity
      }
    })
    expect(verified.exitCode).toBe(0)
    expect(verified.outputs.verified).toBe('true')
    for (const run of [backup, noKey, restored, verified]) expectNoSecrets(run)
  })

  it('lists and prunes (dry run first); a dry-run backup changes nothing', async () => {
    const listed = await runBundle('backup', { inputs: { operation: 'list', path: store() } })
    expect(listed.exitCode).toBe(0)
    const backups = JSON.parse(listed.outputs.backups)
    expect(backups.map((m: { name: string }) => m.name).sort()).toEqual(['app', 'shop'])
    const before = readdirSync(store()).sort()
    const dry = await runBundle('backup', {
      inputs: { 'database-url': pg.url('app'), path: store(), 'dry-run': true }
    })
    expect(dry.exitCode).toBe(0)
    expect(dry.summary).toContain('Backup plan (dry run)')
    expect(dry.summary).toContain('pg_dump --format=custom')
    expect(readdirSync(store()).sort()).toEqual(before)
    expectNoSecrets(dry)
    const dryVerify = await runBundle('backup', {
      inputs: {
        operation: 'verify',
        'database-url': pg.url('app'),
        path: store(),
        name: 'app',
        'dry-run': true
      }
    })
    expect(dryVerify.exitCode).toBe(0)
    expect(dryVerify.summary).toContain('Verify plan (dry run)')
    expect(dryVerify.outputs.verified).toBeUndefined()
    const dryRestore = await runBundle('backup', {
      inputs: {
        operation: 'restore',
        'database-url': pg.url('app'),
        path: store(),
        name: 'app',
        'dry-run': true
      }
    })
    expect(dryRestore.exitCode).toBe(0) // the target is not empty, but a dry run only plans
    expect(dryRestore.summary).toContain('Restore plan (dry run)')
    expect(dryRestore.summary).toContain('refused if the target is not empty')
    expect(
      await pg.sql("select count(*) from pg_database where datname like 'slipway_verify_%'")
    ).toBe('0')
    for (const run of [dryVerify, dryRestore]) expectNoSecrets(run)
    // A second app backup, then keep only the newest per name.
    expect(
      (
        await runBundle('backup', {
          inputs: { 'database-url': pg.url('app'), path: store(), compression: 'none' }
        })
      ).exitCode
    ).toBe(0)
    const dryPrune = await runBundle('backup', {
      inputs: { operation: 'prune', path: store(), 'keep-last': 1, 'dry-run': true }
    })
    expect(JSON.parse(dryPrune.outputs.deleted)).toHaveLength(1)
    expect(readdirSync(store())).toHaveLength(before.length + 2)
    const pruned = await runBundle('backup', {
      inputs: { operation: 'prune', path: store(), 'keep-last': 1 }
    })
    expect(pruned.exitCode).toBe(0)
    expect(pruned.outputs.deleted).toBe(dryPrune.outputs.deleted)
    expect(readdirSync(store())).toHaveLength(before.length)
    expect(pruned.summary).toContain('🗑 deleted')
  })

  it('detects a corrupted backup (verify fails with a clear error, nothing restored)', async () => {
    const dir = join(root, 'corrupt-store')
    const made = await runBundle('backup', { inputs: { 'database-url': pg.url('app'), path: dir } })
    const file = join(dir, JSON.parse(made.outputs.manifest).file)
    const bytes = readFileSync(file)
    bytes[100] ^= 0x01
    writeFileSync(file, bytes)
    const run = await runBundle('backup', {
      inputs: { operation: 'verify', 'database-url': pg.url('app'), path: dir }
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors[0]).toMatch(
      /verify failed: backup app-.* is corrupted or truncated: sha256 [0-9a-f]{64} does not match/
    )
    expect(
      await pg.sql("select count(*) from pg_database where datname like 'slipway_verify_%'")
    ).toBe('0')
  })

  it.each([
    [
      'engine',
      { engine: 'oracle', 'database-url': 'postgres://u:pg-Secret-Pa55word-x1@127.0.0.1:1/db' },
      /Input 'engine': expected one of postgres, mysql, mariadb, sqlite, files/
    ],
    [
      'database-url (unreachable)',
      { 'database-url': 'postgres://postgres:pg-Secret-Pa55word-x1@127.0.0.1:1/app' },
      /Input 'database-url': expected a reachable PostgreSQL database/
    ],
    [
      'database-url (malformed)',
      { 'database-url': 'postgres://postgres:pg-Secret-Pa55word-x1@[::1/app' },
      /Input 'database-url': expected a URL like postgres:\/\//
    ],
    [
      'operation',
      { operation: 'copy', 'database-url': 'postgres://h/db' },
      /Input 'operation': expected one of backup, restore, verify, list, prune/
    ],
    [
      'compression',
      { compression: 'lz4', 'database-url': 'postgres://h/db' },
      /Input 'compression'/
    ],
    [
      'encrypt-recipients',
      { 'encrypt-recipients': 'not-a-key', 'database-url': 'postgres://h/db' },
      /Input 'encrypt-recipients': expected age recipients/
    ],
    [
      'path',
      { store: 'dir', 'database-url': 'postgres://h/db' },
      /Input 'path': expected the directory of the dir store/
    ]
  ])(
    'bad input %s: InputError naming it, exit 1, nothing written, no password',
    async (_label: string, inputs: Record<string, string>, message: RegExp) => {
      const dir = join(root, `bad-${Math.random().toString(36).slice(2)}`)
      const run = await runBundle('backup', {
        inputs: { path: inputs.store ? undefined : dir, ...inputs }
      })
      expect(run.exitCode).toBe(1)
      expect(run.annotations.errors).toHaveLength(1)
      expect(run.annotations.errors[0]).toMatch(message)
      expect(existsSync(dir) && readdirSync(dir).length > 0).toBe(false)
      expectNoSecrets(run)
    }
  )
})
