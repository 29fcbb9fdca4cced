import { CommitParser, type Commit, type CommitReference } from 'conventional-commits-parser'
import { filterRevertedCommitsSync } from 'conventional-commits-filter'
import type { RawCommit } from './git.js'

/** A commit as the release logic sees it. */
export interface ConventionalCommit {
  hash: string
  date: string
  author: string
  /** Conventional type (`feat`, `fix`, …), `revert` for reverts, undefined for a free-form message. */
  type?: string
  scope?: string
  subject: string
  header: string
  /** Texts of BREAKING CHANGE notes (from a footer or a `!` header). */
  breaking: string[]
  /** Issues and pull requests named in the message (`#12`, `closes #3`, `owner/repo#4`). */
  references: CommitReference[]
  /** Set when this commit reverts another one. */
  revert?: { header?: string; hash?: string }
  /** The version a `Release-As: x.y.z` footer asks for (validated later). */
  releaseAs?: string
}

// The parser options of the conventionalcommits preset (conventional-changelog-conventionalcommits
// src/parser.js), so we read messages exactly as conventional-changelog does: `!` headers,
// BREAKING CHANGE / BREAKING-CHANGE footers, `Revert "…"` and `revert: …` messages.
export const PARSER_OPTIONS = {
  headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\((.*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\./i,
  revertCorrespondence: ['header', 'hash'],
  issuePrefixes: ['#']
}

const RELEASE_AS = /^Release-As:\s*(\S+)\s*$/im

/**
 * Parses commits (newest first) the way conventional-changelog does: merge commits are left
 * out (the preset reads `git log --no-merges`; the merged branch's own commits are still
 * there), and a revert of a commit in the same range cancels both.
 */
export function parseCommits(raw: RawCommit[]): ConventionalCommit[] {
  const parser = new CommitParser(PARSER_OPTIONS)
  const parsed: Array<Commit & { hash: string; index: number }> = []
  raw.forEach((commit, index) => {
    if (commit.parents.length > 1) return
    if (!commit.message.trim()) return
    parsed.push(
      Object.assign(parser.parse(commit.message), { hash: commit.hash, index }) as Commit & {
        hash: string
        index: number
      }
    )
  })
  // filterRevertedCommitsSync expects newest first (git log order) and matches a revert's
  // `header` + `hash` against the reverted commit.
  const kept = [...filterRevertedCommitsSync(parsed)].sort((a, b) => a.index - b.index)
  return kept.map(commit => toConventional(commit, raw[commit.index]))
}

function toConventional(commit: Commit, raw: RawCommit): ConventionalCommit {
  const header = commit.header ?? raw.message.split('\n')[0]
  const revert = commit.revert
    ? { header: commit.revert.header ?? undefined, hash: commit.revert.hash ?? undefined }
    : undefined
  const type = revert ? 'revert' : commit.type ? String(commit.type).toLowerCase() : undefined
  return {
    hash: raw.hash,
    date: raw.date,
    author: raw.author,
    type,
    scope: commit.scope ?? undefined,
    subject: revert ? (revert.header ?? header) : (commit.subject ?? header),
    header,
    breaking: commit.notes.map(note => note.text),
    references: commit.references,
    revert,
    releaseAs: RELEASE_AS.exec(raw.message)?.[1]
  }
}
