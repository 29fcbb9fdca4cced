import { existsSync, readFileSync, writeFileSync } from 'node:fs'

export interface ChangelogResult {
  file: string
  /** False when the file already had this version's section (a re-run). */
  changed: boolean
}

const TITLE = '# Changelog'

/**
 * Prepends the notes to a CHANGELOG.md under its `# Changelog` title (created when missing).
 * Idempotent: a file that already has a section for this version is left alone.
 */
export function prependChangelog(file: string, notes: string, version: string): ChangelogResult {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : ''
  const heading = new RegExp(`^##\\s+\\[?${version.replace(/[.+]/g, '\\$&')}\\]?[\\s(]`, 'm')
  if (heading.test(current)) return { file, changed: false }
  let head = TITLE
  let rest = current.trimStart()
  const titled = /^#\s[^\n]*\n?/.exec(rest)
  if (titled) {
    head = titled[0].trimEnd()
    rest = rest.slice(titled[0].length).trimStart()
  }
  const text = `${head}\n\n${notes.trimEnd()}\n${rest ? `\n${rest.trimEnd()}\n` : ''}`
  writeFileSync(file, text)
  return { file, changed: true }
}
