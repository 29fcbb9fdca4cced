import { CommitParser, type Commit, type CommitReference } from 'conventional-commits-parser'
import { filterRevertedCommitsSync } from 'conventional-commits-filter'
import type { RawCommit } from './git.js'
import { PARSER_OPTIONS } from './parser-options.js'

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

export { PARSER_OPTIONS }

const RELEASE_AS = /^Release-As:\s*(\S+)\s*$/im

/** What the release logic reads of a parsed message (the parser's `Commit` has more). */
export type ParsedMessage = Pick<Commit, 'header' | 'notes' | 'references' | 'revert'> & {
  type?: string | null
  scope?: string | null
  subject?: string | null
}

// Measured (bench/results/release.md): on 5,000 commits conventional-commits-parser spent most
// of the plan in its reference regex, which it runs on every header and body line even when
// the message holds no `#`. A message in which the parser can find nothing but its header is
// read here with the preset's own header patterns; a message with anything more — an issue
// prefix, a BREAKING CHANGE note, a revert, a `-field-` line, a gpg line, a carriage return —
// goes to the parser. The test in test/release/fast-parse.test.ts holds both to the same
// answers. Each alternative is wider than the parser's own rule (any line, any case), so a
// message is sent to the parser whenever the parser could see more than the header in it.
const NEEDS_PARSER = /#|breaking[ -]change|gpg:|\r|^revert|^-.*-$/im

/** True when `message` is read without conventional-commits-parser (see NEEDS_PARSER). */
export function readsWithoutParser(message: string): boolean {
  return !NEEDS_PARSER.test(message)
}

/**
 * Parses one message as conventional-commits-parser does with PARSER_OPTIONS, without the
 * parser when only the header can hold anything.
 */
export function parseMessage(message: string, parser: CommitParser): ParsedMessage {
  if (!readsWithoutParser(message)) return parseWithParser(message, parser)
  return readHeader(message)
}

/** The header alone, as the parser reads it, with a `!` header's breaking note. */
function readHeader(message: string): ParsedMessage {
  // The parser's header is the first line once leading newlines are dropped.
  let start = 0
  while (message.charCodeAt(start) === 10) start++
  const end = message.indexOf('\n', start)
  const header = end === -1 ? message.slice(start) : message.slice(start, end)
  const breaking = PARSER_OPTIONS.breakingHeaderPattern.exec(header)
  const match = breaking ?? PARSER_OPTIONS.headerPattern.exec(header)
  return {
    header,
    type: match?.[1] || null,
    scope: match?.[2] || null,
    subject: match?.[3] || null,
    notes: breaking ? [{ title: 'BREAKING CHANGE', text: breaking[3] }] : [],
    references: [],
    revert: null
  }
}

/**
 * conventional-commits-parser with one shortcut. Its reference regex is slow on lines without
 * an issue prefix (measured: 15 ms for the 714 messages with references among 5,000, 1.3 ms
 * with the shortcut) and can find nothing in them: every reference it returns contains the
 * prefix, and the regexes it uses are back at lastIndex 0 after each call. So a line without
 * the prefix is answered with no references without running the regex. Should a later version
 * of the parser rename the method, the shortcut is simply not taken.
 */
export function createParser(): CommitParser {
  const parser = new CommitParser(PARSER_OPTIONS)
  const internals = parser as unknown as { parseReferences?: (input: string) => unknown[] }
  const parseReferences = internals.parseReferences
  // Matched as the parser matches prefixes: any of them, in any case.
  const prefix = new RegExp(
    PARSER_OPTIONS.issuePrefixes.map(p => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    'i'
  )
  if (typeof parseReferences === 'function')
    internals.parseReferences = function (this: CommitParser, input: string) {
      // Anything but a line (the parser passes undefined past the last line) goes through as is.
      return typeof input === 'string' && !prefix.test(input)
        ? []
        : parseReferences.call(this, input)
    }
  return parser
}

const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:[ \t]*(.*)$/gm

/**
 * conventional-commits-parser throws a TypeError on some bodies (a `BREAKING CHANGE:` note
 * followed by a last `---` line, for one). A message the parser cannot read is read by its
 * header and its `BREAKING CHANGE:` footers, so the release neither fails on a commit message
 * nor misses a breaking change in it.
 */
function parseWithParser(message: string, parser: CommitParser): ParsedMessage {
  try {
    return parser.parse(message)
  } catch {
    const read = readHeader(message)
    const footers = [...message.matchAll(BREAKING_FOOTER)].map(m => ({
      title: 'BREAKING CHANGE',
      text: m[1].trim()
    }))
    return { ...read, notes: [...read.notes, ...footers] }
  }
}

export interface ParseCommitsOptions {
  /** False reads every message with conventional-commits-parser as it is (what the fast paths are held to). */
  fastPath?: boolean
}

/**
 * Parses commits (newest first) the way conventional-changelog does: merge commits are left
 * out (the preset reads `git log --no-merges`; the merged branch's own commits are still
 * there), and a revert of a commit in the same range cancels both.
 */
export function parseCommits(
  raw: RawCommit[],
  options: ParseCommitsOptions = {}
): ConventionalCommit[] {
  const reader = new CommitReader(options)
  for (const commit of raw) reader.add(commit)
  return reader.finish()
}

// Not `raw`: conventional-commits-filter matches a revert against `commit.raw` when it exists.
type Indexed = ParsedMessage & { hash: string; index: number; source: RawCommit }

/**
 * `parseCommits` one commit at a time, so the messages are parsed while `git log` still writes
 * (newest first, as git writes them); `finish` applies what needs the whole range (reverts).
 */
export class CommitReader {
  private readonly read: (message: string) => ParsedMessage
  private readonly parsed: Indexed[] = []
  private count = 0
  private reverts = false

  constructor(options: ParseCommitsOptions = {}) {
    const parser = options.fastPath === false ? new CommitParser(PARSER_OPTIONS) : createParser()
    this.read =
      options.fastPath === false
        ? (message: string): ParsedMessage => parseWithParser(message, parser)
        : (message: string): ParsedMessage => parseMessage(message, parser)
  }

  add(commit: RawCommit): void {
    const index = this.count++
    if (commit.parents.length > 1) return
    if (!commit.message.trim()) return
    const message = this.read(commit.message) as Indexed
    message.hash = commit.hash
    message.index = index
    message.source = commit
    if (message.revert) this.reverts = true
    this.parsed.push(message)
  }

  finish(): ConventionalCommit[] {
    // filterRevertedCommitsSync expects newest first (git log order) and matches a revert's
    // `header` + `hash` against the reverted commit. Without a revert it keeps everything in
    // order, so the common case skips it.
    const kept = this.reverts
      ? [...filterRevertedCommitsSync(this.parsed)].sort((a, b) => a.index - b.index)
      : this.parsed
    return kept.map(commit => toConventional(commit, commit.source))
  }
}

function toConventional(commit: ParsedMessage, raw: RawCommit): ConventionalCommit {
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
