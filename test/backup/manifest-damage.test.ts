import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backup, dirStore, findBackup, list } from '@slipway/backup'

// A damaged manifest must never make `latest` quietly fall back to an older backup: the store
// says which file it skipped and why. Dumps and manifests are written for the owner only.

let root: string
let base: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-manifest-damage-'))
  base = join(root, 'site')
  mkdirSync(base)
  writeFileSync(join(base, 'index.html'), 'hello')
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const source = (): { engine: string; paths: string[]; baseDir: string } => ({
  engine: 'files',
  paths: ['index.html'],
  baseDir: base
})

describe('dir store manifests', () => {
  it('warns naming a newer manifest that does not parse, and that latest is an older backup', async () => {
    const warnings: string[] = []
    const path = join(root, 'unparsable')
    const store = dirStore(path, { warn: message => warnings.push(message) })
    const { manifest } = await backup({ source: source(), store, compression: 'none' })
    const damaged = 'files-29990101T000000Z-abcdef.manifest.json'
    writeFileSync(join(path, damaged), '{"version": 1, "id": "files-2999')
    const latest = await findBackup(store, 'latest')
    expect(latest.id).toBe(manifest!.id)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(damaged)
    expect(warnings[0]).toMatch(/not valid JSON/)
    expect(warnings[0]).toMatch(/latest may be an older backup/)
  })

  it('warns naming a backup whose data file no longer matches its manifest, and still lists it', async () => {
    const warnings: string[] = []
    const path = join(root, 'truncated')
    const store = dirStore(path, { warn: message => warnings.push(message) })
    const { manifest } = await backup({ source: source(), store, compression: 'none' })
    truncateSync(join(path, manifest!.file), 100)
    const listed = await list({ store })
    // Still listed: a restore of it fails on its checksum rather than silently taking another.
    expect(listed.map(m => m.id)).toEqual([manifest!.id])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`${manifest!.id}.manifest.json`)
    expect(warnings[0]).toContain(`100 bytes instead of ${manifest!.size}`)
  })

  it('warns naming a manifest whose data file is missing', async () => {
    const warnings: string[] = []
    const path = join(root, 'missing')
    const store = dirStore(path, { warn: message => warnings.push(message) })
    const { manifest } = await backup({ source: source(), store, compression: 'none' })
    rmSync(join(path, manifest!.file))
    expect(await list({ store })).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(`${manifest!.id}.manifest.json`)
    expect(warnings[0]).toContain(`${manifest!.file} is missing`)
  })

  it('writes the dump and the manifest 0600, and a new store directory 0700', async () => {
    const path = join(root, 'modes', 'store')
    const store = dirStore(path)
    const { manifest } = await backup({ source: source(), store, compression: 'gzip' })
    const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8)
    expect(mode(join(path, manifest!.file))).toBe('600')
    expect(mode(join(path, `${manifest!.id}.manifest.json`))).toBe('600')
    expect(mode(path)).toBe('700')
  })
})
