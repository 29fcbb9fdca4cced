import { afterAll, describe, expect, test } from '@jest/globals'
import { Bumper } from 'conventional-recommended-bump'
import conventionalcommits from 'conventional-changelog-conventionalcommits'
import angular from 'conventional-changelog-angular'
import { planRelease } from '@slipway/release'
import { GitFixture } from './git-fixture.js'

/**
 * Our bump must equal conventional-recommended-bump's on every generated history. Histories
 * start at v1.0.0 (the reference's preMajor rule differs from ours before 1.0.0). The
 * conventionalcommits preset runs with `bumpStrict` (hidden types such as chore/docs release
 * nothing, as in our rule); angular has no "no release" answer, no `!` headers and no
 * BREAKING-CHANGE keyword, so it is compared where those do not occur and we do release.
 */

type Step =
  | { kind: 'commit'; message: string; breakingHeader?: boolean; dashFooter?: boolean }
  | { kind: 'revert-in-range'; target: number }
  | { kind: 'revert-released' }

const TYPES = ['feat', 'fix', 'perf', 'chore', 'docs', 'refactor', 'test', 'ci', 'build', 'style']
const SCOPES = [undefined, 'api', 'ui', 'core']

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function generate(seed: number): Step[] {
  const next = random(seed)
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]
  const steps: Step[] = []
  const count = 1 + Math.floor(next() * 6)
  for (let i = 0; i < count; i++) {
    const roll = next()
    if (roll < 0.1 && steps.some(s => s.kind === 'commit')) {
      const commits = steps.map((s, index) => ({ s, index })).filter(x => x.s.kind === 'commit')
      steps.push({ kind: 'revert-in-range', target: pick(commits).index })
      continue
    }
    if (roll < 0.16) {
      steps.push({ kind: 'revert-released' })
      continue
    }
    const type = pick(TYPES)
    const scope = pick(SCOPES)
    const breakingHeader = next() < 0.12
    const footer =
      next() < 0.12 ? (next() < 0.5 ? 'BREAKING CHANGE' : 'BREAKING-CHANGE') : undefined
    const header = `${type}${scope ? `(${scope})` : ''}${breakingHeader ? '!' : ''}: change ${seed}-${i}`
    const body = footer
      ? `\n\nsome body text\n\n${footer}: behaviour ${i} changed\n`
      : next() < 0.3
        ? `\n\nRefs #${10 + i}\n`
        : '\n'
    steps.push({
      kind: 'commit',
      message: `${header}${body}`,
      breakingHeader,
      dashFooter: footer === 'BREAKING-CHANGE'
    })
  }
  return steps
}

// Hand-written cases first (each category at least once), then generated ones.
const HAND: Step[][] = [
  [{ kind: 'commit', message: 'feat: a\n' }],
  [{ kind: 'commit', message: 'fix: a\n' }],
  [{ kind: 'commit', message: 'perf(core): a\n' }],
  [
    { kind: 'commit', message: 'chore: a\n' },
    { kind: 'commit', message: 'docs: b\n' }
  ],
  [{ kind: 'commit', message: 'feat!: a\n', breakingHeader: true }],
  [{ kind: 'commit', message: 'chore: a\n\nBREAKING CHANGE: gone\n' }],
  [{ kind: 'commit', message: 'fix: a\n\nBREAKING-CHANGE: gone\n', dashFooter: true }],
  [
    { kind: 'commit', message: 'feat: a\n' },
    { kind: 'revert-in-range', target: 0 }
  ],
  [
    { kind: 'commit', message: 'feat: a\n' },
    { kind: 'commit', message: 'fix: b\n' },
    { kind: 'revert-in-range', target: 0 }
  ],
  [{ kind: 'revert-released' }],
  [{ kind: 'commit', message: 'docs: a\n' }, { kind: 'revert-released' }],
  [
    { kind: 'commit', message: 'feat(api)!: a\n', breakingHeader: true },
    { kind: 'revert-in-range', target: 0 }
  ]
]
const CASES: Step[][] = [
  ...HAND,
  ...Array.from({ length: 28 }, (_, i) => generate(1000 + i * 7919))
]

async function build(steps: Step[]): Promise<GitFixture> {
  const repo = await GitFixture.create('slipway-agree-')
  const released = await repo.commit('feat(core): released feature\n', {
    files: { 'core.txt': 'v1' }
  })
  await repo.tag('v1.0.0')
  const shas: string[] = []
  for (const [index, step] of steps.entries()) {
    if (step.kind === 'commit')
      shas[index] = await repo.commit(step.message, { files: { [`f${index}.txt`]: String(index) } })
    else if (step.kind === 'revert-in-range') shas[index] = await repo.revert(shas[step.target])
    else shas[index] = await repo.revert(released)
  }
  return repo
}

async function reference(
  dir: string,
  preset: ReturnType<typeof conventionalcommits>
): Promise<string> {
  const result = await new Bumper(dir)
    .tag({ prefix: 'v' })
    .config(preset as never)
    .bump(preset.whatBump as never)
  return 'releaseType' in result && result.releaseType ? result.releaseType : 'none'
}

const repos: GitFixture[] = []
afterAll(() => repos.forEach(r => r.remove()))

// One test per history, each with its own deadline: a single test over all 40 histories
// ran past its deadline on a busy machine although every history took a few seconds.
describe('agreement with conventional-recommended-bump', () => {
  const seen = new Set<string>()
  let angularCompared = 0

  test('the generated set is large enough to mean something', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30)
  })

  test.each(CASES.map((steps, index) => [index, steps] as const))(
    'history %i: same bump as conventionalcommits (and angular where it applies)',
    async (index, steps) => {
      const repo = await build(steps)
      repos.push(repo)
      const ours = (await planRelease({ cwd: repo.dir, tagPrefix: 'v' })).bump
      seen.add(ours)
      const theirs = await reference(repo.dir, conventionalcommits({ bumpStrict: true }))
      expect(`${ours} (${JSON.stringify(steps)})`).toBe(`${theirs} (${JSON.stringify(steps)})`)
      const angularApplies =
        ours !== 'none' &&
        !steps.some(s => s.kind === 'commit' && (s.breakingHeader || s.dashFooter))
      if (angularApplies) {
        angularCompared++
        expect(`angular ${ours} (case ${index})`).toBe(
          `angular ${await reference(repo.dir, angular())} (case ${index})`
        )
      }
    },
    60_000
  )

  // The generated set exercises every answer, so agreement is not vacuous.
  test('the histories cover every bump and enough angular comparisons', () => {
    expect([...seen].sort()).toEqual(['major', 'minor', 'none', 'patch'])
    expect(angularCompared).toBeGreaterThanOrEqual(10)
  })
})
