import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join, resolve } from 'node:path'
import { UserError } from '@slipway/kit'
import { MANIFEST_SUFFIX, manifestFileName, parseManifest, skippedManifest } from '../manifest.js'
import type { Manifest } from '../types.js'
import type { Store, StoreOptions } from './store.js'

/**
 * A local or mounted directory. The data file is written as `<file>.partial` and renamed
 * when complete, and the manifest is written last (atomically, by rename): a backup without
 * a manifest is incomplete and is never listed or restored. Dumps and manifests are 0600 and a
 * store directory we create is 0700: a dump holds every row of the database.
 */
export function dirStore(path: string, options: StoreOptions = {}): Store {
  const root = resolve(path)
  const warn = options.warn ?? (() => undefined)
  return {
    kind: 'dir',
    describe: () => root,
    async stage(file) {
      mkdirSync(root, { recursive: true, mode: 0o700 })
      return join(root, `${file}.partial`)
    },
    async commit(manifest, staged) {
      const final = join(root, manifest.file)
      renameSync(staged, final)
      const temp = join(root, `.${manifestFileName(manifest.id)}.tmp`)
      writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 })
      renameSync(temp, join(root, manifestFileName(manifest.id)))
      return final
    },
    async abort(staged) {
      rmSync(staged, { force: true })
    },
    async list() {
      if (!existsSync(root)) return []
      const manifests: Manifest[] = []
      for (const name of readdirSync(root)) {
        if (!name.endsWith(MANIFEST_SUFFIX) || name.startsWith('.')) continue
        let manifest: Manifest
        try {
          manifest = parseManifest(readFileSync(join(root, name), 'utf8'), name)
        } catch (error) {
          // Never skipped silently: `latest` would quietly become an older backup.
          warn(skippedManifest(name, (error as Error).message))
          continue
        }
        const data = join(root, manifest.file)
        const stat = existsSync(data) ? lstatSync(data) : undefined
        if (!stat?.isFile()) {
          warn(skippedManifest(name, `its backup file ${manifest.file} is missing`))
          continue
        }
        if (stat.size !== manifest.size) {
          // Listed all the same: restoring it fails on its checksum instead of taking another.
          warn(
            `backup ${manifest.id} (${name}) does not match its manifest: ${manifest.file} has ${stat.size} bytes instead of ${manifest.size}; restoring it will fail its sha256 check`
          )
        }
        manifests.push(manifest)
      }
      return manifests
    },
    async open(manifest) {
      const file = join(root, manifest.file)
      if (!existsSync(file) || !statSync(file).isFile())
        throw new UserError(
          `backup file ${file} is missing`,
          'restore another backup-id; this one was removed from the store'
        )
      return { path: file, release: async () => undefined }
    },
    location: manifest => join(root, manifest.file),
    async delete(manifest) {
      // Manifest first: a half-deleted backup must not look complete.
      rmSync(join(root, manifestFileName(manifest.id)), { force: true })
      rmSync(join(root, manifest.file), { force: true })
    }
  }
}
