/** One entry of `helm history -o json`. */
export interface HelmRevision {
  revision: number
  status: string
  description: string
  chart?: string
  app_version?: string
  updated?: string
}

const PREFIX = 'Slipway: '

/** The release description Slipway gives a revision: it names the version it runs. */
export function describeVersion(version: string): string {
  return `${PREFIX}${version}`
}

/**
 * The revision whose chart, values and image a revision runs: itself, or for `Rollback to N`
 * the source of revision N (followed for as many rollbacks as the history holds). Undefined
 * when the history no longer holds the revision or the one it rolled back to.
 */
export function sourceOf(history: HelmRevision[], revision: number): HelmRevision | undefined {
  const seen = new Set<number>()
  let current = history.find(r => r.revision === revision)
  while (current && !seen.has(current.revision)) {
    seen.add(current.revision)
    const to = /^Rollback to (\d+)$/.exec(current.description)?.[1]
    if (!to) return current
    current = history.find(r => r.revision === Number(to))
  }
  return undefined
}

/** The Slipway version a revision runs: the description of the revision it is the source of. */
export function versionOf(history: HelmRevision[], revision: number): string | undefined {
  const description = sourceOf(history, revision)?.description
  return description?.startsWith(PREFIX) ? description.slice(PREFIX.length) : undefined
}

/** The revision in service (status deployed), if any. */
export function deployedRevision(history: HelmRevision[]): HelmRevision | undefined {
  return [...history].reverse().find(r => r.status === 'deployed')
}

/**
 * The newest revision that ran `version` and completed (deployed or superseded): what a return
 * to that version rolls back to. Failed and pending revisions never count.
 */
export function revisionRunning(
  history: HelmRevision[],
  version: string
): HelmRevision | undefined {
  return [...history]
    .reverse()
    .find(
      r =>
        (r.status === 'deployed' || r.status === 'superseded') &&
        versionOf(history, r.revision) === version
    )
}

/** `helm history -o json` output, checked for the fields read. */
export function parseHistory(text: string): HelmRevision[] {
  const parsed: unknown = JSON.parse(text)
  if (!Array.isArray(parsed)) throw new Error('helm history did not answer a list')
  return parsed.map(entry => {
    const e = entry as Partial<HelmRevision>
    if (typeof e.revision !== 'number' || typeof e.status !== 'string')
      throw new Error(`helm history answered an entry without revision or status`)
    return { ...e, description: e.description ?? '' } as HelmRevision
  })
}
