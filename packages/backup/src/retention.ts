import { InputError } from '@slipway/kit'
import { list } from './find.js'
import { byNewest } from './manifest.js'
import type { Store } from './stores/store.js'
import type { Manifest } from './types.js'

export interface RetentionPolicy {
  /** Keep at most this many backups per name. */
  keepLast?: number
  /** Delete backups older than this (milliseconds). */
  maxAgeMs?: number
}

/**
 * Which backups a policy deletes, per backup name: beyond the newest `keepLast`, or older
 * than `maxAgeMs`. The newest backup of each name is always kept, so pruning never leaves
 * a name with nothing to restore.
 */
export function selectForDeletion(
  manifests: Manifest[],
  policy: RetentionPolicy,
  now = Date.now()
): { keep: Manifest[]; remove: Manifest[] } {
  const keep: Manifest[] = []
  const remove: Manifest[] = []
  const byName = new Map<string, Manifest[]>()
  for (const manifest of manifests)
    byName.set(manifest.name, [...(byName.get(manifest.name) ?? []), manifest])
  for (const group of byName.values()) {
    group.sort(byNewest).forEach((manifest, index) => {
      const tooMany = policy.keepLast !== undefined && index >= policy.keepLast
      const tooOld =
        policy.maxAgeMs !== undefined && now - Date.parse(manifest.created) > policy.maxAgeMs
      if (index > 0 && (tooMany || tooOld)) remove.push(manifest)
      else keep.push(manifest)
    })
  }
  return { keep: keep.sort(byNewest), remove: remove.sort(byNewest) }
}

export interface PruneOptions extends RetentionPolicy {
  store: Store
  name?: string
  dryRun?: boolean
  now?: number
  log?: (message: string) => void
}

export interface PruneResult {
  dryRun: boolean
  kept: Manifest[]
  deleted: Manifest[]
}

export async function prune(options: PruneOptions): Promise<PruneResult> {
  if (options.keepLast === undefined && options.maxAgeMs === undefined) {
    throw new InputError('keep-last', 'a retention rule: keep-last and/or max-age', undefined)
  }
  if (options.keepLast !== undefined && options.keepLast < 1)
    throw new InputError('keep-last', 'a whole number of at least 1', String(options.keepLast))
  const { keep, remove } = selectForDeletion(
    await list({ store: options.store, name: options.name }),
    options,
    options.now
  )
  if (!options.dryRun) {
    for (const manifest of remove) {
      options.log?.(`Deleting backup ${manifest.id} (${manifest.created})`)
      await options.store.delete(manifest)
    }
  }
  return { dryRun: options.dryRun ?? false, kept: keep, deleted: remove }
}
