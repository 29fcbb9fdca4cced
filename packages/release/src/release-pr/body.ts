/**
 * The release pull request's title and body. The body is for people (version, notes, the
 * files that change) and carries the release in a hidden marker, so the run after the merge
 * releases exactly what was reviewed, even when the notes were edited in the pull request.
 */

export interface ReleaseProposal {
  tag: string
  version: string
  previousTag?: string
  bump: string
  prerelease: boolean
  notes: string
  /** `path: old → new` lines, and the changelog. */
  changes: string[]
}

const MARKER = /<!-- slipway-release (\{[^\n]*\}) -->/
const NOTES_BEGIN = '<!-- slipway-notes-begin -->'
const NOTES_END = '<!-- slipway-notes-end -->'

export const PENDING_LABEL = 'slipway: pending'
export const RELEASED_LABEL = 'slipway: released'

export function proposalTitle(base: string, version: string, component?: string): string {
  return `chore(${base}): release ${component ? `${component} ` : ''}${version}`
}

export function proposalBody(proposal: ReleaseProposal): string {
  const { tag, version, previousTag, bump, prerelease, notes, changes } = proposal
  const meta = JSON.stringify({ tag, version, prerelease })
  return [
    `Merging this pull request releases **${tag}** (${bump}${previousTag ? ` from ${previousTag}` : ', the first release'}${prerelease ? ', prerelease' : ''}).`,
    '',
    `<!-- slipway-release ${meta} -->`,
    '',
    '### Files changed',
    '',
    ...changes.map(change => `- ${change}`),
    '',
    '### Release notes',
    '',
    NOTES_BEGIN,
    notes.trim(),
    NOTES_END,
    '',
    '---',
    'This pull request is kept up to date by Slipway on every push; edit the notes above before merging to change the release notes.',
    ''
  ].join('\n')
}

/** The release a merged release pull request stands for, or undefined when the body has none. */
export function readProposal(
  body: string
): { tag: string; version: string; prerelease: boolean; notes: string } | undefined {
  const meta = MARKER.exec(body)
  if (!meta) return undefined
  let parsed: { tag?: unknown; version?: unknown; prerelease?: unknown }
  try {
    parsed = JSON.parse(meta[1]) as typeof parsed
  } catch {
    return undefined
  }
  if (typeof parsed.tag !== 'string' || typeof parsed.version !== 'string') return undefined
  const begin = body.indexOf(NOTES_BEGIN)
  const end = body.indexOf(NOTES_END)
  const notes = begin >= 0 && end > begin ? body.slice(begin + NOTES_BEGIN.length, end).trim() : ''
  return {
    tag: parsed.tag,
    version: parsed.version,
    prerelease: parsed.prerelease === true,
    notes
  }
}
