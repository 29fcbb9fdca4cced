import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CommandError, InputError, UserError, runChecked, trackedChildren } from '@slipway/kit'
import { parseLog, planRelease, readCommits, type RawCommit } from '@slipway/release'
import { streamRecords } from '../../packages/release/src/git.js'
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

describe('reading commits as git writes them', () => {
  /**
   * `count` commits in one fast-import stream. Most of the text is multi-byte, so the pipe's
   * chunks end inside a character; some messages hold a URL with a password.
   */
  async function history(count: number): Promise<GitFixture> {
    const r = await repo()
    let stream = ''
    for (let i = 1; i <= count; i++) {
      const message =
        i % 3 === 0
          ? `feat: größere Änderung ${i} ✓\n\nÜberall 日本語 ${'é日本'.repeat(20 + (i % 40))}\n`
          : i % 5 === 0
            ? `fix: mirror https://bot:hunter2secret@example.com/app.git ${i}\n`
            : `chore: change ${i}\n`
      const when = 1_700_000_000 + i * 60
      stream +=
        `commit refs/heads/main\nmark :${i}\n` +
        `author A <a@example.com> ${when} +0000\ncommitter A <a@example.com> ${when} +0000\n` +
        `data ${Buffer.byteLength(message)}\n${message}\n${i > 1 ? `from :${i - 1}\n` : ''}\n`
    }
    await runChecked('git', ['fast-import', '--quiet'], { cwd: r.dir, input: stream })
    await r.git('checkout', '--quiet', '-f', 'main')
    return r
  }

  test('every commit, whole and in order, however the output is cut into chunks', async () => {
    const r = await history(3000)
    const seen: RawCommit[] = []
    const commits = await readCommits({ cwd: r.dir, to: 'HEAD', onCommit: c => seen.push(c) })
    // The same output read in one piece: kit's run, split by parseLog.
    const whole = await runChecked(
      'git',
      ['log', '-z', '--format=%H%x1f%P%x1f%cI%x1f%an%x1f%B', 'HEAD', '--'],
      { cwd: r.dir, maxOutputBytes: 64 * 1024 * 1024 }
    )
    expect(commits).toHaveLength(3000)
    expect(seen).toEqual(commits)
    expect(commits).toEqual(parseLog(whole.stdout))
    expect(commits[0].message).toBe(
      `feat: größere Änderung 3000 ✓\n\nÜberall 日本語 ${'é日本'.repeat(20)}\n`
    )
    const mirrored = commits.find(c => c.message.startsWith('fix: mirror'))!
    expect(mirrored.message).not.toContain('hunter2secret')
    expect(mirrored.message).toContain('https://bot:***@example.com/app.git')
  })

  test('a range git cannot read fails with git’s message', async () => {
    const r = await repo()
    await r.commit('feat: a')
    const error = await readCommits({ cwd: r.dir, to: 'HEAD', from: 'f'.repeat(40) }).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error).toBeInstanceOf(CommandError)
    expect(error!.message).toMatch(/git exited with code 128: fatal: bad (object|revision)/)
  })

  test('a consumer that throws fails the read after git is done', async () => {
    const r = await history(50)
    const error = await readCommits({
      cwd: r.dir,
      to: 'HEAD',
      onCommit: () => {
        throw new Error('consumer broke')
      }
    }).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toBe('consumer broke')
  })
})

describe('records streamed from a program', () => {
  test('a character cut between two writes arrives whole; the last record needs no NUL', async () => {
    // 'é' is two bytes: the first write ends after its first byte.
    const writer = [
      'const text = Buffer.from("first é\\0second ✓")',
      'process.stdout.write(text.subarray(0, 7))',
      'setTimeout(() => process.stdout.write(text.subarray(7)), 100)'
    ].join(';')
    const records: string[] = []
    const result = await streamRecords(process.execPath, ['-e', writer], {
      cwd: process.cwd(),
      timeoutMs: 60_000,
      onRecord: record => records.push(record)
    })
    expect(result.exitCode).toBe(0)
    expect(records).toEqual(['first é', 'second ✓'])
  })
})

describe('the previous release, guessed early and confirmed', () => {
  test('a higher stable tag the commit does not reach is not the previous release', async () => {
    const r = await repo()
    await r.commit('chore: root')
    // A branch from before v1.0.0 with a higher tag: reading from it would take v1.0.0's commit too.
    await r.git('checkout', '--quiet', '-b', 'old')
    await r.commit('feat!: on another branch')
    await r.tag('v2.0.0')
    await r.git('checkout', '--quiet', 'main')
    await r.commit('feat: base')
    await r.tag('v1.0.0')
    const fix = await r.commit('fix: on main')
    const p = await planRelease({ cwd: r.dir, tagPrefix: 'v' })
    expect(p).toMatchObject({ previousTag: 'v1.0.0', version: '1.0.1' })
    expect(p.commits.map(c => c.hash)).toEqual([fix])
  })

  test('a reading that is stopped fails and leaves no git running', async () => {
    const r = await repo()
    await r.commit('feat: a')
    const controller = new AbortController()
    controller.abort()
    await expect(
      readCommits({ cwd: r.dir, to: 'HEAD', signal: controller.signal })
    ).rejects.toBeInstanceOf(CommandError)
    expect(trackedChildren()).toEqual([])
  })
})
