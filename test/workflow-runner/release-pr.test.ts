/**
 * The release pull request starter (workflows-templates/release-pr.yml) run as GitHub would run
 * it: a push proposes the release as a pull request from `slipway/release` (pushed with git to
 * the repository the checkout cloned, which the GitHub emulator reads as its remote); merging
 * it and pushing again releases.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { failedSteps, results, startHarness, type Harness } from './harness.js'

const workflow = 'workflows-templates/release-pr.yml'
let h: Harness

beforeAll(async () => {
  h = await startHarness()
  h.repository.write({ 'package.json': '{\n  "name": "lib",\n  "version": "0.0.0"\n}\n' })
  h.repository.commit('feat: the first feature')
  h.github.state.linkGitRemote(h.repository.dir)
})

afterAll(async () => {
  await h?.close()
})

const step = (run: Awaited<ReturnType<Harness['run']>>) => run.jobs['release-pr'].steps[1]

describe(workflow, () => {
  it('proposes the release as a pull request and tags nothing yet', async () => {
    const run = await h.run({ workflow, event: 'push' })
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({ 'release-pr': 'success' })
    expect(step(run).outputs).toMatchObject({ 'pull-request-action': 'opened' })
    const [pull] = h.github.state.pulls.list
    expect(pull).toMatchObject({ head: 'slipway/release', base: 'main', state: 'open' })
    expect(h.repository.git('show', 'slipway/release:package.json')).toContain('"version": "0.1.0"')
    expect(Object.keys(h.github.state.refs).filter(r => r.startsWith('refs/tags/'))).toEqual([])
  }, 120_000)

  it('releases the merged pull request on the next push', async () => {
    const [pull] = h.github.state.pulls.list
    h.repository.git(
      'merge',
      '-q',
      '--no-ff',
      '-m',
      `chore: release 0.1.0 (#${pull.number})`,
      'slipway/release'
    )
    const merge = h.repository.git('rev-parse', 'HEAD')
    h.github.state.pulls.syncGitRemote()
    h.github.state.pulls.merge(pull.number, merge)
    const run = await h.run({ workflow, event: 'push', sha: merge })
    expect(failedSteps(run)).toEqual([])
    expect(step(run).outputs).toMatchObject({ 'pull-request-action': 'released', tag: 'v0.1.0' })
    expect(h.github.state.resolveCommit('v0.1.0')).toBe(merge)
    expect(h.github.state.releases.map(r => r.tag_name)).toEqual(['v0.1.0'])
  }, 120_000)
})
