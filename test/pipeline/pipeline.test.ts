import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { tempDir } from '../services/process.js'
import { startHarness, statusesOf, type Harness } from '../rollback/harness.js'

// The all-in-one bundle (root action.yml → dist/pipeline) as the runner runs it: provider
// settings from a config file, smoke settings from inputs, GitHub emulated, real app slots.

let h: Harness
let configFile: string

beforeAll(async () => {
  h = await startHarness()
  const dir = tempDir('pipeline-config')
  configFile = join(dir, 'slipway.yml')
  writeFileSync(
    configFile,
    stringify({
      version: 1,
      defaults: {
        deploy: { ...h.providerInputs, strategy: 'blue-green', 'keep-previous': '10m' },
        preflight: { enabled: false }
      },
      environments: { staging: { smoke: { 'expect-status': '200' } } }
    })
  )
  // v1.2.0 passes its health check but answers 500 on `/`: only the smoke test sees it.
  writeFileSync(join(h.stateDir, 'env-v1.2.0'), 'FAIL_RATE=1\n')
  // v1.3.0 never becomes healthy: the deploy itself fails (closed) and the rollback records it.
  writeFileSync(join(h.stateDir, 'env-v1.3.0'), 'UNHEALTHY=1\n')
  for (const v of ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1.3.0']) h.gh.state.addTag(v)
}, 60_000)

afterAll(async () => {
  await h?.close()
})

const pipeline = (inputs: Record<string, string>) =>
  h.run('pipeline', {
    environment: 'staging',
    'config-file': configFile,
    'smoke-url': h.proxy.url,
    'smoke-timeout': '2s',
    ...inputs
  })

describe('pipeline action', () => {
  test('good deploys: v1.0.0 then v1.1.0, with the smoke test and a stage timeline', async () => {
    const first = await pipeline({ version: 'v1.0.0' })
    expect(first.annotations.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    const run = await pipeline({ version: 'v1.1.0' })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      status: 'success',
      version: 'v1.1.0',
      'previous-version': 'v1.0.0',
      'failed-stage': ''
    })
    const timeline = JSON.parse(run.outputs.timeline) as {
      stage: string
      status: string
      detail: string
    }[]
    expect(timeline.map(t => `${t.stage}:${t.status}`)).toEqual([
      'preflight:skipped',
      'backup:skipped',
      'deploy:success',
      'smoke:success',
      'release:skipped'
    ])
    expect(timeline[0].detail).toMatch(/enabled: false/)
    expect(await h.live()).toBe('v1.1.0')
    expect(run.summary).toContain('Slipway pipeline: ✅ v1.1.0 deployed to staging')
    expect(run.summary).toContain('```mermaid\ngantt')
    expect(run.summary).toMatch(/\| deploy \| ✅ success \|/)
    expect(run.summary).toContain('<details><summary>deploy: success</summary>')
  }, 90_000)

  test('bad input: an InputError naming the input, exit 1, nothing deployed', async () => {
    const before = h.gh.state.deployments.length
    const badStage = await pipeline({ version: 'v1.2.0', stages: 'deploy,bogus' })
    expect(badStage.exitCode).toBe(1)
    expect(badStage.annotations.errors.join('\n')).toMatch(/'stages'/)
    // a bad smoke setting is found before the deploy runs
    const badSmoke = await pipeline({ version: 'v1.2.0', 'smoke-timeout': 'soon' })
    expect(badSmoke.exitCode).toBe(1)
    expect(badSmoke.annotations.errors.join('\n')).toMatch(/'timeout'/)
    expect(h.gh.state.deployments.length).toBe(before)
    expect(await h.live()).toBe('v1.1.0')
  }, 60_000)

  test('dry run plans every stage and changes nothing', async () => {
    const before = h.gh.state.deployments.length
    const run = await pipeline({ version: 'v1.2.0', 'dry-run': 'true' })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('dry-run')
    expect(h.gh.state.deployments.length).toBe(before)
    expect(await h.live()).toBe('v1.1.0')
  }, 60_000)

  test('a version that fails the smoke test is rolled back automatically to the warm slot', async () => {
    const run = await pipeline({ version: 'v1.2.0' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({
      status: 'rolled-back',
      'failed-stage': 'smoke',
      'rolled-back-to': 'v1.1.0'
    })
    expect(run.annotations.errors.join('\n')).toMatch(/smoke failed .*rolled back to v1\.1\.0/s)
    expect(await h.live()).toBe('v1.1.0')
    const bad = Number(run.outputs['deployment-id'])
    expect(statusesOf(h.gh, bad).at(-1)).toMatch(/^inactive: rolled back to v1\.1\.0/)
    const rollbackId = Number(run.outputs['rollback-deployment-id'])
    expect(statusesOf(h.gh, rollbackId).at(-1)).toMatch(
      /^success: v1\.1\.0 live again via route-back/
    )
    const timeline = JSON.parse(run.outputs.timeline) as { stage: string; status: string }[]
    expect(timeline.map(t => `${t.stage}:${t.status}`)).toEqual([
      'preflight:skipped',
      'backup:skipped',
      'deploy:success',
      'smoke:failure',
      'release:skipped',
      'rollback:success'
    ])
    expect(run.summary).toContain('↩️ v1.2.0 rolled back in staging')
  }, 90_000)

  test('a deploy that fails its health gate is rolled back (traffic never left v1.1.0) and recorded', async () => {
    // the GitHub API stumbles once on the way (a 502 the client retries)
    h.gh.faults.inject({
      method: 'POST',
      path: /\/deployments\/\d+\/statuses$/,
      status: 502,
      times: 1
    })
    const run = await pipeline({ version: 'v1.3.0' })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(/deploy failed .*rolled back to v1\.1\.0/s)
    expect(run.outputs).toMatchObject({
      status: 'rolled-back',
      'failed-stage': 'deploy',
      'rolled-back-to': 'v1.1.0'
    })
    expect(await h.live()).toBe('v1.1.0')
    const bad = Number(run.outputs['deployment-id'])
    expect(statusesOf(h.gh, bad).map(s => s.split(':')[0])).toEqual([
      'in_progress',
      'failure',
      'inactive'
    ])
    const timeline = JSON.parse(run.outputs.timeline) as { stage: string; detail: string }[]
    expect(timeline.find(t => t.stage === 'rollback')?.detail).toMatch(
      /v1\.3\.0 → v1\.1\.0 \(none\)/
    )
  }, 90_000)
})
