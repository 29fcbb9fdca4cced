// A version read back from the Deployment history is checked like the input (issue #12): anyone
// with deployments: write can record `../..` as a payload version, and a rollback to it must not
// build a release directory, an artifact path or a hook value outside release-dir.
import { afterEach, beforeEach, expect, test } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { rollback } from '@slipway/rollback'
import { buildDeployConfig } from '@slipway/strategies'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { tempDir } from '../services/process.js'
import { testDeploySettings } from './helpers.js'

let gh: Emulator
beforeEach(async () => {
  gh = await startEmulator()
  gh.state.setRef('refs/tags/v1.0.0', gh.state.addCommit({ message: 'feat: first' }))
  gh.state.setRef('refs/tags/v1.1.0', gh.state.addCommit({ message: 'fix: second' }))
})
afterEach(async () => {
  await gh.close()
})

test('a hostile version in the history is refused before any hook runs', async () => {
  const ledger = new DeploymentLedger(
    createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 0 }),
    { owner: gh.owner, repo: gh.repo },
    { runId: '7', runAttempt: '1' }
  )
  const record = async (version: string, payloadVersion: string, slot: string) => {
    const { deployment } = await ledger.start({
      environment: 'staging',
      version,
      payload: { version: payloadVersion, strategy: 'blue-green', slot },
      productionEnvironment: false
    })
    await ledger.setStatus(deployment.id, 'success', `${version} live`)
  }
  // The "good" deployment to return to carries a version that climbs out of release-dir.
  await record('v1.0.0', 'v1/../../../escaped', 'blue')
  await record('v1.1.0', 'v1.1.0', 'green')

  const dir = tempDir('rollback-version')
  process.env.HOOK_MARK_DIR = join(dir, 'hooks')
  const attempt = rollback({
    environment: 'staging',
    dryRun: false,
    ledger,
    deployConfig: request =>
      buildDeployConfig({
        ...request,
        environment: 'staging',
        provider: 'nginx',
        ...testDeploySettings,
        targets: ['blue=127.0.0.1:1', 'green=127.0.0.1:2'],
        upstreamFile: join(dir, 'upstream.conf'),
        startCommand: 'mkdir -p "$HOOK_MARK_DIR" && touch "$HOOK_MARK_DIR/started"',
        releaseDir: join(dir, 'releases')
      })
  })
  await expect(attempt).rejects.toThrow(
    /^Input 'version': expected a version such as v1\.4\.2 .*got "v1\/\.\.\/\.\.\/\.\.\/escaped"$/
  )
  expect(readdirSync(dir)).toEqual([])
  // nothing recorded either: only the two deployments of the setup
  expect(gh.state.deployments).toHaveLength(2)
})
