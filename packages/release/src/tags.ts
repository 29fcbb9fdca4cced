import { UserError } from '@slipway/kit'
import { ReleaseConflict, type ReleaseStore, type TagOutcome } from './port.js'

export function pointsElsewhere(tag: string, actual: string, wanted: string): UserError {
  return new UserError(
    `Tag ${tag} already exists and points to ${actual.slice(0, 12)}, not to ${wanted.slice(0, 12)}. ` +
      'A release tag is never moved: delete it deliberately or release a new version ' +
      '(if the checkout lacks tags, check out with `fetch-depth: 0`).',
    'use actions/checkout with fetch-depth: 0, or delete the stray tag'
  )
}

/**
 * Creates the annotated tag `tag` at `sha`. Idempotent: a tag already at `sha` is fine; a tag
 * elsewhere is an error. Creating comes first and the tag is read only when that conflicts: a
 * release tag is new far more often than not, and on GitHub each read is a call. (A re-run
 * thereby leaves an unreferenced tag object behind, which git collects.)
 */
export async function ensureTag(
  store: ReleaseStore,
  tag: string,
  sha: string,
  message: string
): Promise<TagOutcome> {
  try {
    await store.createAnnotatedTag(tag, sha, message)
    return 'created'
  } catch (error) {
    // The tag exists: from an earlier run, another run, or a retried request that did succeed.
    if (!(error instanceof ReleaseConflict)) throw error
    const now = await store.tagCommit(tag)
    if (now === sha) return 'exists'
    if (now) throw pointsElsewhere(tag, now, sha)
    throw error
  }
}

/**
 * Points the floating major tag (`v1`) at `sha`, creating it when missing. When this store has
 * just created a release tag at `sha`, the major tag cannot point there yet: it is set in one
 * write without reading it first.
 */
export async function moveTag(
  store: ReleaseStore,
  tag: string,
  sha: string
): Promise<'created' | 'moved' | 'unchanged'> {
  const justTagged = [...(store.created?.entries() ?? [])].some(
    ([created, commit]) => created !== tag && commit === sha
  )
  if (justTagged && store.setTagRef) return store.setTagRef(tag, sha)
  const existing = await store.tagCommit(tag)
  if (existing === sha) return 'unchanged'
  if (existing) {
    await store.moveTagRef(tag, sha)
    return 'moved'
  }
  try {
    await store.createTagRef(tag, sha)
    return 'created'
  } catch (error) {
    if (!(error instanceof ReleaseConflict)) throw error
    await store.moveTagRef(tag, sha)
    return 'moved'
  }
}
