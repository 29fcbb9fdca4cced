import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runBundle, type BundleRun } from '../helpers/run-bundle.js'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { startPushgateway } from '../services/pushgateway.js'
import { GitFixture } from './git-fixture.js'
import { mirrorCommits } from './emulator-mirror.js'

// Each test runs the bundle several times: deadlines for a busy machine, not a speed target.
jest.setTimeout(120_000)

const repos: GitFixture[] = []
afterAll(() => repos.forEach(r => r.remove()))

/** v1.2.0, then a feat (scope, PR reference), a fix and a docs commit. */
async function sampleRepo(): Promise<GitFixture> {
  const r = await GitFixture.create()
  repos.push(r)
  await r.commit('feat: first\n', { files: { 'src/a.ts': '1' } })
  await r.tag('v1.2.0')
  await r.commit('feat(api): list endpoint (#41)\n\nCloses #40\n', { files: { 'src/b.ts': '1' } })
  await r.commit('fix: crash on empty input\n', { files: { 'src/c.ts': '1' } })
  await r.commit('docs: usage\n', { files: { 'README.md': 'x' } })
  return r
}

async function tags(r: GitFixture): Promise<string[]> {
  return (await r.git('tag', '--list')).split('\n').filter(Boolean)
}

function action(
  r: GitFixture,
  inputs: Record<string, string | boolean | undefined>,
  gh?: Emulator
): Promise<BundleRun> {
  return runBundle('tag-and-release', {
    workspace: r.dir,
    inputs: { 'tag-prefix': 'v', ...inputs },
    env: gh
      ? // GitHub wants writes spaced about a second apart; the emulator does not.
        {
          GITHUB_API_URL: gh.url,
          GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
          SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0'
        }
      : { GITHUB_REPOSITORY: 'octo/app', GITHUB_API_URL: 'http://127.0.0.1:9' }
  })
}

describe('dry run and bad inputs (no GitHub)', () => {
  let r: GitFixture
  beforeAll(async () => {
    r = await sampleRepo()
  })

  test('dry-run: version and notes in outputs and summary, nothing written, no token needed', async () => {
    const run = await action(r, { 'dry-run': true, 'changelog-file': 'CHANGELOG.md' })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      released: 'true',
      version: '1.3.0',
      tag: 'v1.3.0',
      'previous-tag': 'v1.2.0',
      bump: 'minor'
    })
    expect(run.outputs['release-id']).toBeUndefined()
    expect(run.outputs.notes).toContain(
      '## [1.3.0](https://github.com/octo/app/compare/v1.2.0...v1.3.0)'
    )
    expect(run.outputs.notes).toContain(
      '* **api:** list endpoint ([#41](https://github.com/octo/app/issues/41))'
    )
    expect(run.outputs.notes).toContain('closes [#40](https://github.com/octo/app/issues/40)')
    expect(run.summary).toContain('Would release')
    expect(run.summary).toContain('Release notes')
    expect(await tags(r)).toEqual(['v1.2.0'])
    expect(existsSync(join(r.dir, 'CHANGELOG.md'))).toBe(false)
  })

  test.each<[Record<string, string>, string]>([
    [{ 'tag-prefix': 'v1' }, 'tag-prefix'],
    [{ 'tag-prefix': 'bad prefix' }, 'tag-prefix'],
    [{ 'release-as': '2.0' }, 'release-as'],
    [{ 'release-as': 'v2.0.0' }, 'release-as'],
    [{ prerelease: 'r.c' }, 'prerelease'],
    [{ prerelease: '1' }, 'prerelease'],
    [{ 'make-latest': 'yes' }, 'make-latest'],
    [{ 'extra-sections': 'docs' }, 'extra-sections'],
    [{ 'dry-run': 'maybe' }, 'dry-run'],
    [{ sha: 'no-such-commit' }, 'sha'],
    [{ token: '', 'changelog-file': 'CHANGELOG.md' }, 'token']
  ])('bad input %j → InputError naming %s, exit 1, nothing changed', async (inputs, name) => {
    const run = await action(r, { 'dry-run': inputs['dry-run'] ?? 'false', token: 'x', ...inputs })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(
      new RegExp(`tag-and-release failed: Input '${name}': expected`)
    )
    expect(await tags(r)).toEqual(['v1.2.0'])
    expect(existsSync(join(r.dir, 'CHANGELOG.md'))).toBe(false)
  })

  test('monorepo package: path filter and per-package prefix', async () => {
    const mono = await GitFixture.create()
    repos.push(mono)
    await mono.commit('feat(api): start\n', { files: { 'packages/api/a.ts': '1' } })
    await mono.tag('api-v2.0.0')
    await mono.commit('fix(api): retry\n', { files: { 'packages/api/a.ts': '2' } })
    await mono.commit('feat(web): page\n', { files: { 'packages/web/a.ts': '1' } })
    const run = await action(mono, { 'dry-run': true, 'tag-prefix': 'api-v', path: 'packages/api' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      version: '2.0.1',
      tag: 'api-v2.0.1',
      'previous-tag': 'api-v2.0.0',
      bump: 'patch'
    })
    expect(run.outputs.notes).toContain('retry')
    expect(run.outputs.notes).not.toContain('page')
  })

  test('nothing releasable → released=false, exit 0', async () => {
    const quiet = await GitFixture.create()
    repos.push(quiet)
    await quiet.commit('feat: x\n')
    await quiet.tag('v1.0.0')
    await quiet.commit('chore: y\n')
    const run = await action(quiet, { 'dry-run': true })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      released: 'false',
      bump: 'none',
      version: '',
      'previous-tag': 'v1.0.0'
    })
    expect(run.summary).toContain('No release')
  })
})

