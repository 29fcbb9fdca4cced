import { afterEach, describe, expect, test } from '@jest/globals'
import { planRelease, type PlanOptions } from '@slipway/release'
import { GitFixture } from './git-fixture.js'

const repos: GitFixture[] = []
async function repo(): Promise<GitFixture> {
  const created = await GitFixture.create()
  repos.push(created)
  return created
}
afterEach(() => {
  for (const r of repos.splice(0)) r.remove()
})

const plan = (r: GitFixture, options: Partial<PlanOptions> = {}) =>
  planRelease({ cwd: r.dir, tagPrefix: 'v', ...options })

describe('next version', () => {
  test('feat and fix since v1.2.0 → 1.3.0 (minor)', async () => {
    const r = await repo()
    await r.commit('feat: first')
    await r.tag('v1.2.0')
    await r.commit('fix: a bug')
    await r.commit('feat(api): new endpoint')
    await r.commit('docs: readme')
    const p = await plan(r)
    expect(p).toMatchObject({
      released: true,
      version: '1.3.0',
      tag: 'v1.3.0',
      previousTag: 'v1.2.0',
      bump: 'minor',
      prerelease: false
    })
    expect(p.commits.map(c => c.type)).toEqual(['docs', 'feat', 'fix'])
    expect(p.sha).toBe(await r.head())
  })

  test('fix and perf → patch; chore/docs/ci only → no release', async () => {
    const r = await repo()
    await r.commit('chore: init')
    await r.tag('v2.0.0')
    await r.commit('perf: faster')
    expect((await plan(r)).version).toBe('2.0.1')
    await r.tag('v2.0.1')
    await r.commit('chore: deps')
    await r.commit('docs: typo')
    await r.commit('ci: cache')
    const none = await plan(r)
    expect(none).toMatchObject({ released: false, bump: 'none', previousTag: 'v2.0.1' })
    expect(none.reason).toMatch(/None of the 3 commit\(s\) since v2\.0\.1 is releasable/)
    expect(none.version).toBeUndefined()
  })

  test('no commits since the tag → no release', async () => {
    const r = await repo()
    await r.commit('feat: x')
    await r.tag('v1.0.0')
    await r.commit('feat: y')
    await r.tag('v1.1.0')
    // HEAD carries v1.1.0 (treated as an earlier run of this job) → recomputes 1.1.0
    expect((await plan(r)).version).toBe('1.1.0')
    await r.commit('style: fmt')
    expect((await plan(r)).released).toBe(false)
  })

  test('breaking changes: `!` header and BREAKING CHANGE footer → major', async () => {
    const r = await repo()
    await r.commit('feat: x')
    await r.tag('v1.4.2')
    await r.commit('refactor(core)!: drop node 18')
    expect((await plan(r)).version).toBe('2.0.0')
    const r2 = await repo()
    await r2.commit('feat: x')
    await r2.tag('v1.4.2')
    await r2.commit('fix: y\n\nBREAKING CHANGE: the config key `a` is now `b`\n')
    const p = await plan(r2)
    expect(p).toMatchObject({ version: '2.0.0', bump: 'major' })
    expect(p.notes).toContain('### ⚠ BREAKING CHANGES')
    expect(p.notes).toContain('the config key `a` is now `b`')
  })

  test('before 1.0.0 a breaking change bumps minor unless bumpMajorPreMajor', async () => {
    const r = await repo()
    await r.commit('feat: x')
    await r.tag('v0.3.1')
    await r.commit('feat!: new API')
    expect(await plan(r)).toMatchObject({ version: '0.4.0', bump: 'minor' })
    expect(await plan(r, { bumpMajorPreMajor: true })).toMatchObject({
      version: '1.0.0',
      bump: 'major'
    })
  })

  test('no tag yet: versions start from 0.0.0', async () => {
    const r = await repo()
    await r.commit('feat: first feature')
    expect(await plan(r)).toMatchObject({ version: '0.1.0', previousTag: undefined })
  })

  test('Release-As footer overrides; an invalid one is ignored with a warning', async () => {
    const r = await repo()
    await r.commit('feat: x')
    await r.tag('v1.0.0')
    await r.commit('chore: prepare\n\nRelease-As: 3.0.0\n')
    const p = await plan(r)
    expect(p).toMatchObject({ released: true, version: '3.0.0', bump: 'major' })
    expect(p.releaseAsSource).toBe(await r.head())
    await r.commit('fix: y\n\nRelease-As: three\n')
    const warnings: string[] = []
    const p2 = await plan(r, { warn: w => warnings.push(w) })
    expect(p2.version).toBe('3.0.0') // the older valid footer still applies
    expect(warnings.join()).toMatch(/Release-As: three/)
    expect((await plan(r, { releaseAs: '4.1.0' })).version).toBe('4.1.0')
  })

  test('prerelease channel: rc.1, rc.2, then the promotion keeps all notes since the last stable tag', async () => {
    const r = await repo()
    await r.commit('feat: base')
    await r.tag('v1.2.0')
    await r.commit('feat(ui): dark mode')
    const rc1 = await plan(r, { prerelease: 'rc' })
    expect(rc1).toMatchObject({
      version: '1.3.0-rc.1',
      tag: 'v1.3.0-rc.1',
      prerelease: true,
      previousTag: 'v1.2.0'
    })
    await r.tag('v1.3.0-rc.1')
    // re-run on the same commit → the same rc
    expect((await plan(r, { prerelease: 'rc' })).version).toBe('1.3.0-rc.1')
    await r.commit('fix(ui): contrast')
    const rc2 = await plan(r, { prerelease: 'rc' })
    expect(rc2.version).toBe('1.3.0-rc.2')
    await r.tag('v1.3.0-rc.2')
    const stable = await plan(r, { repoUrl: 'https://github.com/octo/app' })
    expect(stable).toMatchObject({ version: '1.3.0', previousTag: 'v1.2.0', prerelease: false })
    expect(stable.notes).toContain('dark mode')
    expect(stable.notes).toContain('contrast')
    expect(stable.notes).toContain('compare/v1.2.0...v1.3.0')
    // a beta channel counts separately
    expect((await plan(r, { prerelease: 'beta' })).version).toBe('1.3.0-beta.1')
  })

  test('a revert of a commit in the range cancels both; a revert of a released commit is a patch', async () => {
    const r = await repo()
    const old = await r.commit('feat: old feature', { files: { 'a.txt': 'a' } })
    await r.tag('v1.0.0')
    const feat = await r.commit('feat: risky', { files: { 'b.txt': 'b' } })
    await r.revert(feat)
    const p = await plan(r)
    expect(p.released).toBe(false)
    expect(p.commits).toHaveLength(0)
    await r.revert(old)
    const p2 = await plan(r)
    expect(p2).toMatchObject({ version: '1.0.1', bump: 'patch' })
    expect(p2.notes).toContain('### Reverts')
    expect(p2.notes).toContain('feat: old feature')
  })

  test('merge commits are skipped, the merged branch commits count', async () => {
    const r = await repo()
    await r.commit('chore: init', { files: { 'x.txt': '1' } })
    await r.tag('v1.0.0')
    await r.git('checkout', '--quiet', '-b', 'topic')
    await r.commit('feat(search): fuzzy matching (#42)', { files: { 'y.txt': '1' } })
    await r.git('checkout', '--quiet', 'main')
    await r.commit('docs: note', { files: { 'z.txt': '1' } })
    await r.merge('topic', 'Merge pull request #42 from octo/topic')
    const p = await plan(r)
    expect(p.version).toBe('1.1.0')
    expect(p.commits.map(c => c.header)).toEqual(
      expect.arrayContaining(['feat(search): fuzzy matching (#42)', 'docs: note'])
    )
    expect(p.commits.some(c => c.header.startsWith('Merge'))).toBe(false)
  })

  test('monorepo: a path filter with a per-package prefix', async () => {
    const r = await repo()
    await r.commit('feat(api): start', { files: { 'packages/api/a.ts': '1' } })
    await r.tag('api-v1.0.0')
    await r.commit('feat(web): start', { files: { 'packages/web/a.ts': '1' } })
    await r.tag('web-v1.0.0')
    await r.tag('v9.0.0')
    await r.commit('fix(api): bug', { files: { 'packages/api/a.ts': '2' } })
    await r.commit('feat(web): page', { files: { 'packages/web/b.ts': '1' } })
    const api = await plan(r, { tagPrefix: 'api-v', paths: ['packages/api'] })
    expect(api).toMatchObject({ version: '1.0.1', tag: 'api-v1.0.1', previousTag: 'api-v1.0.0' })
    expect(api.commits.map(c => c.subject)).toEqual(['bug'])
    const web = await plan(r, { tagPrefix: 'web-v', paths: ['packages/web'] })
    expect(web).toMatchObject({ version: '1.1.0', tag: 'web-v1.1.0' })
  })

  test('tags of other prefixes and invalid versions are ignored; the highest semver wins', async () => {
    const r = await repo()
    await r.commit('feat: a')
    await r.tag('v1.9.0')
    await r.commit('feat: b')
    await r.tag('v1.10.0', { lightweight: true })
    await r.tag('vfoo')
    await r.tag('release-2.0.0')
    await r.commit('fix: c')
    expect(await plan(r)).toMatchObject({ previousTag: 'v1.10.0', version: '1.10.1' })
  })

  test('a shallow checkout is refused with a hint', async () => {
    const r = await repo()
    await r.commit('feat: a')
    await r.commit('feat: b')
    const clone = await repo()
    await clone.git(
      '-c',
      'protocol.file.allow=always',
      'clone',
      '--quiet',
      '--depth',
      '1',
      `file://${r.dir}`,
      'c'
    )
    await expect(planRelease({ cwd: `${clone.dir}/c`, tagPrefix: 'v' })).rejects.toThrow(
      /fetch-depth: 0/
    )
  })
})
