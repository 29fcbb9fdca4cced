import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join, resolve } from 'node:path'
import { MANIFEST_SUFFIX, manifestFileName, parseManifest } from '../manifest.js'
import type { Manifest } from '../types.js'
import type { Store } from './store.js'

/**
 * A local or mounted directory. The data file is written as `<file>.partial` and renamed
 * when complete, and the manifest is written last (atomically, by rename): a backup without
 * a manifest is incomplete and is never listed or restored.
 */
export function dirStore(path: string): Store {
  const root = resolve(path)
  return {
    kind: 'dir',
    describe: () => root,
    async stage(file) {
      mkdirSync(root, { recursive: true })
      return join(root, `${file}.partial`)
    },
    async commit(manifest, staged) {
      const final = join(root, manifest.file)
      renameSync(staged, final)
      const temp = join(root, `.${manifestFileName(manifest.id)}.tmp`)
      writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`)
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
        try {
          const manifest = parseManifest(readFileSync(join(root, name), 'utf8'), name)
          if (existsSync(join(root, manifest.file))) manifests.push(manifest)
        } catch {
          // Foreign or damaged JSON files in a shared directory are not ours to judge here.
        }
      }
      return manifests
    },
    async open(manifest) {
      const file = join(root, manifest.file)
      if (!existsSync(file) || !statSync(file).isFile())
        throw new Error(`backup file ${file} is missing`)
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
