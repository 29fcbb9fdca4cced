import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, UserError } from '@slipway/kit'
import { parseLog, planRelease } from '@slipway/release'
import { GitFixture } from './git-fixture.js'

/**
 * The plan looks at the checkout, the sha and the tags side by side; whatever answers first,
 * a wrong checkout or sha is reported as such, and every tag still counts for a prerelease.
 */

const cleanup: Array<() => void> = []
afterAll(() => cleanup.forEach(f => f()))

/** The error a plan fails with (the test fails when it succeeds). */
async function failure(plan: Promise<unknown>): Promise<Error> {
  const outcome = await plan.then(
    () => undefined,
    (error: unknown) => error as Error
  )
  if (!outcome) throw new Error('the plan succeeded')
  return outcome
}

async function repo(): Promise<GitFixture> {
  const r = await GitFixture.create()
  cleanup.push(() => r.remove())
  return r
}

describe('the checkout a plan reads', () => {
  test('a directory outside any repository is not a checkout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-not-git-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const error = await failure(planRelease({ cwd: dir, tagPrefix: 'v' }))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toMatch(/is not a git checkout: .*not a git repository/)
  })

  test('a repository without commits has nothing to release', async () => {
    const r = await repo()
    const error = await failure(planRelease({ cwd: r.dir, tagPrefix: 'v' }))
    expect(error).toBeInstanceOf(UserError)
    expect(error).not.toBeInstanceOf(InputError)
    expect(error.message).toMatch(/has no commit yet/)
  })

  test('a sha the checkout lacks is an input error naming sha and the value', async () => {
    const r = await repo()
    await r.commit('feat: a')
    const error = await failure(planRelease({ cwd: r.dir, tagPrefix: 'v', sha: 'no-such-commit' }))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(/sha/)
    expect(error.message).toMatch(/no-such-commit/)
  })

  test('a sha given as a tag name plans from the commit it points to', async () => {
    const r = await repo()
    await r.commit('feat: a')
    await r.tag('v1.0.0')
    const fix = await r.commit('fix: b')
    await r.tag('candidate')
    await r.commit('feat: later, not part of the candidate')
    const p = await planRelease({ cwd: r.dir, tagPrefix: 'v', sha: 'candidate' })
    expect(p).toMatchObject({ sha: fix, previousTag: 'v1.0.0', version: '1.0.1' })
    expect(p.commits.map(c => c.hash)).toEqual([fix])
  })

  test('a prerelease counts the channel tags of other branches', async () => {
    const r = await repo()
    await r.commit('feat: a')
    await r.tag('v1.0.0')
    await r.git('checkout', '--quiet', '-b', 'other')
    await r.commit('feat: elsewhere')
    await r.tag('v1.1.0-rc.4')
    await r.git('checkout', '--quiet', 'main')
    await r.commit('feat: here')
    const p = await planRelease({ cwd: r.dir, tagPrefix: 'v', prerelease: 'rc' })
    expect(p.version).toBe('1.1.0-rc.5')
    expect(p.previousTag).toBe('v1.0.0')
  })
})

describe('reading git log output', () => {
  test('fields, parents and whole messages, with or without a newline between records', () => {
    const record = (hash: string, parents: string, message: string) =>
      [hash, parents, '2026-01-01T00:00:00Z', 'A Person', message].join('\x1f')
    const text = `${record('a1', 'p1', 'feat: one\n\nbody\n')}\0\n${record('b2', 'p1 p2', 'Merge\n')}\0${record('c3', '', 'fix: root\n')}\0`
    expect(parseLog(text)).toEqual([
      {
        hash: 'a1',
        parents: ['p1'],
        date: '2026-01-01T00:00:00Z',
        author: 'A Person',
        message: 'feat: one\n\nbody\n'
      },
      {
        hash: 'b2',
        parents: ['p1', 'p2'],
        date: '2026-01-01T00:00:00Z',
        author: 'A Person',
        message: 'Merge\n'
      },
      {
        hash: 'c3',
        parents: [],
        date: '2026-01-01T00:00:00Z',
        author: 'A Person',
        message: 'fix: root\n'
      }
    ])
    expect(parseLog('')).toEqual([])
  })
})
