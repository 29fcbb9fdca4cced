import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from './index.js'
import { api } from './test-helpers.js'

let gh: Emulator
let r: string
beforeEach(async () => {
  gh = await startEmulator()
  r = `/repos/${gh.owner}/${gh.repo}`
})
afterEach(async () => {
  await gh.close()
})

describe('pull requests', () => {
  test('create, list by head, update, close: GitHub answers and state', async () => {
    const head = gh.state.addCommit({ message: 'chore: release 1.0.0', branch: 'rel' })
    const created = await api(gh, 'POST', `${r}/pulls`, {
      title: 'release 1.0.0',
      body: 'notes',
      head: 'rel',
      base: 'main'
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ number: 1, state: 'open', merged: false })
    expect(created.body.head).toMatchObject({ ref: 'rel', sha: head })

    const again = await api(gh, 'POST', `${r}/pulls`, { title: 't', head: 'rel', base: 'main' })
    expect(again.status).toBe(422)
    expect(JSON.stringify(again.body)).toContain('A pull request already exists')

    const listed = await api(gh, 'GET', `${r}/pulls?head=${gh.owner}:rel&state=open`)
    expect(listed.body.map((p: { number: number }) => p.number)).toEqual([1])
    const other = await api(gh, 'GET', `${r}/pulls?head=${gh.owner}:nope`)
    expect(other.body).toEqual([])

    // The open pull request follows its branch.
    const moved = gh.state.addCommit({ message: 'chore: release 1.1.0', branch: 'rel' })
    const got = await api(gh, 'GET', `${r}/pulls/1`)
    expect(got.body.head.sha).toBe(moved)

    const closed = await api(gh, 'PATCH', `${r}/pulls/1`, { state: 'closed', body: 'gone' })
    expect(closed.body).toMatchObject({ state: 'closed', body: 'gone', merged: false })
    expect((await api(gh, 'GET', `${r}/pulls`)).body).toEqual([])
    expect((await api(gh, 'GET', `${r}/pulls?state=closed`)).body).toHaveLength(1)
  })

  test('a head branch that does not exist, or equals the base: 422', async () => {
    expect(
      (await api(gh, 'POST', `${r}/pulls`, { title: 't', head: 'x', base: 'main' })).status
    ).toBe(422)
    gh.state.setRef('refs/heads/same', gh.state.headOf())
    expect(
      (await api(gh, 'POST', `${r}/pulls`, { title: 't', head: 'same', base: 'main' })).status
    ).toBe(422)
    expect(gh.state.pulls.list).toEqual([])
  })

  test('merge state and the pull requests of a commit', async () => {
    const head = gh.state.addCommit({ message: 'chore: release', branch: 'rel' })
    await api(gh, 'POST', `${r}/pulls`, { title: 't', head: 'rel', base: 'main' })
    expect((await api(gh, 'GET', `${r}/commits/${head}/pulls`)).body).toHaveLength(1)
    const merge = gh.state.addCommit({
      message: 'Merge pull request #1',
      parents: [gh.state.headOf(), head]
    })
    gh.state.pulls.merge(1, merge)
    const pr = (await api(gh, 'GET', `${r}/pulls/1`)).body
    expect(pr).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: merge })
    expect(pr.merged_at).not.toBeNull()
    const ofMerge = (await api(gh, 'GET', `${r}/commits/${merge}/pulls`)).body
    expect(ofMerge.map((p: { number: number }) => p.number)).toEqual([1])
    expect((await api(gh, 'PATCH', `${r}/pulls/1`, { state: 'open' })).status).toBe(422)
  })

  test('comments and labels', async () => {
    gh.state.addCommit({ message: 'chore: release', branch: 'rel' })
    await api(gh, 'POST', `${r}/pulls`, { title: 't', head: 'rel', base: 'main' })
    await api(gh, 'POST', `${r}/issues/1/comments`, { body: 'released' })
    const comments = (await api(gh, 'GET', `${r}/issues/1/comments`)).body
    expect(comments.map((c: { body: string }) => c.body)).toEqual(['released'])
    await api(gh, 'POST', `${r}/issues/1/labels`, { labels: ['a', 'b'] })
    await api(gh, 'DELETE', `${r}/issues/1/labels/a`)
    const labels = (await api(gh, 'GET', `${r}/issues/1/labels`)).body
    expect(labels.map((l: { name: string }) => l.name)).toEqual(['b'])
    expect((await api(gh, 'GET', `${r}/issues/9/comments`)).status).toBe(404)
  })

  test('branches pushed to the linked bare repository are what the API sees', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'emulator-remote-'))
    const work = mkdtempSync(join(tmpdir(), 'emulator-work-'))
    try {
      const git = (cwd: string, ...args: string[]) =>
        execFileSync('git', args, {
          cwd,
          encoding: 'utf8',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'a',
            GIT_AUTHOR_EMAIL: 'a@example.com',
            GIT_COMMITTER_NAME: 'a',
            GIT_COMMITTER_EMAIL: 'a@example.com'
          }
        }).trim()
      git(bare, 'init', '--bare', '--quiet')
      git(work, 'init', '--quiet', '--initial-branch=main')
      git(work, 'commit', '--quiet', '--allow-empty', '-m', 'feat: a')
      git(work, 'push', '--quiet', bare, 'HEAD:refs/heads/main', 'HEAD:refs/heads/base')
      git(work, 'commit', '--quiet', '--allow-empty', '-m', 'chore: release')
      git(work, 'push', '--quiet', bare, 'HEAD:refs/heads/rel')
      gh.state.linkGitRemote(bare)
      const created = await api(gh, 'POST', `${r}/pulls`, { title: 't', head: 'rel', base: 'base' })
      expect(created.status).toBe(201)
      expect(created.body.head.sha).toBe(git(work, 'rev-parse', 'HEAD'))
    } finally {
      rmSync(bare, { recursive: true, force: true })
      rmSync(work, { recursive: true, force: true })
    }
  })
})
