import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateIdentity, identityToRecipient } from 'age-encryption'
import { runBundle } from '../helpers/run-bundle.js'
import { startArtifactEmulator, type ArtifactEmulator } from '../artifact-emulator/server.js'

let emu: ArtifactEmulator
let root: string
const sqlite = (db: string, sql: string): string =>
  execFileSync('sqlite3', ['-batch', db, sql], { encoding: 'utf8' }).trim()

beforeAll(async () => {
  emu = await startArtifactEmulator()
  root = mkdtempSync(join(tmpdir(), 'slipway-backup-artifact-'))
  sqlite(
    join(root, 'app.db'),
    "create table t (id integer primary key, v text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into t select i, 'v' || i from n;"
  )
})

afterAll(async () => {
  await emu?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

describe('artifact store (against the artifact service emulator)', () => {
  const db = (): string => join(root, 'app.db')

  it('uploads the backup and its manifest as two raw artifacts, then lists, restores and verifies', async () => {
    const made = await runBundle('backup', {
      inputs: {
        'database-url': `sqlite://${db()}`,
        store: 'artifact',
        'allow-unencrypted-artifact': true,
        'retention-days': 3
      },
      env: emu.env
    })
    expect(made.annotations.errors).toEqual([])
    expect(made.exitCode).toBe(0)
    const manifest = JSON.parse(made.outputs.manifest)
    expect(made.outputs.location).toMatch(new RegExp(`^artifact ${manifest.file} \\(id \\d+\\)$`))
    const names = emu.artifacts.map(a => a.name).sort()
    expect(names).toEqual([manifest.file, `${manifest.id}.manifest.json`].sort())
    const data = emu.artifacts.find(a => a.name === manifest.file)!
    expect(createHash('sha256').update(data.data).digest('hex')).toBe(manifest.sha256)
    expect(data.hash).toBe(`sha256:${manifest.sha256}`)
    expect(data.expiresAt).toBeDefined()
    expect(emu.validationErrors).toEqual([])

    const listed = await runBundle('backup', {
      inputs: { operation: 'list', store: 'artifact' },
      env: emu.env
    })
    expect(JSON.parse(listed.outputs.backups).map((m: { id: string }) => m.id)).toEqual([
      manifest.id
    ])

    const target = join(root, 'restored.db')
    const restored = await runBundle('backup', {
      inputs: { operation: 'restore', store: 'artifact', target, 'backup-id': manifest.id },
      env: emu.env
    })
    expect(restored.annotations.errors).toEqual([])
    expect(sqlite(target, 'select count(*), sum(length(v)) from t')).toBe(
      sqlite(db(), 'select count(*), sum(length(v)) from t')
    )

    const verified = await runBundle('backup', {
      inputs: { operation: 'verify', store: 'artifact', 'database-url': db() },
      env: emu.env
    })
    expect(verified.outputs.verified).toBe('true')
  })

  it('prunes artifacts by keep-last; a failing service call fails the step', async () => {
    const second = await runBundle('backup', {
      inputs: {
        'database-url': db(),
        engine: 'sqlite',
        store: 'artifact',
        'allow-unencrypted-artifact': true
      },
      env: emu.env
    })
    expect(second.exitCode).toBe(0)
    expect(emu.artifacts).toHaveLength(4)
    const pruned = await runBundle('backup', {
      inputs: { operation: 'prune', store: 'artifact', 'keep-last': 1 },
      env: emu.env
    })
    expect(pruned.exitCode).toBe(0)
    expect(JSON.parse(pruned.outputs.deleted)).toHaveLength(1)
    expect(emu.artifacts.map(a => a.name).sort()).toEqual(
      [
        `${second.outputs['backup-id']}.manifest.json`,
        JSON.parse(second.outputs.manifest).file
      ].sort()
    )
    emu.faults.failNext('CreateArtifact', 400)
    const failed = await runBundle('backup', {
      inputs: {
        'database-url': db(),
        engine: 'sqlite',
        store: 'artifact',
        'allow-unencrypted-artifact': true
      },
      env: emu.env
    })
    expect(failed.exitCode).toBe(1)
    expect(failed.annotations.errors[0]).toMatch(/backup failed: .*CreateArtifact/)
    expect(emu.artifacts).toHaveLength(2)
  })

  it('refuses an unencrypted backup unless allowed, and says how to encrypt or opt in', async () => {
    const before = emu.artifacts.length
    const creates = (): number =>
      emu.requests.filter(r => r.path.endsWith('/CreateArtifact')).length
    const createsBefore = creates()
    const refused = await runBundle('backup', {
      inputs: { 'database-url': db(), engine: 'sqlite', store: 'artifact' },
      env: emu.env
    })
    expect(refused.exitCode).toBe(1)
    expect(refused.annotations.errors[0]).toMatch(
      /Input 'encrypt-recipients': expected age recipients/
    )
    expect(refused.annotations.errors[0]).toContain('allow-unencrypted-artifact: true')
    expect(emu.artifacts).toHaveLength(before)
    expect(creates()).toBe(createsBefore) // refused before anything was dumped or uploaded

    const identity = await generateIdentity()
    const encrypted = await runBundle('backup', {
      inputs: {
        'database-url': db(),
        engine: 'sqlite',
        store: 'artifact',
        'encrypt-recipients': await identityToRecipient(identity)
      },
      env: emu.env
    })
    expect(encrypted.annotations.errors).toEqual([])
    expect(encrypted.exitCode).toBe(0)
    expect(JSON.parse(encrypted.outputs.manifest).encryption.type).toBe('age')
    expect(emu.artifacts).toHaveLength(before + 2)
  })

  it('warns naming a damaged manifest artifact instead of silently listing an older backup', async () => {
    const newest = emu.artifacts[emu.artifacts.length - 1]
    expect(newest.name).toMatch(/\.manifest\.json$/)
    newest.data = Buffer.from('{"version": 1, "id": ')
    newest.size = newest.data.length
    const listed = await runBundle('backup', {
      inputs: { operation: 'list', store: 'artifact' },
      env: emu.env
    })
    expect(listed.exitCode).toBe(0)
    expect(listed.annotations.warnings).toEqual([
      expect.stringContaining(`skipped backup manifest ${newest.name}`)
    ])
    expect(listed.annotations.warnings[0]).toMatch(/not valid JSON.*latest may be an older backup/)
    expect(JSON.parse(listed.outputs.backups).map((m: { id: string }) => m.id)).not.toContain(
      newest.name.replace(/\.manifest\.json$/, '')
    )
  })
})
