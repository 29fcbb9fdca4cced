import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { planRelease, prependChangelog } from '@slipway/release'
import { GitFixture } from './git-fixture.js'

const cleanup: Array<() => void> = []
afterAll(() => cleanup.forEach(f => f()))
const URL = 'https://github.com/octo/app'

describe('release notes', () => {
  test('sections in order, scopes bold, commit/issue/PR/user links, compare link, extra sections', async () => {
    const r = await GitFixture.create()
    cleanup.push(() => r.remove())
    await r.commit('feat: base\n')
    await r.tag('v2.1.0')
    const c1 = await r.commit('fix(parser): handle empty lines (#12)\n')
    const c2 = await r.commit(
      'feat: export as CSV\n\nThanks @hubot for the idea.\nCloses #7, fixes other/repo#9\n'
    )
    const c3 = await r.commit('perf(db): batch inserts\n')
    const c4 = await r.commit('feat(api)!: drop the v1 endpoints\n')
    const c5 = await r.commit('docs: api guide\n')
    const c6 = await r.commit('chore: bump deps\n')
    const c7 = await r.commit('feat(api): pagination\n\nBREAKING CHANGE: `page` starts at 1\n')
    const p = await planRelease({
      cwd: r.dir,
      tagPrefix: 'v',
      repoUrl: URL,
      extraSections: [{ type: 'docs', title: 'Documentation' }]
    })
    const l = (sha: string) => `[${sha.slice(0, 7)}](${URL}/commit/${sha})`
    expect(p.version).toBe('3.0.0')
    expect(p.notes).toBe(
      [
        `## [3.0.0](${URL}/compare/v2.1.0...v3.0.0) (2026-01-01)`,
        '',
        '### ⚠ BREAKING CHANGES',
        '',
        `* **api:** \`page\` starts at 1 (${l(c7)})`,
        `* **api:** drop the v1 endpoints (${l(c4)})`,
        '',
        '### Features',
        '',
        `* **api:** drop the v1 endpoints (${l(c4)})`,
        `* **api:** pagination (${l(c7)})`,
        `* export as CSV (${l(c2)}), closes [#7](${URL}/issues/7), [other/repo#9](https://github.com/other/repo/issues/9)`,
        '',
        '### Bug Fixes',
        '',
        `* **parser:** handle empty lines ([#12](${URL}/issues/12)) (${l(c1)})`,
        '',
        '### Performance Improvements',
        '',
        `* **db:** batch inserts (${l(c3)})`,
        '',
        '### Documentation',
        '',
        `* api guide (${l(c5)})`,
        ''
      ].join('\n')
    )
    expect(p.notes).not.toContain(c6.slice(0, 7))
  })

  test('without a previous tag or repository URL: plain heading, short hashes', async () => {
    const r = await GitFixture.create()
    cleanup.push(() => r.remove())
    const c = await r.commit('fix: first fix\n')
    const p = await planRelease({ cwd: r.dir, tagPrefix: 'v' })
    expect(p.notes).toBe(
      `## 0.0.1 (2026-01-01)\n\n### Bug Fixes\n\n* first fix (${c.slice(0, 7)})\n`
    )
  })
})

describe('CHANGELOG.md', () => {
  test('created with a title, prepended under it, idempotent per version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-changelog-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'CHANGELOG.md')
    expect(
      prependChangelog(file, '## [1.0.0](x) (2026-01-01)\n\n### Features\n\n* a\n', '1.0.0').changed
    ).toBe(true)
    expect(
      prependChangelog(file, '## [1.1.0](x) (2026-01-02)\n\n### Bug Fixes\n\n* b\n', '1.1.0')
        .changed
    ).toBe(true)
    expect(
      prependChangelog(file, '## [1.1.0](x) (2026-01-02)\n\n### Bug Fixes\n\n* b\n', '1.1.0')
        .changed
    ).toBe(false)
    expect(readFileSync(file, 'utf8')).toBe(
      '# Changelog\n\n## [1.1.0](x) (2026-01-02)\n\n### Bug Fixes\n\n* b\n\n## [1.0.0](x) (2026-01-01)\n\n### Features\n\n* a\n'
    )
    writeFileSync(file, '# History of my app\n\nOld text.\n')
    prependChangelog(file, '## 2.0.0-rc.1 (2026-02-01)\n\n* c\n', '2.0.0-rc.1')
    expect(prependChangelog(file, '## 2.0.0 (2026-02-02)\n\n* d\n', '2.0.0').changed).toBe(true)
    expect(readFileSync(file, 'utf8')).toBe(
      '# History of my app\n\n## 2.0.0 (2026-02-02)\n\n* d\n\n## 2.0.0-rc.1 (2026-02-01)\n\n* c\n\nOld text.\n'
    )
  })
})
