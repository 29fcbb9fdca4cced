import { afterAll, afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs, InputError, runChecked, type RunnerEnv } from '@slipway/kit'
import {
  GitHubPullRequestStore,
  GitHubReleaseStore,
  parseReleaseSettings,
  runRelease,
  type ReleaseResult
} from '@slipway/release'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { GitFixture } from './git-fixture.js'

// Several runs per test against a live emulator and real git: deadlines for a busy machine.
jest.setTimeout(120_000)
process.env.SLIPWAY_GITHUB_WRITE_INTERVAL_MS = '0'

const cleanup: Array<() => void> = []
afterAll(() => cleanup.forEach(remove => remove()))

interface Setup {
  r: GitFixture
  bare: string
  gh: Emulator
}

let gh: Emulator
beforeEach(async () => {
  gh = await startEmulator()
})
afterEach(async () => {
  await gh.close()
})

const PACKAGE = '{\n  "name": "app",\n  "version": "1.2.0"\n}\n'
const CARGO = '[package]\nname = "app"\nversion = "1.2.0" # kept in step\n'

/** A checkout whose origin is a bare repository the emulator treats as the GitHub remote. */
async function setup(first = '1.2.0'): Promise<Setup> {
  const r = await GitFixture.create()
  const bare = mkdtempSync(join(tmpdir(), 'slipway-remote-'))
  const temp = mkdtempSync(join(tmpdir(), 'slipway-runner-temp-'))
  cleanup.push(
    () => r.remove(),
    () => rmSync(bare, { recursive: true, force: true })
  )
  cleanup.push(() => rmSync(temp, { recursive: true, force: true }))
  await runChecked('git', ['init', '--bare', '--quiet', bare])
  await r.git('remote', 'add', 'origin', bare)
  await r.commit('feat: first\n', {
    files: {
      'package.json': PACKAGE.replace('1.2.0', first),
      'Cargo.toml': CARGO.replace('1.2.0', first),
      'CHANGELOG.md': '# Changelog\n\n## 1.2.0 (2026-01-01)\n\n* first\n'
    }
  })
  await r.tag(`v${first}`)
  await push(r, bare)
  gh.state.linkGitRemote(bare)
  runnerTemps.set(r, temp)
  return { r, bare, gh }
}

const runnerTemps = new Map<GitFixture, string>()

async function push(r: GitFixture, bare: string): Promise<void> {
  await r.git('push', '--quiet', '--force', bare, 'main:refs/heads/main')
}

async function release(
  s: Setup,
  inputs: Record<string, string> = {}
): Promise<{ result: ReleaseResult; warnings: string[] }> {
  await push(s.r, s.bare)
  s.gh.state.pulls.syncGitRemote()
  const runnerEnv: RunnerEnv = {
    workspace: s.r.dir,
    runnerTemp: runnerTemps.get(s.r)!,
    repository: `${s.gh.owner}/${s.gh.repo}`,
    apiUrl: s.gh.url
  }
  const values: Record<string, string> = {
    token: s.gh.token,
    mode: 'pull-request',
    'version-files': 'package.json, Cargo.toml',
    ...inputs
  }
  const settings = parseReleaseSettings(new Inputs(name => values[name]), runnerEnv)
  const options = { token: settings.token, apiUrl: s.gh.url, repository: settings.repository }
  const warnings: string[] = []
  const result = await runRelease(settings, {
    releases: new GitHubReleaseStore(options),
    pulls: new GitHubPullRequestStore(options),
    progress: { info: () => undefined, warning: message => warnings.push(message) }
  })
  return { result, warnings }
}

/** A file as the release branch on the remote has it. */
async function onBranch(s: Setup, path: string, branch = 'slipway/release'): Promise<string> {
  const { stdout } = await runChecked('git', ['show', `${branch}:${path}`], { cwd: s.bare })
  return stdout
}

async function branchHead(s: Setup, branch = 'slipway/release'): Promise<string> {
  return (await runChecked('git', ['rev-parse', branch], { cwd: s.bare })).stdout.trim()
}

/** Merges the release branch the way GitHub's merge button does, and tells the emulator. */
async function mergeReleasePr(s: Setup, number: number): Promise<string> {
  await s.r.git('fetch', '--quiet', s.bare, 'slipway/release')
  await s.r.git('merge', '--no-ff', '--quiet', '-m', `Merge pull request #${number}`, 'FETCH_HEAD')
  const sha = await s.r.head()
  await push(s.r, s.bare)
  s.gh.state.pulls.syncGitRemote()
  s.gh.state.pulls.merge(number, sha)
  return sha
}

