import type { ConventionalCommit } from './commits.js'

/** A notes section: commits of these types, under this title. */
export interface Section {
  type: string
  title: string
}

/** The sections shown by default, in this order (the conventionalcommits preset's visible types). */
export const DEFAULT_SECTIONS: Section[] = [
  { type: 'feat', title: 'Features' },
  { type: 'feature', title: 'Features' },
  { type: 'fix', title: 'Bug Fixes' },
  { type: 'perf', title: 'Performance Improvements' },
  { type: 'revert', title: 'Reverts' }
]

export const BREAKING_TITLE = '⚠ BREAKING CHANGES'

export interface NotesOptions {
  version: string
  tag: string
  previousTag?: string
  /** `https://github.com/owner/repo`; without it, nothing is linked. */
  repoUrl?: string
  /** The release date (YYYY-MM-DD); the target commit's date keeps re-runs identical. */
  date: string
  /** Extra sections after the default ones (`docs: Documentation`, …). */
  extraSections?: Section[]
}

/**
 * Release notes in the conventional-changelog style: a heading with the compare link, then
 * ⚠ BREAKING CHANGES, Features, Bug Fixes, Performance Improvements, Reverts and any extra
 * sections; scopes in bold, each entry linked to its commit, #issues and @people linked.
 */
export function renderNotes(commits: ConventionalCommit[], options: NotesOptions): string {
  const links = linksOf(options.repoUrl)
  const { repoUrl } = options
  const title =
    options.previousTag && repoUrl
      ? `[${options.version}](${repoUrl}/compare/${encodeRef(options.previousTag)}...${encodeRef(options.tag)})`
      : options.version
  const lines: string[] = [`## ${title} (${options.date})`]

  const breaking: string[] = []
  for (const commit of commits) {
    for (const text of commit.breaking)
      breaking.push(entry(commit, text || commit.subject, links, false))
  }
  if (breaking.length > 0) lines.push('', `### ${BREAKING_TITLE}`, '', ...breaking)

  const sections = [...DEFAULT_SECTIONS, ...(options.extraSections ?? [])]
  const titles: string[] = []
  const byTitle = new Map<string, ConventionalCommit[]>()
  for (const section of sections) {
    if (!byTitle.has(section.title)) {
      byTitle.set(section.title, [])
      titles.push(section.title)
    }
  }
  const typeToTitle = new Map<string, string>()
  for (const section of sections)
    if (!typeToTitle.has(section.type)) typeToTitle.set(section.type, section.title)
  for (const commit of commits) {
    const sectionTitle = commit.type ? typeToTitle.get(commit.type) : undefined
    if (sectionTitle) byTitle.get(sectionTitle)!.push(commit)
  }
  for (const sectionTitle of titles) {
    const entries = byTitle.get(sectionTitle)!
    if (entries.length === 0) continue
    // Scoped entries first, grouped by scope (as conventional-changelog sorts them), then by subject.
    const sorted = [...entries].sort(
      (a, b) =>
        compareText(a.scope ?? '\uffff', b.scope ?? '\uffff') || compareText(a.subject, b.subject)
    )
    lines.push(
      '',
      `### ${sectionTitle}`,
      '',
      ...sorted.map(commit => entry(commit, commit.subject, links, true))
    )
  }
  return `${lines.join('\n')}\n`
}

/** The repository's URL and its server, worked out once per notes rather than per entry. */
interface Links {
  repoUrl: string
  server: () => string
}

function linksOf(repoUrl: string | undefined): Links | undefined {
  if (!repoUrl) return undefined
  let server: string | undefined
  // Parsed when first needed, as before: notes that link nothing never parse the URL.
  return { repoUrl, server: () => (server ??= new URL(repoUrl).origin) }
}

function entry(
  commit: ConventionalCommit,
  text: string,
  links: Links | undefined,
  withRefs: boolean
): string {
  const scope = commit.scope ? `**${commit.scope}:** ` : ''
  const short = commit.hash.slice(0, 7)
  const hash = links ? `[${short}](${links.repoUrl}/commit/${commit.hash})` : short
  const linked = linkText(text, links)
  let suffix = ''
  if (withRefs && commit.references.length > 0) {
    const mentioned = new Set((text.match(/#\d+/g) ?? []).map(ref => ref.slice(1)))
    const closes = commit.references
      .filter(
        ref =>
          ref.action && !(ref.owner === null && ref.repository === null && mentioned.has(ref.issue))
      )
      .map(ref => reference(ref.owner, ref.repository, ref.prefix, ref.issue, links))
    if (closes.length > 0) suffix = `, closes ${closes.join(', ')}`
  }
  return `* ${scope}${linked} (${hash})${suffix}`
}

/** Links `#12`, `owner/repo#12` and `@user` in a subject. */
function linkText(text: string, links: Links | undefined): string {
  if (!links) return text
  let linked = text
  // Most subjects name no issue and no person: skip the replacements for them.
  if (linked.includes('#'))
    linked = linked.replace(
      /(^|[\s(])(?:([\w.-]+)\/([\w.-]+))?#(\d+)\b/g,
      (_all, lead: string, owner?: string, repo?: string, issue?: string) =>
        `${lead}${reference(owner ?? null, repo ?? null, '#', issue!, links)}`
    )
  if (linked.includes('@'))
    linked = linked.replace(
      /(^|\s)@([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,38}[a-zA-Z0-9])?)\b/g,
      (_all, lead: string, user: string) => `${lead}[@${user}](${links.server()}/${user})`
    )
  return linked
}

function reference(
  owner: string | null,
  repository: string | null,
  prefix: string,
  issue: string,
  links: Links | undefined
): string {
  const label = `${owner && repository ? `${owner}/${repository}` : (repository ?? '')}${prefix}${issue}`
  if (!links) return label
  const base = owner && repository ? `${links.server()}/${owner}/${repository}` : links.repoUrl
  return `[${label}](${base}/issues/${issue})`
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function encodeRef(ref: string): string {
  return ref.split('/').map(encodeURIComponent).join('/')
}

/** Parses `type: Title` pairs (`docs: Documentation, refactor: Code Refactoring`). */
export function parseSections(items: string[]): Section[] | undefined {
  const sections: Section[] = []
  for (const item of items) {
    const match = /^([\w-]+)\s*[:=]\s*(.+)$/.exec(item.trim())
    if (!match) return undefined
    sections.push({ type: match[1].toLowerCase(), title: match[2].trim() })
  }
  return sections
}
