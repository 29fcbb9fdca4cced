import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { generateIdentity, identityToRecipient } from 'age-encryption'
import { backup, dirStore, list, restore } from '@slipway/backup'
import { InputError } from '@slipway/kit'
import { restoreData, type DataRestore } from '@slipway/rollback'
import { tempDir } from '../services/process.js'

// Before a restore, the rollback backs up the live data (the bad version's, kept so the
// rollback can itself be undone). When the backups are encrypted, that one must be too: the
// rollback knows the age identity, and so the recipient to encrypt to.

const dirs: string[] = []
afterAll(() => dirs.forEach(dir => rmSync(dir, { recursive: true, force: true })))

const SECRET_ROW = 'card-4111-1111-1111-1111'

/** A SQLite database holding a secret row, its store, and the backup the deploy recorded. */
async function scene(recipients: string[], identities: string[]) {
  const dataDir = tempDir('rollback-enc-data')
  const storeDir = tempDir('rollback-enc-store')
  dirs.push(dataDir, storeDir)
  const db = join(dataDir, 'app.db')
  const sql = (statement: string): string =>
    execFileSync('sqlite3', [db, statement], { encoding: 'utf8' }).trim()
  sql(
    `CREATE TABLE payments (id INTEGER PRIMARY KEY, card TEXT); INSERT INTO payments (card) VALUES ('${SECRET_ROW}');`
  )
  const store = dirStore(storeDir)
  const recorded = await backup({
    source: { url: `sqlite://${db}` },
    store,
    recipients,
    identities,
    verify: true
  })
  // the bad version adds a row the fresh backup must keep
  sql("INSERT INTO payments (card) VALUES ('added-by-the-bad-version');")
  const data: DataRestore = {
    store,
    source: { url: `sqlite://${db}`, input: 'database-url' },
    identities,
    describe: 'test'
  }
  return { db, sql, store, storeDir, data, recordedId: recorded.manifest!.id }
}

/** The fresh backup's manifest and the bytes of its dump file. */
async function freshBackup(storeDir: string, freshId: string) {
  const manifests = await list({ store: dirStore(storeDir) })
  const manifest = manifests.find(m => m.id === freshId)!
  return { manifest, bytes: readFileSync(join(storeDir, manifest.file)) }
}

describe('the fresh backup before a restore', () => {
  it('is encrypted to the recipient of the age identity the rollback restores with', async () => {
    const identity = await generateIdentity()
    const recipient = await identityToRecipient(identity)
    const s = await scene([recipient], [identity])
    const lines: string[] = []
    const outcome = await restoreData(s.data, s.recordedId, line => lines.push(line))
    expect(outcome.freshVerified).toBe(true)
    expect(s.sql('SELECT count(*) FROM payments')).toBe('1')

    const fresh = await freshBackup(s.storeDir, outcome.freshBackupId)
    expect(fresh.manifest.encryption?.type).toBe('age')
    expect(fresh.manifest.encryption?.recipients).toHaveLength(1)
    expect(fresh.bytes.subarray(0, 21).toString()).toBe('age-encryption.org/v1')
    expect(fresh.bytes.includes(Buffer.from(SECRET_ROW))).toBe(false)

    // and the identity opens it: the rollback can itself be undone
    await restore({
      store: s.store,
      id: outcome.freshBackupId,
      target: { url: `sqlite://${s.db}`, input: 'database-url' },
      identities: [s.data.identities![0]],
      clean: true
    })
    expect(s.sql('SELECT count(*) FROM payments')).toBe('2')
  })

  it('without an identity (backups in clear) stays in clear', async () => {
    const s = await scene([], [])
    const outcome = await restoreData(s.data, s.recordedId, () => undefined)
    const fresh = await freshBackup(s.storeDir, outcome.freshBackupId)
    expect(fresh.manifest.encryption ?? null).toBeNull()
  })

  it('an identity that is not an age identity is an InputError that never echoes it', async () => {
    const s = await scene([], [])
    const before = (await list({ store: s.store })).length
    const bad = { ...s.data, identities: ['not-a-key-but-secret'] }
    const attempt = restoreData(bad, s.recordedId, () => undefined)
    await expect(attempt).rejects.toThrow(InputError)
    await expect(restoreData(bad, s.recordedId, () => undefined)).rejects.toThrow(
      "Input 'age-identity': expected an age identity"
    )
    await expect(restoreData(bad, s.recordedId, () => undefined)).rejects.not.toThrow(
      'not-a-key-but-secret'
    )
    // nothing was written and nothing restored
    expect((await list({ store: s.store })).length).toBe(before)
    expect(s.sql('SELECT count(*) FROM payments')).toBe('2')
  })
})