describe('release pull request', () => {
  test('first PR: version files and changelog on the branch, checkout untouched; re-run converges', async () => {
    const s = await setup()
    await s.r.commit('feat(api): list endpoint\n', { files: { 'src/a.ts': '1' } })
    const base = await s.r.head()
    const { result } = await release(s)
    expect(result.pullRequest).toMatchObject({ action: 'opened', number: 1 })
    expect(result.plan.version).toBe('1.3.0')

    const [pr] = gh.state.pulls.list
    expect(pr).toMatchObject({
      title: 'chore(main): release 1.3.0',
      head: 'slipway/release',
      base: 'main',
      state: 'open',
      labels: ['slipway: pending']
    })
    expect(pr.body).toContain('**v1.3.0**')
    expect(pr.body).toContain('**api:** list endpoint')
    expect(pr.body).toContain('`package.json`: 1.2.0 → 1.3.0')
    expect(pr.body).toContain('`Cargo.toml`: 1.2.0 → 1.3.0')

    expect(await onBranch(s, 'package.json')).toBe(PACKAGE.replace('1.2.0', '1.3.0'))
    expect(await onBranch(s, 'Cargo.toml')).toBe(CARGO.replace('1.2.0', '1.3.0'))
    const changelog = await onBranch(s, 'CHANGELOG.md')
    expect(changelog.indexOf('## [1.3.0]')).toBeGreaterThan(0)
    expect(changelog.indexOf('## [1.3.0]')).toBeLessThan(changelog.indexOf('## 1.2.0'))
    const head = await branchHead(s)
    expect(
      (await runChecked('git', ['rev-parse', `${head}^`], { cwd: s.bare })).stdout.trim()
    ).toBe(base)

    // The checkout is as it was: the commit was made in a worktree of its own.
    expect(readFileSync(join(s.r.dir, 'package.json'), 'utf8')).toBe(PACKAGE)
    expect(await s.r.git('status', '--porcelain')).toBe('')
    expect(await s.r.git('worktree', 'list')).not.toContain('slipway-release-pr')

    const again = await release(s)
    expect(again.result.pullRequest).toMatchObject({ action: 'unchanged', number: 1 })
    expect(await branchHead(s)).toBe(head)
    expect(gh.state.pulls.list).toHaveLength(1)
    expect(gh.requests.filter(q => q.operationId === 'pulls/create')).toHaveLength(1)
  })

  test('more commits update the same PR; a breaking change turns the minor into a major', async () => {
    const s = await setup()
    await s.r.commit('feat: search\n')
    await release(s)
    await s.r.commit('fix: crash\n')
    const second = await release(s)
    expect(second.result.pullRequest).toMatchObject({ action: 'updated', number: 1 })
    expect(gh.state.pulls.list[0].body).toContain('crash')
    expect(gh.state.pulls.list[0].title).toBe('chore(main): release 1.3.0')

    await s.r.commit('feat!: drop the v1 API\n')
    const third = await release(s)
    expect(third.result.pullRequest).toMatchObject({ action: 'updated', number: 1 })
    expect(gh.state.pulls.list).toHaveLength(1)
    expect(gh.state.pulls.list[0].title).toBe('chore(main): release 2.0.0')
    expect(gh.state.pulls.list[0].body).toContain('BREAKING CHANGES')
    expect(JSON.parse(await onBranch(s, 'package.json')).version).toBe('2.0.0')
    // The branch is rebuilt on the new base, not stacked on the previous release commit.
    const head = await branchHead(s)
    expect(
      (await runChecked('git', ['rev-parse', `${head}^`], { cwd: s.bare })).stdout.trim()
    ).toBe(await s.r.head())
  })

  test('nothing releasable any more: the open PR is closed with a comment', async () => {
    const s = await setup()
    const feat = await s.r.commit('feat: experiment\n')
    await release(s)
    await s.r.revert(feat)
    const { result } = await release(s)
    expect(result.plan.released).toBe(false)
    expect(result.pullRequest).toMatchObject({ action: 'closed', number: 1 })
    expect(gh.state.pulls.list[0].state).toBe('closed')
    expect(
      gh.state.pulls.comments
        .get(1)!
        .map(c => c.body)
        .join('\n')
    ).toContain('nothing to release')
    // And with no PR open, nothing is opened or closed.
    const again = await release(s)
    expect(again.result.pullRequest).toMatchObject({ action: 'none' })
    expect(gh.state.pulls.list).toHaveLength(1)
  })

  test('merge → tag and release with the reviewed notes, comment; re-run makes nothing twice', async () => {
    const s = await setup()
    await s.r.commit('feat: export to CSV\n')
    await release(s)
    // A reviewer edits the notes in the pull request before merging.
    const pr = gh.state.pulls.list[0]
    pr.body = pr.body!.replace('export to CSV', 'export to CSV (reviewed)')
    const merge = await mergeReleasePr(s, 1)

    const { result } = await release(s, { 'major-tag': 'true' })
    expect(result.pullRequest).toMatchObject({ action: 'released', number: 1 })
    expect(gh.state.resolveCommit('refs/tags/v1.3.0')).toBe(merge)
    expect(gh.state.resolveCommit('refs/tags/v1')).toBe(merge)
    expect(gh.state.releases).toHaveLength(1)
    const [published] = gh.state.releases
    expect(published).toMatchObject({ tag_name: 'v1.3.0', draft: false, prerelease: false })
    expect(published.body).toContain('export to CSV (reviewed)')
    const comments = gh.state.pulls.comments.get(1)!
    expect(comments).toHaveLength(1)
    expect(String(comments[0].body)).toContain(String(published.html_url))
    expect(pr.labels).toEqual(['slipway: released'])

    const again = await release(s, { 'major-tag': 'true' })
    expect(again.result.pullRequest?.action).toBe('released')
    expect(gh.state.releases).toHaveLength(1)
    expect(gh.state.pulls.comments.get(1)).toHaveLength(1)
    expect(gh.state.pulls.list).toHaveLength(1)
    const tagRefs = gh.requests.filter(
      q =>
        q.operationId === 'git/create-ref' &&
        (q.body as { ref: string }).ref === 'refs/tags/v1.3.0' &&
        q.status < 300
    )
    expect(tagRefs).toHaveLength(1)

    // The next push after the release (tags fetched by the checkout) proposes nothing.
    await s.r.tag('v1.3.0', { at: merge })
    await s.r.commit('chore: tidy\n')
    const later = await release(s)
    expect(later.result.plan.released).toBe(false)
    expect(later.result.pullRequest?.action).toBe('none')
    expect(gh.state.pulls.list).toHaveLength(1)
  })

  test('a merged PR body override replaces the commit messages of that PR', async () => {
    const s = await setup()
    // A squash merge whose message says nothing releasable…
    const squash = await s.r.commit('Update stuff (#7)\n', { files: { 'src/s.ts': '1' } })
    // …and a merge commit bringing two work-in-progress commits.
    await s.r.git('checkout', '--quiet', '-b', 'topic')
    await s.r.commit('feat: wip one\n', { files: { 'src/t.ts': '1' } })
    await s.r.commit('fix: wip two\n', { files: { 'src/t.ts': '2' } })
    await s.r.git('checkout', '--quiet', 'main')
    const merge = await s.r.merge('topic', 'Merge pull request #8 from octo/topic')
    await push(s.r, s.bare)
    gh.state.pulls.syncGitRemote()
    gh.state.setRef('refs/heads/topic', await s.r.git('rev-parse', 'topic'))
    const squashPr = gh.state.pulls.create({
      title: 'Update stuff',
      body: 'Context.\n\nBEGIN_COMMIT_OVERRIDE\nfix: stop the crash on empty input\nfeat(api): paging\nEND_COMMIT_OVERRIDE\n',
      head: 'topic',
      base: 'main'
    })
    gh.state.pulls.merge(squashPr.number, squash)
    const mergePr = gh.state.pulls.create({
      title: 'Topic',
      body: 'BEGIN_COMMIT_OVERRIDE\nperf: faster search\n\nEND_COMMIT_OVERRIDE',
      head: 'topic',
      base: 'main'
    })
    gh.state.pulls.merge(mergePr.number, merge)

    const { result } = await release(s)
    expect(result.plan.version).toBe('1.3.0')
    const notes = result.plan.notes
    expect(notes).toContain('stop the crash on empty input')
    expect(notes).toContain('**api:** paging')
    expect(notes).toContain('faster search')
    expect(notes).not.toContain('wip')
    expect(notes).not.toContain('Update stuff')
  })

  describe('monorepo: one release pull request per package', () => {
    async function mono(): Promise<Setup> {
      const s = await setup()
      await s.r.commit('feat(api): start\n', {
        files: { 'packages/api/package.json': PACKAGE.replace('1.2.0', '2.0.0') }
      })
      await s.r.tag('api-v2.0.0')
      await s.r.commit('feat(web): start\n', {
        files: { 'packages/web/package.json': PACKAGE.replace('1.2.0', '1.0.0') }
      })
      await s.r.tag('web-v1.0.0')
      await s.r.commit('feat(api): paging\n', { files: { 'packages/api/src/page.ts': '1' } })
      // web's fix, which also adjusted a test of api.
      await s.r.commit('fix(web): layout\n', {
        files: { 'packages/web/src/a.ts': '1', 'packages/api/test/layout.test.ts': '1' }
      })
      return s
    }
    const inputs = (attribution: string) => ({
      packages: 'api: packages/api\nweb: packages/web',
      'version-files': 'package.json',
      attribution
    })

    test('paths-and-scopes: a cross-scope commit touching only tests does not bump the other package', async () => {
      const s = await mono()
      const { result } = await release(s, inputs('paths-and-scopes'))
      expect(result.packages).toEqual([
        expect.objectContaining({ name: 'api', version: '2.1.0', action: 'opened' }),
        expect.objectContaining({ name: 'web', version: '1.0.1', action: 'opened' })
      ])
      const [api, web] = gh.state.pulls.list
      expect(api).toMatchObject({
        title: 'chore(main): release api 2.1.0',
        head: 'slipway/release-api'
      })
      expect(api.body).toContain('paging')
      expect(api.body).not.toContain('layout')
      expect(web).toMatchObject({
        title: 'chore(main): release web 1.0.1',
        head: 'slipway/release-web'
      })
      expect(
        JSON.parse(await onBranch(s, 'packages/api/package.json', 'slipway/release-api')).version
      ).toBe('2.1.0')
      expect(await onBranch(s, 'packages/api/CHANGELOG.md', 'slipway/release-api')).toContain(
        '2.1.0'
      )
      expect(
        JSON.parse(await onBranch(s, 'packages/web/package.json', 'slipway/release-web')).version
      ).toBe('1.0.1')
      // Each package's branch bumps only that package.
      expect(
        JSON.parse(await onBranch(s, 'packages/web/package.json', 'slipway/release-api')).version
      ).toBe('1.0.0')
    })

    test('paths: every commit touching the package counts', async () => {
      const s = await mono()
      await release(s, inputs('paths'))
      expect(gh.state.pulls.list[0].body).toContain('layout')
    })

    test('a package path that does not exist → InputError naming packages', async () => {
      const s = await mono()
      const error = await release(s, { ...inputs('paths'), packages: 'api: packages/nope' }).catch(
        (caught: unknown) => caught
      )
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).input).toBe('packages')
      expect(gh.state.pulls.list).toEqual([])
    })
  })

  test('a Release-As footer sets the proposed version', async () => {
    const s = await setup()
    await s.r.commit('fix: small\n\nRelease-As: 3.0.0\n')
    const { result } = await release(s)
    expect(result.plan.version).toBe('3.0.0')
    expect(gh.state.pulls.list[0].title).toBe('chore(main): release 3.0.0')
    expect(JSON.parse(await onBranch(s, 'package.json')).version).toBe('3.0.0')
  })

  test('pre-1.0: a breaking change proposes the next minor', async () => {
    const s = await setup('0.4.2')
    await s.r.commit('feat!: new config format\n')
    const { result } = await release(s)
    expect(result.plan.version).toBe('0.5.0')
    expect(JSON.parse(await onBranch(s, 'package.json')).version).toBe('0.5.0')
  })

  test('prerelease channel: the PR proposes -rc.1 and the merge makes a prerelease', async () => {
    const s = await setup()
    await s.r.commit('feat: beta feature\n')
    await release(s, { prerelease: 'rc' })
    expect(gh.state.pulls.list[0].title).toBe('chore(main): release 1.3.0-rc.1')
    expect(await onBranch(s, 'Cargo.toml')).toContain('version = "1.3.0-rc.1" # kept in step')
    await mergeReleasePr(s, 1)
    await release(s, { prerelease: 'rc', 'major-tag': 'true' })
    expect(gh.state.releases[0]).toMatchObject({ tag_name: 'v1.3.0-rc.1', prerelease: true })
    // The major tag follows stable releases only.
    expect(gh.state.resolveCommit('refs/tags/v1')).toBeUndefined()
  })

  test('dry run: shows the proposal, writes nothing', async () => {
    const s = await setup()
    await s.r.commit('feat: preview\n')
    const { result } = await release(s, { 'dry-run': 'true' })
    expect(result.pullRequest?.action).toBe('would-open')
    expect(result.pullRequest?.files).toContain('`package.json`: 1.2.0 → 1.3.0')
    expect(gh.state.pulls.list).toEqual([])
    await expect(branchHead(s)).rejects.toThrow()
  })

  test.each<[Record<string, string>, string]>([
    [{ 'version-files': 'chart.yaml' }, 'version-files'],
    [{ 'version-files': 'src/missing/package.json' }, 'version-files'],
    [{ mode: 'pr' }, 'mode'],
    [{ 'release-branch': 'bad..name' }, 'release-branch'],
    [{ promote: 'v1.2.0' }, 'promote']
  ])('bad input %j → InputError naming %s, nothing pushed or opened', async (inputs, name) => {
    const s = await setup()
    await s.r.commit('feat: x\n')
    const error = await release(s, inputs).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe(name)
    expect(gh.state.pulls.list).toEqual([])
    await expect(branchHead(s)).rejects.toThrow()
  })
})
