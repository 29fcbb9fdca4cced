import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { deployBlueGreen, startHarness, type Harness } from './harness.js'

// The rollback annotates the bad version's release through its tag: `<tag-prefix><version>`,
// with the same default prefix as tag-and-release (`v`), so a deployment recorded as `1.2.0`
// finds the release `v1.2.0`, and a version that already carries the prefix is not doubled.

let h: Harness

const deploy = (version: string): Promise<number> => deployBlueGreen(h, version)

function releaseBody(tag: string): string {
  return String(h.gh.state.releases.find(r => r.tag_name === tag)?.body ?? '')
}

beforeAll(async () => {
  h = await startHarness()
  for (const tag of ['v1.1.0', 'v1.2.0', 'v1.3.0']) {
    h.gh.state.addTag(tag)
    h.gh.state.addRelease({ tag_name: tag, name: tag, body: `Notes of ${tag}` })
  }
  await deploy('1.1.0')
  await deploy('1.2.0')
}, 120_000)

afterAll(async () => {
  await h?.close()
})

describe('rollback release tag', () => {
  test('a version recorded without the prefix finds its v-tagged release (default prefix)', async () => {
    const run = await h.run('rollback', { ...h.providerInputs, environment: 'staging' })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'rolled-back-from': '1.2.0', 'rolled-back-to': '1.1.0' })
    expect(releaseBody('v1.2.0')).toMatch(/^> ⚠ \*\*Rolled back\*\* in staging .* back to 1\.1\.0/)
    expect(releaseBody('v1.1.0')).toBe('Notes of v1.1.0')
    expect(run.summary).toMatch(/v1\.2\.0[^\n]*: annotated/)
    expect(run.summary).not.toContain('no release')
  }, 90_000)

  test('a version that already carries the prefix is not prefixed twice', async () => {
    await deploy('v1.3.0')
    const real = await h.run('rollback', {
      ...h.providerInputs,
      environment: 'staging',
      version: '1.1.0',
      'tag-prefix': 'v'
    })
    const plan = JSON.parse(real.outputs.plan) as { steps: { kind: string; tags?: string[] }[] }
    expect(plan.steps.find(step => step.kind === 'mark-release')?.tags).toEqual(['v1.3.0'])
    expect(real.outputs.plan).not.toContain('vv1.3.0')
    expect(real.annotations.errors).toEqual([])
    expect(real.exitCode).toBe(0)
    expect(releaseBody('v1.3.0')).toMatch(/^> ⚠ \*\*Rolled back\*\* in staging .* back to 1\.1\.0/)
    expect(real.summary).toMatch(/v1\.3\.0[^\n]*: annotated/)
  }, 90_000)
})
