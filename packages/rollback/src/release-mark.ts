import type { GitHubClient, RepoRef } from '@slipway/github'
import { findRelease } from '@slipway/release'

export interface ReleaseMark {
  tag: string
  action: 'annotated' | 'already annotated' | 'no release' | 'failed'
  url?: string
  prerelease?: boolean
  detail?: string
}

export const MARK_PREFIX = '> ⚠ **Rolled back**'

/**
 * Annotates the bad version's release: a ⚠ rolled-back line before its notes and, where
 * allowed, prerelease so it no longer shows as latest. Idempotent: a marked release is left.
 */
export async function markRelease(options: {
  client: GitHubClient
  repo: RepoRef
  tag: string
  to: string
  environment: string
  deploymentId: number
  reason?: string
  markPrerelease: boolean
}): Promise<ReleaseMark> {
  const release = await findRelease(options.client, options.repo, options.tag)
  if (!release) return { tag: options.tag, action: 'no release' }
  const body = release.body ?? ''
  if (body.startsWith(MARK_PREFIX))
    return {
      tag: options.tag,
      action: 'already annotated',
      url: release.html_url,
      prerelease: release.prerelease
    }
  const line = `${MARK_PREFIX} in ${options.environment} on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: back to ${options.to} (deployment #${options.deploymentId})${options.reason ? `. Reason: ${options.reason}` : ''}`
  const prerelease = options.markPrerelease && !release.draft ? true : release.prerelease
  const update = (fields: { body: string; prerelease?: boolean }) =>
    options.client.rest.repos.updateRelease({ ...options.repo, release_id: release.id, ...fields })
  try {
    await update({ body: `${line}\n\n${body}`, prerelease })
    return { tag: options.tag, action: 'annotated', url: release.html_url, prerelease }
  } catch (error) {
    // An immutable release may refuse some changes: keep the note, leave the flag.
    if (prerelease === release.prerelease) throw error
    await update({ body: `${line}\n\n${body}` })
    return {
      tag: options.tag,
      action: 'annotated',
      url: release.html_url,
      prerelease: release.prerelease,
      detail: 'prerelease flag refused'
    }
  }
}
