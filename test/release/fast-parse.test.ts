import { describe, expect, test } from '@jest/globals'
import { CommitParser } from 'conventional-commits-parser'
import { PARSER_OPTIONS, bumpOf, parseCommits, renderNotes, type RawCommit } from '@slipway/release'
import {
  createParser,
  parseMessage,
  readsWithoutParser
} from '../../packages/release/src/commits.js'

/**
 * The plan reads most messages without conventional-commits-parser (a measured speed-up, see
 * bench/results/release.md). Whatever path a message takes, the answer must be the parser's:
 * the same fields for every message, the same version and the same notes for every history.
 */

// Messages chosen to sit on each edge of the fast path's rule, then generated ones.
const HAND = [
  'feat: add a thing',
  'feat(api): add a thing',
  'feat(api)!: drop a thing',
  'feat!: drop a thing',
  'Feat(API): Upper case type and scope',
  'FIX: shouting',
  'feat:no space after the colon',
  'feat(): empty scope',
  '(scope): no type',
  ': nothing but a subject',
  'feat(a)(b): two scopes',
  'feat(a): subject (with parentheses)',
  'feat: ',
  'feat!:',
  'feat!: ',
  'a free-form message',
  'Merge branch main into topic',
  '\n\nfeat: leading newlines',
  '  feat: leading spaces',
  '\tfix: leading tab',
  'feat: trailing spaces   ',
  'feat:\ttab separator',
  'feat: x\n\nA body line.\n\nAnother paragraph.',
  'feat: x\n\n\n\n',
  'fix: x\n\n---\n\nA markdown rule is a -field- line to the parser.',
  'fix: x\n-type-\nchore',
  'fix: x\n-subject-\nreplaced',
  'fix: x\n-notes-\nfield',
  'fix: x\n- a list item -',
  'fix: x\n-',
  'fix: x\r\n\r\nWindows line endings',
  'fix: carriage\rreturn',
  'feat: x (#12)',
  'feat: x #12',
  'fix: x\n\nCloses #3',
  'fix: x\n\nfixes octo/other#9, resolves #10',
  'fix: x\n\nRefs #4\nsee gh-5',
  'feat: x\n\nBREAKING CHANGE: y',
  'feat: x\n\nbreaking change: lower case keyword',
  'feat: x\n\n  * BREAKING-CHANGE y',
  'feat: x\n\n| BREAKING CHANGE: in a table',
  'feat: x\n\nBREAKING CHANGES are mentioned here',
  'feat: x\n\nA body that says breaking in passing.',
  'feat!: x\n\nBREAKING CHANGE: an explicit note wins over the header',
  'chore!: breaking chore',
  'Revert "feat: x"\n\nThis reverts commit abcdef1.',
  'revert: feat: x\n\nThis reverts commit abcdef1.',
  'Revert "feat: x"',
  'reverting is not a revert',
  'fix: x\n\nrevert later',
  'gpg: Signature made today\nfeat: after a gpg line',
  'feat: x\ngpg: a gpg line in the body',
  'feat: x\n\nRelease-As: 2.0.0',
  'feat: x\n\nrelease-as: 3.1.4',
  'feat: 日本語の件名',
  'feat: line\u2028separator',
  'feat: x\n-a\u2028b-',
  'feat(scope with space): x',
  'feat(sc#ope): x',
  'feat(a.b/c-d*e$f@g): x',
  'feat: thanks @hubot',
  'docs: see http://example.com/#anchor',
  'fix: x\n\nSigned-off-by: A <a@example.com>\nCo-authored-by: B <b@example.com>',
  'feat: x\n\n# a comment line',
  'wip',
  'x: y: z',
  'feat :space before colon',
  'feat-thing: hyphen in type',
  'feat_thing: underscore in type'
]

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const TYPES = ['feat', 'fix', 'perf', 'chore', 'docs', 'revert', 'Revert', 'FEAT', '', 'feat!']
const SCOPES = ['', '(api)', '(ui)', '()', '(a b)', '(x#1)', '(!)', '(a)(b)']
const MARKS = ['', '', '', '!']
const SEPARATORS = [': ', ': ', ':', ' : ', ':\t', '']
const WORDS = ['change', 'thing', '#12', 'owner/repo#3', '@user', 'http://x.y/#z', 'BREAKING']
const BODY = [
  'plain body text',
  '',
  'Closes #7',
  'fixes #1, #2',
  'BREAKING CHANGE: gone',
  'BREAKING-CHANGE: also gone',
  'breaking change: quiet',
  '-field-',
  '---',
  '- item -',
  'gpg: signature',
  'Release-As: 4.0.0',
  'This reverts commit 0123abc.',
  '  indented line',
  'line with \r carriage return',
  'text -with- dashes'
]

