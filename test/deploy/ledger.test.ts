import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals'
import { DeploymentLedger, clipDescription } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { runBundle } from '../helpers/run-bundle.js'
import { tempDir } from '../services/process.js'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// Some tests run the deploy-strategy bundle: a deadline, not a budget, generous for a busy machine.
jest.setTimeout(120_000)

// The GitHub Deployment ledger against the OpenAPI-validating emulator: every request and
// response is checked against GitHub's schema (close() throws otherwise).

let gh: Emulator
let sha: string
beforeEach(async () => {
  gh = await startEmulator()
  sha = gh.state.addCommit({ message: 'feat: first' })
  gh.state.setRef('refs/tags/v1.0.0', sha)
  gh.state.setRef('refs/tags/v1.1.0', gh.state.addCommit({ message: 'fix: second' }))
  gh.state.setRef('refs/tags/v1.2.0', gh.state.addCommit({ message: 'fix: third' }))
})
afterEach(async () => {
  await gh.close()
})

const ledgerFor = (runId = '77') =>
  new DeploymentLedger(
    createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 2 }),
    { owner: gh.owner, repo: gh.repo },
    {
      runId,
      runAttempt: '1',
      serverUrl: 'https://github.com',
      repository: `${gh.owner}/${gh.repo}`
    }
  )

async function deployOnce(
  ledger: DeploymentLedger,
  version: string,
  final: 'success' | 'failure',
  extra: Record<string, unknown> = {}
) {
  const { deployment } = await ledger.start({
    environment: 'staging',
    version,
    payload: { version, strategy: 'blue-green', slot: 'green', ...extra },
    productionEnvironment: false
  })
  await ledger.setStatus(deployment.id, 'in_progress', `deploying ${version}`)
  await ledger.setStatus(deployment.id, final, `${version} ${final}`, {
    environmentUrl: 'https://staging.example.com'
  })
  return deployment.id
}

