import type { ReleaseStore } from '@slipway/release'

export interface ReleaseMark {
  tag: string
  action: 'annotated' | 'already annotated' | 'no release' | 'failed'
  url?: string
  prerelease?: boolean
  detail?: string
}

export const MARK_PREFIX = '> ⚠ **Rolled back**'

/** tag-and-release's default: versions `1.2.0` are tagged `v1.2.0`. */
export const DEFAULT_TAG_PREFIX = 'v'

/**
 * The tags a deployed version's release may carry, most likely first. The deployment records
 * the version as given (`1.2.0`, or the tag itself `v1.2.0`): a version that already carries
 * the prefix is its own tag (never `vv1.2.0`), otherwise the prefixed tag, then the bare
 * version for projects whose tags are plain versions.
 */
export function releaseTags(version: string, tagPrefix = DEFAULT_TAG_PREFIX): string[] {
  if (!tagPrefix || version.startsWith(tagPrefix)) return [version]
  return [`${tagPrefix}${version}`, version]
}

/**
 * Annotates the bad version's release: a ⚠ rolled-back line before its notes and, where
 * allowed, prerelease so it no longer shows as latest. Idempotent: a marked release is left.
 */
export async function markRelease(options: {
  releases: ReleaseStore
  /** The bad version as recorded; its release tag comes from `releaseTags`. */
  version: string
  tagPrefix?: string
  to: string
  environment: string
  deploymentId: number
  reason?: string
  markPrerelease: boolean
}): Promise<ReleaseMark> {
  const tags = releaseTags(options.version, options.tagPrefix)
  const release = await options.releases.findRelease(tags)
  if (!release)
    return { tag: tags[0], action: 'no release', detail: `looked for ${tags.join(', ')}` }
  const tag = release.tag_name
  const body = release.body ?? ''
  if (body.startsWith(MARK_PREFIX))
    return {
      tag,
      action: 'already annotated',
      url: release.html_url,
      prerelease: release.prerelease
    }
  const line = `${MARK_PREFIX} in ${options.environment} on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: back to ${options.to} (deployment #${options.deploymentId})${options.reason ? `. Reason: ${options.reason}` : ''}`
  const prerelease = options.markPrerelease && !release.draft ? true : release.prerelease
  const update = (fields: { body: string; prerelease?: boolean }) =>
    options.releases.updateRelease(release.id, fields)
  try {
    await update({ body: `${line}\n\n${body}`, prerelease })
    return { tag, action: 'annotated', url: release.html_url, prerelease }
  } catch (error) {
    // An immutable release may refuse some changes: keep the note, leave the flag.
    if (prerelease === release.prerelease) throw error
    await update({ body: `${line}\n\n${body}` })
    return {
      tag,
      action: 'annotated',
      url: release.html_url,
      prerelease: release.prerelease,
      detail: 'prerelease flag refused'
    }
  }
}
