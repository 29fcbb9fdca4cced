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
 * elsewhere is an error.
 */
export async function ensureTag(
  store: ReleaseStore,
  tag: string,
  sha: string,
  message: string
): Promise<TagOutcome> {
  const existing = await store.tagCommit(tag)
  if (existing) {
    if (existing !== sha) throw pointsElsewhere(tag, existing, sha)
    return 'exists'
  }
  try {
    await store.createAnnotatedTag(tag, sha, message)
    return 'created'
  } catch (error) {
    // Another run (or a retried request that did succeed) created it meanwhile.
    if (!(error instanceof ReleaseConflict)) throw error
    const now = await store.tagCommit(tag)
    if (now === sha) return 'exists'
    if (now) throw pointsElsewhere(tag, now, sha)
    throw error
  }
}

/** Points the floating major tag (`v1`) at `sha`, creating it when missing. */
export async function moveTag(
  store: ReleaseStore,
  tag: string,
  sha: string
): Promise<'created' | 'moved' | 'unchanged'> {
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
