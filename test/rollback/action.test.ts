import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startPushgateway, type PushgatewayServer } from '../services/pushgateway.js'
import { tempDir } from '../helpers/temp-dir.js'
import { deployBlueGreen, startHarness, statusesOf, type Harness } from './harness.js'

// The rollback bundle as the runner runs it, against the GitHub emulator and two real slots of
// the sample app behind a weight-switching proxy (script provider). Deployments come from the
// deploy-strategy bundle, so the history rollback reads is the one a real pipeline writes.

let h: Harness
let pushgateway: PushgatewayServer
const ids: Record<string, number> = {}

const deploy = (version: string): Promise<number> => deployBlueGreen(h, version)

interface PlanOutput {
  strategy: string
  mode: string
  from: string
  to: string
  rollbackTarget: string
  onFailure: { kind: string }[]
  steps: { kind: string; [field: string]: unknown }[]
}

/** The `plan` output: deploy-strategy's plan, with rollback's steps among the deploy steps. */
const planOf = (outputs: Record<string, string>): PlanOutput =>
  JSON.parse(outputs.plan) as PlanOutput
const kinds = (plan: PlanOutput): string[] => plan.steps.map(step => step.kind)

beforeAll(async () => {
  h = await startHarness()
  pushgateway = await startPushgateway()
  for (const version of ['v1.0.0', 'v1.1.0', 'v1.2.0']) {
    h.gh.state.addTag(version)
    h.gh.state.addRelease({ tag_name: version, name: version, body: `Notes of ${version}` })
  }
  ids.v1 = await deploy('v1.0.0')
  ids.v2 = await deploy('v1.1.0')
  ids.v3 = await deploy('v1.2.0')
}, 120_000)

afterAll(async () => {
  await pushgateway?.close()
  await h?.close()
})

