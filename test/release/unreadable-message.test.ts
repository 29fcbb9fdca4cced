import { describe, expect, test } from '@jest/globals'
import { CommitParser } from 'conventional-commits-parser'
import { PARSER_OPTIONS, bumpOf, parseCommits, type RawCommit } from '@slipway/release'

/**
 * Some bodies make conventional-commits-parser throw. A release must neither fail on such a
 * commit message nor lose the breaking change it announces.
 */
const UNREADABLE = 'feat(api): drop the v1 routes\n\nBREAKING CHANGE: /v1 is gone\n---'

function commit(message: string, hash: string): RawCommit {
  return { hash, parents: ['p'], date: '2026-01-01T00:00:00Z', author: 'a', message }
}

describe('a message conventional-commits-parser cannot read', () => {
  test('the parser itself throws on it (so the test below is about a real case)', () => {
    expect(() => new CommitParser(PARSER_OPTIONS).parse(UNREADABLE)).toThrow(TypeError)
  })

  test.each([true, false])(
    'is read by its header and BREAKING CHANGE footer (fast path %s)',
    fastPath => {
      const commits = parseCommits(
        [commit('fix: a small thing', 'b'.repeat(40)), commit(UNREADABLE, 'a'.repeat(40))],
        { fastPath }
      )
      expect(commits[1]).toMatchObject({
        type: 'feat',
        scope: 'api',
        subject: 'drop the v1 routes',
        breaking: ['/v1 is gone']
      })
      expect(bumpOf(commits)).toBe('major')
    }
  )

  test('a `-notes-` line the parser trips on leaves the header to read', () => {
    const message = 'fix: keep the cache warm\n-notes-\nfield'
    expect(() => new CommitParser(PARSER_OPTIONS).parse(message)).toThrow(TypeError)
    const [read] = parseCommits([commit(message, 'c'.repeat(40))], { fastPath: false })
    expect(read).toMatchObject({ type: 'fix', subject: 'keep the cache warm', breaking: [] })
  })
})