describe('DeploymentLedger', () => {
  test('creates the deployment with safe defaults and records statuses with links', async () => {
    const ledger = ledgerFor()
    const { deployment, created } = await ledger.start({
      environment: 'production',
      version: 'v1.0.0',
      payload: {
        version: 'v1.0.0',
        strategy: 'canary',
        artifact: 'app.tgz',
        slot: 'green',
        previous_version: 'v0.9.0',
        backup_id: 'bk-1'
      },
      productionEnvironment: true,
      transientEnvironment: false
    })
    expect(created).toBe(true)
    const sent = gh.requests.find(r => r.method === 'POST' && r.path.endsWith('/deployments'))!
      .body as Record<string, unknown>
    expect(sent).toMatchObject({
      ref: 'v1.0.0',
      auto_merge: false,
      required_contexts: [],
      environment: 'production',
      production_environment: true,
      transient_environment: false
    })
    expect(sent.payload).toMatchObject({
      slipway: 1,
      version: 'v1.0.0',
      strategy: 'canary',
      backup_id: 'bk-1',
      previous_version: 'v0.9.0',
      run_id: '77'
    })
    await ledger.setStatus(deployment.id, 'in_progress', 'x'.repeat(300))
    await ledger.setStatus(deployment.id, 'success', 'live', {
      environmentUrl: 'https://app.example.com'
    })
    const statuses = gh.state.deploymentStatuses(deployment.id)
    expect(statuses.map(s => s.state)).toEqual(['success', 'in_progress'])
    expect(String(statuses[1].description).length).toBe(140)
    expect(statuses[0]).toMatchObject({
      environment_url: 'https://app.example.com',
      log_url: 'https://github.com/octo/app/actions/runs/77'
    })
  })

  test('a re-run of the same job finds its deployment instead of creating a second one', async () => {
    const first = await ledgerFor('500').start({
      environment: 'staging',
      version: 'v1.1.0',
      payload: { version: 'v1.1.0', strategy: 'rolling' }
    })
    const again = await ledgerFor('500').start({
      environment: 'staging',
      version: 'v1.1.0',
      payload: { version: 'v1.1.0', strategy: 'rolling' }
    })
    const otherRun = await ledgerFor('501').start({
      environment: 'staging',
      version: 'v1.1.0',
      payload: { version: 'v1.1.0', strategy: 'rolling' }
    })
    expect(again).toMatchObject({ created: false, deployment: { id: first.deployment.id } })
    expect(otherRun.created).toBe(true)
    expect(gh.state.deployments).toHaveLength(2)
  })

  test('adopts a given deployment id', async () => {
    const { deployment } = await ledgerFor('1').start({
      environment: 'staging',
      version: 'v1.0.0',
      payload: { version: 'v1.0.0', strategy: 'blue-green' }
    })
    const adopted = await ledgerFor('2').start({
      environment: 'staging',
      version: 'v1.0.0',
      deploymentId: deployment.id,
      payload: { version: 'v1.0.0', strategy: 'blue-green' }
    })
    expect(adopted).toMatchObject({ created: false, deployment: { id: deployment.id } })
    expect(gh.state.deployments).toHaveLength(1)
  })

  test('a version that is not a ref is recorded against the fallback commit', async () => {
    const { deployment } = await ledgerFor().start({
      environment: 'staging',
      version: 'build-4711',
      fallbackRef: sha,
      payload: { version: 'build-4711', strategy: 'blue-green' }
    })
    expect(deployment.ref).toBe(sha)
    expect(deployment.payload.version).toBe('build-4711')
  })

  test('history keeps every status; lastGood skips failures and rolled-back deployments', async () => {
    const ledger = ledgerFor()
    const d1 = await deployOnce(ledger, 'v1.0.0', 'success')
    const d2 = await deployOnce(ledgerFor('78'), 'v1.1.0', 'success') // auto_inactive turns d1 inactive
    const d3 = await deployOnce(ledgerFor('79'), 'v1.2.0', 'failure')
    const history = await ledger.history('staging')
    expect(history.map(d => d.id)).toEqual([d3, d2, d1])
    expect(history[2].statuses.map(s => s.state)).toEqual(['in_progress', 'success', 'inactive'])
    expect(history[2].state).toBe('inactive')
    expect((await ledger.lastGood('staging'))?.id).toBe(d2)
    // a rollback of d2 (recorded by the rollback action) makes d1 the last good one
    await deployOnce(ledgerFor('80'), 'v1.0.0', 'success', { rollback_of: d2 })
    const good = await ledger.lastGood('staging', { before: d3 })
    expect(good?.id).toBe(d1)
    expect(good?.statuses.some(s => s.state === 'success')).toBe(true)
  })

  test('survives a 502 from GitHub (retried)', async () => {
    gh.faults.inject({
      method: 'POST',
      path: `/repos/${gh.owner}/${gh.repo}/deployments`,
      status: 502,
      times: 1
    })
    const { created } = await ledgerFor().start({
      environment: 'staging',
      version: 'v1.0.0',
      payload: { version: 'v1.0.0', strategy: 'blue-green' }
    })
    expect(created).toBe(true)
    expect(gh.state.deployments).toHaveLength(1)
  })

  test('descriptions are clipped to 140 characters on one line', () => {
    expect(clipDescription('a\nb')).toBe('a b')
    expect(clipDescription('y'.repeat(200))).toHaveLength(140)
  })
})