function generated(count: number, seed: number): string[] {
  const next = random(seed)
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]
  const messages: string[] = []
  for (let i = 0; i < count; i++) {
    const subject = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
      next() < 0.2 ? pick(WORDS) : `w${Math.floor(next() * 100)}`
    ).join(' ')
    const header = `${pick(TYPES)}${pick(SCOPES)}${pick(MARKS)}${pick(SEPARATORS)}${subject}`
    const lines = Array.from({ length: Math.floor(next() * 5) }, () =>
      next() < 0.5 ? pick(BODY) : `body ${i}`
    )
    const lead = next() < 0.1 ? '\n' : ''
    messages.push(`${lead}${header}${lines.length ? `\n\n${lines.join('\n')}` : ''}\n`)
  }
  return messages
}

const CORPUS = [...HAND, ...HAND.map(m => `${m}\n`), ...generated(4000, 20)]

/** What the release logic reads of a parse. */
function fields(commit: ReturnType<CommitParser['parse']> | ReturnType<typeof parseMessage>) {
  return {
    header: commit.header,
    type: commit.type ?? null,
    scope: commit.scope ?? null,
    subject: commit.subject ?? null,
    notes: commit.notes,
    references: commit.references,
    revert: commit.revert
  }
}

describe('reading messages without the parser', () => {
  test('the corpus takes both paths', () => {
    const fast = CORPUS.filter(readsWithoutParser).length
    expect(fast).toBeGreaterThan(CORPUS.length / 10)
    expect(CORPUS.length - fast).toBeGreaterThan(CORPUS.length / 10)
  })

  test('every message reads as conventional-commits-parser reads it', () => {
    const ours = createParser()
    const reference = new CommitParser(PARSER_OPTIONS)
    // The parser throws on a few odd messages (a `-notes-` line); those are read without it
    // (test/release/unreadable-message.test.ts) and left out of the comparison here.
    const attempt = (read: () => Parameters<typeof fields>[0]) => {
      try {
        return fields(read())
      } catch (error) {
        return { threw: String(error) }
      }
    }
    const differing = CORPUS.filter(message => message.trim())
      .map(message => ({
        message,
        ours: attempt(() => parseMessage(message, ours)),
        reference: attempt(() => reference.parse(message))
      }))
      .filter(x => !('threw' in x.reference))
      .filter(x => JSON.stringify(x.ours) !== JSON.stringify(x.reference))
    expect(differing.slice(0, 3)).toEqual([])
  })

  test('the same version and the same notes as with the parser alone', () => {
    const next = random(7)
    const readable = CORPUS.filter(message => {
      try {
        new CommitParser(PARSER_OPTIONS).parse(message)
        return true
      } catch {
        return false
      }
    })
    for (let history = 0; history < 40; history++) {
      const raw: RawCommit[] = Array.from({ length: 150 }, (_, i) => {
        const message = readable[Math.floor(next() * readable.length)]
        const hash = `${history.toString(16).padStart(4, '0')}${i.toString(16).padStart(36, '0')}`
        return {
          hash,
          parents: next() < 0.03 ? ['a', 'b'] : ['a'],
          date: '2026-01-01T00:00:00Z',
          author: 'A',
          message
        }
      })
      // A revert of a commit in the same history, so the revert filter runs too.
      raw.unshift({
        hash: 'f'.repeat(40),
        parents: ['a'],
        date: '2026-01-02T00:00:00Z',
        author: 'A',
        message: `Revert "${raw[10].message.split('\n')[0]}"\n\nThis reverts commit ${raw[10].hash}.\n`
      })
      const fast = parseCommits(raw)
      const parser = parseCommits(raw, { fastPath: false })
      expect(fast).toEqual(parser)
      const options = {
        version: '2.0.0',
        tag: 'v2.0.0',
        previousTag: 'v1.0.0',
        repoUrl: 'https://github.com/octo/app',
        date: '2026-01-02',
        extraSections: [{ type: 'docs', title: 'Documentation' }]
      }
      expect(renderNotes(fast, options)).toBe(renderNotes(parser, options))
      expect(bumpOf(fast)).toBe(bumpOf(parser))
    }
  })
})
