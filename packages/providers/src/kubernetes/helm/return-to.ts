import { revisionRunning, versionOf, type HelmRevision } from './history.js'

/** The revision a return to a version rolls back to, and how it was chosen (for the log). */
export type ReturnTo =
  { revision: HelmRevision; recorded: boolean; note: string } | { refused: string }

/**
 * Why the history does not let a return use the recorded revision, if it does not: Helm no
 * longer holds it, it never completed, or it names another version (the release was installed
 * again and numbers its revisions afresh). A revision without a Slipway description is taken
 * on the record's word.
 */
function unusable(history: HelmRevision[], revision: number, version: string): string | undefined {
  const entry = history.find(r => r.revision === revision)
  if (!entry) return 'is not in the release history'
  if (entry.status !== 'deployed' && entry.status !== 'superseded')
    return `is ${entry.status}, not a completed revision`
  const runs = versionOf(history, revision)
  if (runs !== undefined && runs !== version) return `runs ${runs}, not ${version}`
  return undefined
}

/**
 * Where a return to `version` goes. The revision its record names when there is one, so that
 * what comes back is exactly what that deploy ran, even if a later revision also claims the
 * version. A record without one (written before revisions were recorded) falls back to the
 * newest completed revision that ran the version, and so does a recorded revision the history
 * cannot vouch for, said so in the note. A recorded revision with no such fallback is refused.
 * Undefined: no record and no revision of the version.
 */
export function returnTo(
  release: string,
  history: HelmRevision[],
  version: string,
  recorded?: number
): ReturnTo | undefined {
  const newest = revisionRunning(history, version)
  if (recorded === undefined)
    return (
      newest && {
        revision: newest,
        recorded: false,
        note: `no revision recorded for ${version}; revision ${newest.revision} is the newest that ran it (helm history)`
      }
    )
  const problem = unusable(history, recorded, version)
  if (!problem)
    return {
      revision: history.find(r => r.revision === recorded)!,
      recorded: true,
      note: `revision ${recorded} is the one recorded for ${version}`
    }
  if (newest)
    return {
      revision: newest,
      recorded: false,
      note: `the recorded revision ${recorded} of ${version} ${problem}; revision ${newest.revision} is the newest that ran ${version} (helm history)`
    }
  return {
    refused: `release ${release} cannot return to ${version}: the recorded revision ${recorded} ${problem}, and no other completed revision of ${version} is (helm history)`
  }
}
