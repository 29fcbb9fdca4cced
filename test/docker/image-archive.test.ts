import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArchiveManifest, readArchiveImage } from '@slipway/providers'
import { exec } from '../services/process.js'

// The image id of a `docker save` tarball is read on the runner from its manifest.json (with
// tar, no shell), in both layouts Docker writes: legacy `<hex>.json` and OCI `blobs/sha256/<hex>`.

const dir = mkdtempSync(join(tmpdir(), 'slipway-archive-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const hex = 'ab'.repeat(32)

async function tarball(name: string, manifest: unknown): Promise<string> {
  const root = join(dir, `${name}-root`)
  mkdirSync(root, { recursive: true })
  writeFileSync(join(root, 'manifest.json'), JSON.stringify(manifest))
  const file = join(dir, `${name}.tar`)
  await exec('tar', ['-C', root, '-cf', file, 'manifest.json'], { timeoutMs: 10_000 })
  return file
}

describe('readArchiveImage', () => {
  test('legacy layout (Docker before 25)', async () => {
    const file = await tarball('legacy', [
      { Config: `${hex}.json`, RepoTags: ['slipway-test/app:1'], Layers: [] }
    ])
    await expect(readArchiveImage(file)).resolves.toEqual({
      id: `sha256:${hex}`,
      repoTags: ['slipway-test/app:1']
    })
  })

  test('OCI layout (Docker 25 and later)', async () => {
    const file = await tarball('oci', [
      { Config: `blobs/sha256/${hex}`, RepoTags: null, Layers: [] }
    ])
    await expect(readArchiveImage(file)).resolves.toEqual({ id: `sha256:${hex}`, repoTags: [] })
  })

  test('not a tarball: a clear error naming the file', async () => {
    const file = join(dir, 'plain.txt')
    writeFileSync(file, 'hello')
    await expect(readArchiveImage(file)).rejects.toThrow(/plain\.txt: cannot read manifest\.json/)
  })

  test('two images or a config that is not an image id are refused', () => {
    expect(() => parseArchiveManifest('[{},{}]', 'x.tar')).toThrow(/expected one image/)
    expect(() => parseArchiveManifest('[{"Config":"../etc/passwd"}]', 'x.tar')).toThrow(
      /names no image config/
    )
  })
})
