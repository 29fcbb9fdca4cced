/**
 * The release workflows run as GitHub would run them: the starter (workflows-templates/
 * release.yml) previews on a pull request and releases on a push; ours (.github/workflows/
 * release.yml) releases what ci validated, or by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { failedSteps, results, startHarness, type Harness } from './harness.js'

let h: Harness

beforeAll(async () => {
  h = await startHarness()
  h.repository.write({ 'README.md': 'library\n' })
  h.repository.commit('feat: the first feature')
})

afterAll(async () => {
  await h?.close()
})

const tags = () =>
  Object.keys(h.github.state.refs)
    .filter(ref => ref.startsWith('refs/tags/'))
    .map(ref => ref.slice('refs/tags/'.length))
    .sort()

describe('workflows-templates/release.yml', () => {
  const workflow = 'workflows-templates/release.yml'

  it('previews the next version on a pull request and writes nothing', async () => {
    const head = h.repository.head()
    const run = await h.run({
      workflow,
      event: 'pull_request',
      ref: 'refs/pull/7/merge',
      payload: { pull_request: { number: 7, head: { sha: head } } }
    })
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({ preview: 'success', release: 'skipped' })
    expect(run.jobs.preview.steps[1].summary).toContain('v0.1.0')
    expect(tags()).toEqual([])
    expect(h.github.state.releases).toEqual([])
  }, 120_000)

  it('releases on a push to main: tag, release and major tag', async () => {
    const run = await h.run({ workflow, event: 'push' })
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({ preview: 'skipped', release: 'success' })
    expect(tags()).toEqual(['v0', 'v0.1.0'])
    expect(h.github.state.releases.map(r => r.tag_name)).toEqual(['v0.1.0'])
    expect(h.github.state.resolveCommit('v0.1.0')).toBe(h.repository.head())
  }, 120_000)

  it('converges when the same push runs again', async () => {
    const run = await h.run({ workflow, event: 'push' })
    expect(failedSteps(run)).toEqual([])
    expect(h.github.state.releases.map(r => r.tag_name)).toEqual(['v0.1.0'])
  }, 120_000)
})

describe('.github/workflows/release.yml', () => {
  const workflow = '.github/workflows/release.yml'

  it('releases nothing when ci failed', async () => {
    h.repository.write({ 'lib.txt': 'a fix\n' })
    const sha = h.repository.commit('fix: a bug')
    const run = await h.run({
      workflow,
      event: 'workflow_run',
      payload: { workflow_run: { conclusion: 'failure', event: 'push', head_sha: sha } }
    })
    expect(results(run)).toEqual({ release: 'skipped' })
    expect(tags()).toEqual(['v0', 'v0.1.0'])
  }, 120_000)

  it('releases the commit ci validated', async () => {
    const sha = h.repository.head()
    const run = await h.run({
      workflow,
      event: 'workflow_run',
      payload: { workflow_run: { conclusion: 'success', event: 'push', head_sha: sha } }
    })
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({ release: 'success' })
    expect(run.jobs.release.steps[1].outputs).toMatchObject({ released: 'true', tag: 'v0.1.1' })
    expect(run.jobs.release.steps[2].log).toContain('::notice title=Released::v0.1.1')
    expect(h.github.state.resolveCommit('v0.1.1')).toBe(sha)
  }, 120_000)

  it('by hand: a dry run writes nothing, release-as makes the first major', async () => {
    const dry = await h.run({
      workflow,
      event: 'workflow_dispatch',
      inputs: { 'release-as': '1.0.0' }
    })
    expect(failedSteps(dry)).toEqual([])
    expect(tags()).not.toContain('v1.0.0')
    const run = await h.run({
      workflow,
      event: 'workflow_dispatch',
      inputs: { 'dry-run': false, 'release-as': '1.0.0' }
    })
    expect(failedSteps(run)).toEqual([])
    expect(tags()).toEqual(expect.arrayContaining(['v1', 'v1.0.0']))
    expect(h.github.state.resolveCommit('v1')).toBe(h.repository.head())
  }, 120_000)
})