describe('rollback action', () => {
  test('bad input fails with an InputError naming the input, and changes nothing', async () => {
    const before = h.gh.state.deployments.length
    const changes = h.proxy.changes.length
    const bad = await h.run('rollback', {
      ...h.providerInputs,
      environment: 'staging',
      'deployment-id': 'abc'
    })
    expect(bad.exitCode).toBe(1)
    expect(bad.annotations.errors.join('\n')).toMatch(/deployment-id/)
    const unknown = await h.run('rollback', {
      ...h.providerInputs,
      environment: 'staging',
      version: 'v9.9.9'
    })
    expect(unknown.exitCode).toBe(1)
    expect(unknown.annotations.errors.join('\n')).toMatch(/Invalid input 'version'|version/)
    expect(unknown.annotations.errors.join('\n')).toMatch(/v1\.1\.0/)
    expect(h.gh.state.deployments.length).toBe(before)
    expect(h.proxy.changes.length).toBe(changes)
  }, 60_000)

  test('a bad provider input fails at parse, before the Deployment history is read', async () => {
    const requests = h.gh.requests.length
    const changes = h.proxy.changes.length
    const nginx = await h.run('rollback', {
      ...h.providerInputs,
      environment: 'staging',
      provider: 'nginx',
      'nginx-upstream-file': 'conf/upstream.conf'
    })
    expect(nginx.exitCode).toBe(1)
    expect(nginx.annotations.errors.join('\n')).toMatch(
      /'nginx-upstream-file': expected an absolute path/
    )
    const docker = await h.run('rollback', {
      environment: 'staging',
      provider: 'docker',
      image: 'app:1.0.0',
      port: '3000',
      hosts: 'web1 ssh=nobody'
    })
    expect(docker.exitCode).toBe(1)
    expect(docker.annotations.errors.join('\n')).toMatch(/'hosts'/)
    expect(h.gh.requests.length).toBe(requests)
    expect(h.proxy.changes.length).toBe(changes)
  }, 60_000)

  test('dry-run prints the target and plan and changes nothing', async () => {
    const before = h.gh.state.deployments.length
    const run = await h.run('rollback', {
      ...h.providerInputs,
      environment: 'staging',
      'dry-run': 'true'
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      'rolled-back-from': 'v1.2.0',
      'rolled-back-to': 'v1.1.0',
      mode: 'route-back',
      status: 'dry-run',
      'deployment-id': ''
    })
    expect(run.summary).toContain('dry run')
    const plan = planOf(run.outputs)
    expect(plan).toMatchObject({
      strategy: 'blue-green',
      mode: 'route-back',
      from: 'v1.2.0',
      to: 'v1.1.0'
    })
    // the warm slot passes its health gate again before traffic goes back to it
    expect(kinds(plan)).toEqual(['health', 'route', 'record', 'mark-deployments', 'mark-release'])
    expect(plan.steps[0]).toMatchObject({ targets: ['green'], version: 'v1.1.0' })
    expect(plan.steps[1]).toMatchObject({ weights: { blue: 0, green: 100 } })
    expect(plan.steps[3]).toMatchObject({ deploymentIds: [ids.v3] })
    expect(plan.steps[4]).toMatchObject({ tags: ['v1.2.0'], prerelease: true })
    // the dry run prints, and the summary lists, the same steps
    expect(run.stdout).toContain('5. annotate release v1.2.0')
    expect(run.summary).toContain(`mark #${ids.v3} failure + inactive`)
    expect(h.gh.state.deployments.length).toBe(before)
    expect(await h.live()).toBe('v1.2.0')
  }, 60_000)

  test('provider settings from a config file (the deploy section), validated by the schema', async () => {
    const { writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { stringify } = await import('yaml')
    const dir = tempDir('rollback-config')
    const file = join(dir, 'slipway.yml')
    writeFileSync(
      file,
      stringify({ version: 1, environments: { staging: { deploy: h.providerInputs } } })
    )
    const run = await h.run('rollback', {
      environment: 'staging',
      'config-file': file,
      'dry-run': 'true'
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.outputs).toMatchObject({ 'rolled-back-to': 'v1.1.0', mode: 'route-back' })
    writeFileSync(
      file,
      stringify({ version: 1, environments: { staging: { deploy: { strateg: 'x' } } } })
    )
    const bad = await h.run('rollback', { environment: 'staging', 'config-file': file })
    expect(bad.exitCode).toBe(1)
    expect(bad.annotations.errors.join('\n')).toMatch(/'config-file'.*unknown key 'strateg'/)
  }, 60_000)

  test('automatic: rolls the failed deployment back to the warm previous slot and records it', async () => {
    const run = await h.run('rollback', {
      ...h.providerInputs,
      environment: 'staging',
      'deployment-id': String(ids.v3),
      reason: 'smoke test failed',
      'smoke-url': `${h.proxy.url}health`,
      'smoke-expect-body': 'v1.1.0',
      'pushgateway-url': pushgateway.url
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      'rolled-back-from': 'v1.2.0',
      'rolled-back-to': 'v1.1.0',
      mode: 'route-back',
      status: 'success'
    })
    expect(Number(run.outputs.duration)).toBeGreaterThanOrEqual(0)
    expect(kinds(planOf(run.outputs))).toEqual([
      'health',
      'route',
      'record',
      'smoke',
      'mark-deployments',
      'mark-release'
    ])
    expect(await h.live()).toBe('v1.1.0')
    expect(h.proxy.weights()).toEqual({ blue: 0, green: 100 })
    const id = Number(run.outputs['deployment-id'])
    const record = h.gh.state.deployments.find(d => d.id === id)!
    expect(record.ref).toBe('v1.1.0')
    expect(record.payload).toMatchObject({
      version: 'v1.1.0',
      rollback_of: ids.v3,
      rolled_back_from: 'v1.2.0',
      rollback_mode: 'route-back'
    })
    expect(statusesOf(h.gh, id).map(s => s.split(':')[0])).toEqual(['in_progress', 'success'])
    const bad = statusesOf(h.gh, ids.v3)
    expect(bad.slice(-2)).toEqual([
      `failure: rolled back to v1.1.0 by deployment #${id}: smoke test failed`,
      `inactive: rolled back to v1.1.0 by deployment #${id}: smoke test failed`
    ])
    const release = h.gh.state.releases.find(r => r.tag_name === 'v1.2.0')!
    expect(String(release.body)).toMatch(/^> ⚠ \*\*Rolled back\*\* in staging .* back to v1\.1\.0/)
    expect(String(release.body)).toContain('Notes of v1.2.0')
    expect(release.prerelease).toBe(true)
    expect(run.summary).toContain('rollback: staging v1.2.0 → v1.1.0')
    // the rollback as dashboards and alert rules see it
    const metrics = (await (await fetch(`${pushgateway.url}/metrics`)).text()).split('\n')
    expect(
      metrics.filter(
        line =>
          line.startsWith('slipway_deploy_rollback{') &&
          line.includes('environment="staging"') &&
          line.includes('version="v1.1.0"')
      )
    ).toEqual([expect.stringMatching(/kind="rollback".* 1$/)])
  }, 60_000)

  test('a second rollback in a row goes to N-2 by redeploying its artifact', async () => {
    const run = await h.run('rollback', { ...h.providerInputs, environment: 'staging' })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      'rolled-back-from': 'v1.1.0',
      'rolled-back-to': 'v1.0.0',
      mode: 'redeploy'
    })
    const plan = planOf(run.outputs)
    expect(kinds(plan)).toEqual([
      'prepare',
      'health',
      'route',
      'record',
      'mark-deployments',
      'mark-release'
    ])
    expect(plan.steps[0]).toMatchObject({ targets: ['blue'], version: 'v1.0.0' })
    // what a failed redeploy would have undone, computed with the plan
    expect(plan.onFailure.map(step => step.kind)).toContain('tear-down')
    expect(await h.live()).toBe('v1.0.0')
    expect(h.version('blue')).toBe('v1.0.0')
    // the original v1.1.0 deployment is marked too, so it is never chosen again
    expect(statusesOf(h.gh, ids.v2).at(-1)).toMatch(/^inactive: rolled back to v1\.0\.0/)
    // nothing good is left before v1.0.0: a third rollback says so and changes nothing
    const changes = h.proxy.changes.length
    const third = await h.run('rollback', { ...h.providerInputs, environment: 'staging' })
    expect(third.exitCode).toBe(1)
    expect(third.annotations.errors.join('\n')).toMatch(
      /No earlier successful deployment of staging/
    )
    expect(h.proxy.changes.length).toBe(changes)
  }, 90_000)

  test('manual rollback to a given version', async () => {
    h.gh.state.addTag('v1.3.0')
    ids.v4 = await deploy('v1.3.0')
    expect(await h.live()).toBe('v1.3.0')
    const run = await h.run(
      'rollback',
      { ...h.providerInputs, environment: 'staging', version: 'v1.0.0', 'mark-release': 'false' },
      { GITHUB_EVENT_NAME: 'workflow_dispatch' }
    )
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ 'rolled-back-from': 'v1.3.0', 'rolled-back-to': 'v1.0.0' })
    expect(await h.live()).toBe('v1.0.0')
    expect(statusesOf(h.gh, ids.v4).at(-1)).toMatch(/^inactive: rolled back to v1\.0\.0/)
  }, 90_000)
})
