// The parser options of the conventionalcommits preset (conventional-changelog-conventionalcommits
// src/parser.js), so we read messages exactly as conventional-changelog does: `!` headers,
// BREAKING CHANGE / BREAKING-CHANGE footers, `Revert "…"` and `revert: …` messages.
// A module of its own: the settings parse reads the header pattern (a package's scope), and
// importing it from the commits module would load conventional-commits-parser, and node:stream
// behind it, at every start.
export const PARSER_OPTIONS = {
  headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\((.*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\./i,
  revertCorrespondence: ['header', 'hash'],
  issuePrefixes: ['#']
}
