// A redeploy needs the artifact the target version was deployed from; a later job may not have
// that file. The rollback says so before anything changes, and a route-back never asks for it.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHarness, type Harness } from './harness.js'

let h: Harness
const artifactOf = (version: string): string => join(h.stateDir, `${version}.tar`)

async function deploy(version: string): Promise<void> {
  writeFileSync(artifactOf(version), `build of ${version}`)
  const run = await h.run('deploy-strategy', {
    ...h.providerInputs,
    strategy: 'blue-green',
    version,
    environment: 'staging',
    artifact: artifactOf(version),
    'keep-previous': '10m'
  })
  expect(run.annotations.errors).toEqual([])
}

beforeAll(async () => {
  h = await startHarness()
  for (const version of ['v1.0.0', 'v1.1.0', 'v1.2.0']) await deploy(version)
}, 120_000)

afterAll(async () => {
  await h?.close()
})

describe('the recorded artifact', () => {
  test('missing for a redeploy: a clear error, traffic and records unchanged', async () => {
    rmSync(artifactOf('v1.0.0'))
    const deployments = h.gh.state.deployments.length
    const changes = h.proxy.changes.length
    const run = await h.run('rollback', {
      ...h.providerInputs,
      environment: 'staging',
      version: 'v1.0.0'
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toContain(
      `the artifact v1.0.0 was deployed from (${artifactOf('v1.0.0')}) is not on this runner`
    )
    expect(h.proxy.changes.length).toBe(changes)
    expect(h.gh.state.deployments.length).toBe(deployments)
    expect(await h.live()).toBe('v1.2.0')
  }, 60_000)

  test('missing for a route-back: not needed, the warm slot takes the traffic', async () => {
    rmSync(artifactOf('v1.1.0'))
    const run = await h.run('rollback', { ...h.providerInputs, environment: 'staging' })
    expect(run.annotations.errors).toEqual([])
    expect(run.outputs).toMatchObject({ 'rolled-back-to': 'v1.1.0', mode: 'route-back' })
    expect(await h.live()).toBe('v1.1.0')
  }, 60_000)
})
