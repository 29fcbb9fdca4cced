import { InputError } from '@slipway/kit'
import { byNewest } from './manifest.js'
import type { Store } from './stores/store.js'
import type { Manifest } from './types.js'

export interface ListOptions {
  store: Store
  /** Only backups with this name. */
  name?: string
  engine?: string
}

/** Complete backups in the store, newest first. */
export async function list(options: ListOptions): Promise<Manifest[]> {
  const all = await options.store.list()
  return all
    .filter(
      m =>
        (!options.name || m.name === options.name) &&
        (!options.engine || m.engine === options.engine)
    )
    .sort(byNewest)
}

/** A backup by id, or the newest (`latest`, optionally of one name). */
export async function findBackup(
  store: Store,
  id: string | undefined,
  name?: string
): Promise<Manifest> {
  const manifests = await list({ store, name })
  if (!id || id === 'latest') {
    const newest = manifests[0]
    if (!newest)
      throw new InputError(
        'backup-id',
        `latest, but ${store.describe()} holds no backups${name ? ` named ${name}` : ''}`,
        id ?? 'latest'
      )
    return newest
  }
  const found = manifests.find(m => m.id === id) ?? (await store.list()).find(m => m.id === id)
  if (!found)
    throw new InputError('backup-id', `the id of a backup in ${store.describe()} (or latest)`, id)
  return found
}