describe('against the GitHub emulator', () => {
  let gh: Emulator
  afterEach(async () => {
    await gh.close()
  })

  async function setup(): Promise<GitFixture> {
    gh = await startEmulator()
    const r = await sampleRepo()
    mkdirSync(join(r.dir, 'out'))
    writeFileSync(join(r.dir, 'out', 'app-linux.tar.gz'), 'linux build')
    writeFileSync(join(r.dir, 'out', 'app-darwin.tar.gz'), 'darwin build')
    await mirrorCommits(r.dir, gh)
    return r
  }

  test('release: annotated tag, draft → assets + SHA256SUMS → publish, changelog, major tag; re-run converges', async () => {
    const r = await setup()
    const head = await r.head()
    const inputs = {
      token: gh.token,
      assets: 'out/*.tar.gz',
      'major-tag': true,
      'changelog-file': 'CHANGELOG.md'
    }
    gh.faults.inject({ method: 'POST', path: `/repos/octo/app/releases`, status: 502 })
    gh.faults.inject({ method: 'POST', path: /\/releases\/\d+\/assets$/, status: 502 })
    const first = await action(r, inputs, gh)
    expect(first.annotations.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    expect(first.outputs).toMatchObject({ released: 'true', version: '1.3.0', tag: 'v1.3.0' })

    // The tag is annotated (git/tags + git/refs) and points at HEAD; v1 follows.
    expect(gh.state.tags).toHaveLength(1)
    expect(gh.state.tags[0]).toMatchObject({ tag: 'v1.3.0', object: { sha: head, type: 'commit' } })
    expect(gh.state.refs['refs/tags/v1.3.0']).toBe(gh.state.tags[0].sha)
    expect(gh.state.refs['refs/tags/v1']).toBe(head)

    // One release (the 502s were retried), published, with assets and checksums.
    expect(gh.requests.filter(q => q.fault && q.status === 502)).toHaveLength(2)
    expect(gh.state.releases).toHaveLength(1)
    const release = gh.state.releases[0]
    expect(release).toMatchObject({ tag_name: 'v1.3.0', draft: false, prerelease: false })
    expect(String(release.body)).toContain('### Features')
    expect(first.outputs['release-id']).toBe(String(release.id))
    const assets = gh.state.assets(release.id as number)
    expect(assets.map(a => a.name).sort()).toEqual([
      'SHA256SUMS',
      'app-darwin.tar.gz',
      'app-linux.tar.gz'
    ])
    const sums = gh.state
      .assetBytes(assets.find(a => a.name === 'SHA256SUMS')!.id as number)!
      .toString()
    expect(sums).toMatch(
      /^[0-9a-f]{64} {2}app-darwin\.tar\.gz\n[0-9a-f]{64} {2}app-linux\.tar\.gz\n$/
    )
    // Order: create (draft) → uploads → publish.
    const writes = gh.requests
      .filter(q => q.method !== 'GET' && !q.fault)
      .map(q => `${q.method} ${q.path.replace(/\/\d+/g, '/N').split('?')[0]}`)
    expect(writes).toEqual([
      'POST /repos/octo/app/git/tags',
      'POST /repos/octo/app/git/refs',
      'POST /repos/octo/app/releases',
      'POST /repos/octo/app/releases/N/assets',
      'POST /repos/octo/app/releases/N/assets',
      'POST /repos/octo/app/releases/N/assets',
      'PATCH /repos/octo/app/releases/N',
      // v1 is set with one update; GitHub answers that it does not exist yet, so it is created.
      'PATCH /repos/octo/app/git/refs/tags%2Fv1',
      'POST /repos/octo/app/git/refs'
    ])
    expect(
      gh.requests.find(
        q => q.method === 'POST' && q.path === '/repos/octo/app/releases' && !q.fault
      )?.body
    ).toMatchObject({ draft: true })
    expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8')).toMatch(
      /^# Changelog\n\n## \[1\.3\.0\]/
    )

    // Re-run: no second tag, release or asset. The tag is created first and read only when
    // GitHub refuses its ref (a new release then reads nothing): that refusal is the only write.
    const before = gh.requests.length
    const again = await action(r, inputs, gh)
    expect(again.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({ version: '1.3.0', 'release-id': String(release.id) })
    expect(
      gh.requests
        .slice(before)
        .filter(q => q.method !== 'GET')
        .map(q => `${q.method} ${q.path} → ${q.status}`)
    ).toEqual(['POST /repos/octo/app/git/tags → 201', 'POST /repos/octo/app/git/refs → 422'])
    expect(gh.state.refs['refs/tags/v1.3.0']).toBe(gh.state.tags[0].sha)
    expect(gh.state.releases).toHaveLength(1)
    expect(gh.state.assets(release.id as number)).toHaveLength(3)
    expect(readFileSync(join(r.dir, 'CHANGELOG.md'), 'utf8').match(/## \[1\.3\.0\]/g)).toHaveLength(
      1
    )
  })

  test('422 already_exists from a concurrent run is handled idempotently (tag ref, release, asset)', async () => {
    const r = await setup()
    const first = await action(
      r,
      { token: gh.token, assets: 'out/app-linux.tar.gz', checksums: false },
      gh
    )
    expect(first.exitCode).toBe(0)
    const id = gh.state.releases[0].id as number
    // Blind the next run's reads once, so it tries to create what exists and meets GitHub's 422s
    // (the tag is created before it is read anyway).
    gh.faults.inject({
      method: 'GET',
      path: /\/releases\/tags\/v1\.3\.0$/,
      status: 404,
      body: { message: 'Not Found' }
    })
    gh.faults.inject({ method: 'GET', path: '/repos/octo/app/releases', status: 200, body: [] })
    gh.faults.inject({
      method: 'GET',
      path: `/repos/octo/app/releases/${id}/assets`,
      status: 200,
      body: []
    })
    const again = await action(
      r,
      { token: gh.token, assets: 'out/app-linux.tar.gz', checksums: false },
      gh
    )
    expect(again.annotations.errors).toEqual([])
    expect(again.exitCode).toBe(0)
    const conflicts = gh.requests
      .filter(q => q.status === 422)
      .map(q => `${q.method} ${q.path.split('?')[0]}`)
    expect(conflicts).toEqual([
      'POST /repos/octo/app/git/refs',
      'POST /repos/octo/app/releases',
      `POST /repos/octo/app/releases/${id}/assets`
    ])
    expect(gh.state.releases).toHaveLength(1)
    expect(gh.state.assets(id)).toHaveLength(1)
    expect(again.outputs['release-id']).toBe(String(id))
  })

  test('changed asset content: replaced on a mutable release, refused on an immutable one', async () => {
    const r = await setup()
    gh.state.setRepo({ immutableReleases: true })
    expect(
      (await action(r, { token: gh.token, assets: 'out/app-linux.tar.gz', checksums: false }, gh))
        .exitCode
    ).toBe(0)
    writeFileSync(join(r.dir, 'out', 'app-linux.tar.gz'), 'a different linux build')
    const refused = await action(
      r,
      { token: gh.token, assets: 'out/app-linux.tar.gz', checksums: false },
      gh
    )
    expect(refused.exitCode).toBe(1)
    expect(refused.annotations.errors.join()).toMatch(
      /immutable.*app-linux\.tar\.gz|app-linux\.tar\.gz.*immutable/
    )
    gh.state.setRepo({ immutableReleases: false })
    const replaced = await action(
      r,
      { token: gh.token, assets: 'out/app-linux.tar.gz', checksums: false },
      gh
    )
    expect(replaced.exitCode).toBe(0)
    expect(replaced.summary).toMatch(/app-linux\.tar\.gz \| replaced/)
    const id = gh.state.releases[0].id as number
    const linux = gh.state.assets(id).find(a => a.name === 'app-linux.tar.gz')!
    expect(gh.state.assetBytes(linux.id as number)!.toString()).toBe('a different linux build')
    expect(gh.state.assets(id)).toHaveLength(1)
  })

  test('prerelease rc → rc.2 → promote to a full release', async () => {
    const r = await setup()
    const rc1 = await action(r, { token: gh.token, prerelease: 'rc' }, gh)
    expect(rc1.outputs).toMatchObject({ version: '1.3.0-rc.1', tag: 'v1.3.0-rc.1' })
    expect(gh.state.releases[0]).toMatchObject({
      tag_name: 'v1.3.0-rc.1',
      prerelease: true,
      draft: false
    })
    // The runner's checkout would fetch the tag; mirror it locally.
    await r.tag('v1.3.0-rc.1')
    await r.commit('fix: rc feedback\n', { files: { 'src/d.ts': '1' } })
    await mirrorCommits(r.dir, gh)
    const rc2 = await action(r, { token: gh.token, prerelease: 'rc', 'major-tag': true }, gh)
    expect(rc2.outputs).toMatchObject({ version: '1.3.0-rc.2', 'previous-tag': 'v1.2.0' })
    expect(gh.state.refs['refs/tags/v1']).toBeUndefined() // prereleases never move the major tag
    await r.tag('v1.3.0-rc.2')
    const promoted = await action(
      r,
      { token: gh.token, promote: 'v1.3.0-rc.2', 'major-tag': true },
      gh
    )
    expect(promoted.exitCode).toBe(0)
    const rel = gh.state.releases.find(x => x.tag_name === 'v1.3.0-rc.2')!
    expect(rel).toMatchObject({ prerelease: false, draft: false })
    expect(promoted.outputs['release-id']).toBe(String(rel.id))
    expect(gh.state.latestReleaseId).toBe(rel.id)
    expect(gh.state.refs['refs/tags/v1']).toBe(await r.head())
  })

  test('make-latest: false leaves the latest release alone', async () => {
    const r = await setup()
    const run = await action(r, { token: gh.token, 'make-latest': 'false' }, gh)
    expect(run.exitCode).toBe(0)
    const publish = gh.requests.find(q => q.method === 'PATCH' && /\/releases\/\d+$/.test(q.path))
    expect(publish?.body).toMatchObject({ draft: false, make_latest: 'false' })
    expect(gh.state.latestReleaseId).toBeUndefined()
  })

  test('a tag that already points elsewhere is a clear error; the release is not created', async () => {
    const r = await setup()
    const first = gh.state.commits[1].sha
    gh.state.setRef('refs/tags/v1.3.0', first)
    const run = await action(r, { token: gh.token }, gh)
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join()).toMatch(
      /Tag v1\.3\.0 already exists and points to [0-9a-f]{12}, not to/
    )
    expect(gh.state.releases).toHaveLength(0)
  })

  test('use-git: the annotated tag is made and pushed with local git', async () => {
    const r = await setup()
    const remote = await GitFixture.create('slipway-remote-')
    repos.push(remote)
    await remote.git('config', 'receive.denyCurrentBranch', 'ignore')
    await r.git('remote', 'add', 'origin', remote.dir)
    const run = await action(r, { token: gh.token, 'use-git': true, 'major-tag': true }, gh)
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(await remote.git('cat-file', '-t', 'v1.3.0')).toBe('tag')
    expect(await remote.git('rev-parse', 'v1.3.0^{commit}')).toBe(await r.head())
    expect(await remote.git('rev-parse', 'v1')).toBe(await r.head())
    expect(gh.state.tags).toHaveLength(0)
    expect(gh.state.releases[0]).toMatchObject({ tag_name: 'v1.3.0', draft: false })
    const again = await action(r, { token: gh.token, 'use-git': true }, gh)
    expect(again.exitCode).toBe(0)
  })

  test('a release is pushed to the Pushgateway as a kind="release" event', async () => {
    const pushgateway = await startPushgateway()
    try {
      const r = await setup()
      const run = await action(r, { token: gh.token, 'pushgateway-url': pushgateway.url }, gh)
      expect(run.annotations.errors).toEqual([])
      expect(run.outputs).toMatchObject({ released: 'true', tag: 'v1.3.0' })
      const metrics = (await (await fetch(`${pushgateway.url}/metrics`)).text()).split('\n')
      expect(
        metrics.filter(
          line => line.startsWith('slipway_deploy_success{') && line.includes('version="v1.3.0"')
        )
      ).toEqual([expect.stringMatching(/app="app".*kind="release".* 1$/)])
    } finally {
      await pushgateway.close()
    }
  })
})
