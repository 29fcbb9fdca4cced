import { InputError } from '@slipway/kit'
import { byNewest } from './manifest.js'
import type { Store } from './stores/store.js'
import type { Engine, Manifest } from './types.js'

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

/** What `latest` may pick: only backups of these engines, and of this source. */
export interface Selection {
  /** Engines a backup may have (a bare path may be a SQLite file or a directory). */
  engines: Engine[]
  /** The source the caller named: only its backups are taken (none: refused). */
  source?: string
  /**
   * The restore target: when backups of it exist (an in-place restore), only those are taken;
   * otherwise the backups must all come from one source, or the choice is refused.
   */
  target?: string
}

/**
 * The source of a backup as a comparable key: the engine family and where the data lives,
 * without the user or password (`postgres://app:***@db:5432/app` → `postgres://db:5432/app`).
 */
export function sourceKey(source: string): string {
  return source
    .replace(/^(mariadb|mysql):\/\//i, 'mysql://')
    .replace(/^postgresql:\/\//i, 'postgres://')
    .replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1')
}

const family = (engine: string): string => (engine === 'mariadb' ? 'mysql' : engine)
const describeEngines = (engines: Engine[]): string =>
  [...new Set(engines.flatMap(e => (family(e) === 'mysql' ? ['mysql', 'mariadb'] : [e])))].join(
    ' or '
  )

/** A backup by id, or the newest (`latest`, optionally of one name, of one engine and source). */
export async function findBackup(
  store: Store,
  id: string | undefined,
  name?: string,
  selection?: Selection
): Promise<Manifest> {
  const manifests = await list({ store, name })
  if (id && id !== 'latest') {
    const found = manifests.find(m => m.id === id) ?? (await store.list()).find(m => m.id === id)
    if (!found)
      throw new InputError('backup-id', `the id of a backup in ${store.describe()} (or latest)`, id)
    return found
  }
  const named = name ? ` named ${name}` : ''
  if (!selection) {
    const newest = manifests[0]
    if (!newest)
      throw new InputError(
        'backup-id',
        `latest, but ${store.describe()} holds no backups${named}`,
        id ?? 'latest'
      )
    return newest
  }
  const families = new Set(selection.engines.map(family))
  const ofEngine = manifests.filter(m => families.has(family(m.engine)))
  if (ofEngine.length === 0)
    throw new InputError(
      'backup-id',
      `latest, but ${store.describe()} holds no ${describeEngines(selection.engines)} backups${named}`,
      id ?? 'latest'
    )
  if (selection.source !== undefined) {
    const wanted = sourceKey(selection.source)
    const newest = ofEngine.find(m => sourceKey(m.source) === wanted)
    if (!newest)
      throw new InputError(
        'backup-id',
        `latest, but ${store.describe()} holds no backups${named} of ${selection.source}`,
        id ?? 'latest'
      )
    return newest
  }
  if (selection.target !== undefined) {
    const inPlace = sourceKey(selection.target)
    const newest = ofEngine.find(m => sourceKey(m.source) === inPlace)
    if (newest) return newest
  }
  const sources = [...new Set(ofEngine.map(m => m.source))]
  if (new Set(sources.map(sourceKey)).size > 1)
    throw new InputError(
      name ? 'backup-id' : 'name',
      `one source to restore from: ${store.describe()} holds backups${named} of ${sources.length} sources (${sources.join(', ')}); name the backup-id${name ? '' : ', a name'} or the source`,
      name ?? undefined
    )
  return ofEngine[0]
}