describe('deploy-strategy bundle records the Deployment', () => {
  const routeFile = () => join(stateDir, 'weights')
  let stateDir: string
  beforeEach(() => {
    stateDir = tempDir('ledger-state')
    writeFileSync(routeFile(), '')
  })

  const run = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    runBundle('deploy-strategy', {
      inputs: {
        strategy: 'blue-green',
        provider: 'script',
        environment: 'staging',
        'prepare-command': 'echo "$SLIPWAY_SLOT $SLIPWAY_VERSION" >> "$STATE_DIR/prepared"',
        'route-command': 'printf %s "$SLIPWAY_WEIGHTS" > "$STATE_DIR/weights"',
        // The "platform" here is the prepared file: the gate checks the slot runs this version.
        'health-command': 'grep -qx "$SLIPWAY_SLOT $SLIPWAY_VERSION" "$STATE_DIR/prepared"',
        'environment-url': 'https://staging.example.com',
        'backup-id': 'backup-2026-11-26',
        'github-token': gh.token,
        'drain-delay': '0',
        ...inputs
      },
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
        GITHUB_SHA: sha,
        STATE_DIR: stateDir,
        ...env
      }
    })

  test('success: in_progress → success with environment and log URLs, outputs set; a re-run converges', async () => {
    const result = await run({ version: 'v1.0.0' })
    expect(result.annotations.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    const [deployment] = gh.state.deployments
    expect(result.outputs['deployment-id']).toBe(String(deployment.id))
    expect(result.outputs['environment-url']).toBe('https://staging.example.com/')
    expect(deployment.payload).toMatchObject({
      version: 'v1.0.0',
      strategy: 'blue-green',
      slot: 'blue',
      backup_id: 'backup-2026-11-26',
      run_id: '1001'
    })
    const statuses = gh.state.deploymentStatuses(deployment.id as number)
    expect(statuses.map(s => s.state)).toEqual(['success', 'in_progress'])
    expect(statuses[0]).toMatchObject({
      environment_url: 'https://staging.example.com/',
      log_url: 'https://github.com/octo/app/actions/runs/1001'
    })
    expect(readFileSync(routeFile(), 'utf8')).toBe('blue=100,green=0')
    const again = await run({ version: 'v1.0.0' })
    expect(again.exitCode).toBe(0)
    expect(gh.state.deployments).toHaveLength(1)
  })

  test('failure: an unhealthy version records failure and moves no traffic', async () => {
    const result = await run({
      version: 'v1.1.0',
      'health-command': 'exit 1',
      'health-timeout': '300ms',
      'health-interval': '100ms'
    })
    expect(result.exitCode).toBe(1)
    const [deployment] = gh.state.deployments
    const statuses = gh.state.deploymentStatuses(deployment.id as number)
    expect(statuses.map(s => s.state)).toEqual(['failure', 'in_progress'])
    expect(String(statuses[0].description)).toMatch(/^failed/)
    expect(String(statuses[0].description).length).toBeLessThanOrEqual(140)
    expect(readFileSync(routeFile(), 'utf8')).toBe('')
  })

  test('without current-command the Deployment history tells which slot is live', async () => {
    expect((await run({ version: 'v1.0.0' })).outputs.slot).toBe('blue')
    const second = await run({ version: 'v1.1.0' }, { GITHUB_RUN_ID: '1002' })
    expect(second.exitCode).toBe(0)
    expect(second.outputs).toMatchObject({ slot: 'green', 'previous-version': 'v1.0.0' })
    expect(readFileSync(routeFile(), 'utf8')).toBe('blue=0,green=100')
    expect(gh.state.deployments[1].payload).toMatchObject({
      slot: 'green',
      previous_slot: 'blue',
      previous_version: 'v1.0.0'
    })
    // with neither history nor current-command, blue-green refuses to guess
    const blind = await run({ version: 'v1.2.0', 'record-deployment': 'false' })
    expect(blind.exitCode).toBe(1)
    expect(blind.annotations.errors.join('\n')).toMatch(/Input 'current-command'/)
  })

  test('dry-run and bad input create no deployment', async () => {
    const dry = await run({ version: 'v1.0.0', 'dry-run': 'true' })
    expect(dry.exitCode).toBe(0)
    const bad = await run({ version: 'v1.0.0', strategy: 'canary', steps: '50,10' })
    expect(bad.exitCode).toBe(1)
    expect(bad.annotations.errors.join('\n')).toMatch(/Input 'steps'/)
    expect(gh.state.deployments).toHaveLength(0)
    expect(gh.requests.filter(r => r.method === 'POST')).toHaveLength(0)
  })
})
