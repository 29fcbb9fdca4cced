// A canary under way, seen by `slipway status`: the deploy stage records each weight step as the
// Deployment's in_progress status (the step, the weights per target, the last analysis), and
// status reads it back from the same records — the ledger file without a token, GitHub (the
// emulator) with one. The canary is held inside its analysis, so status reads it mid-step.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, type Terminal } from '@slipway/cli'
import {
  DeploymentLedger,
  FileDeploymentRecords,
  type DeploymentRecords
} from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { LedgerFile } from '@slipway/kit'
import {
  describeCanaryProgress,
  runDeploy,
  type DeployConfig,
  type DeployOutcome,
  type Metric
} from '@slipway/strategies'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { FakeClock, FakeProvider } from '../strategies/fake-provider.js'
import { blueGreen, blueLive, canary, request, slots } from '../strategies/helpers.js'

/**
 * An analysis metric that answers only when the test lets it: `waiting()` resolves once a
 * measurement is waiting (the canary sits inside that step's analysis), `release()` lets it pass.
 */
function heldMetric() {
  let pending: (() => void) | undefined
  let onWaiting: (() => void) | undefined
  const metric: Metric = {
    name: 'held',
    measure: () =>
      new Promise(resolve => {
        pending = () => resolve({ ok: true, value: 0, message: 'error rate 0% (held metric)' })
        onWaiting?.()
        onWaiting = undefined
      })
  }
  return {
    metric,
    waiting: () =>
      new Promise<void>(resolve => {
        if (pending) resolve()
        else onWaiting = resolve
      }),
    release: () => {
      const answer = pending
      pending = undefined
      answer?.()
    }
  }
}

function canaryConfig(provider: FakeProvider, metric: Metric): DeployConfig {
  return {
    strategy: 'canary',
    version: 'v2',
    environment: 'production',
    dryRun: false,
    provider,
    request: request(canary('10,50,100'), { analysisConfigured: true }),
    analysis: {
      policy: { intervalMs: 600_000, sampleEveryMs: 100, failureLimit: 0, consecutiveSuccesses: 1 },
      metrics: () => [metric]
    },
    describeAnalysis: [],
    health: { kind: 'http', describe: 'http' }
  }
}

/** `slipway status` in this process, its standard output as text. */
async function status(args: string[], cwd: string): Promise<string> {
  let out = ''
  let err = ''
  const terminal: Terminal = { stdout: text => (out += text), stderr: text => (err += text) }
  const code = await runCli(['status', '--environment', 'production', ...args], {
    cwd,
    env: {},
    terminal
  })
  if (code !== 0) throw new Error(`slipway status exited ${code}: ${err}`)
  return out
}

/**
 * Runs a held canary v1 → v2 (10%, 50%, 100%) recorded in `records`, and calls `look` while it
 * sits in the analysis at 10% and again at 50%; returns the deploy's outcome.
 */
async function heldCanary(
  records: DeploymentRecords,
  fallbackRef: string,
  look: (at: 10 | 50) => Promise<void>
): Promise<DeployOutcome> {
  const held = heldMetric()
  const provider = new FakeProvider(slots, blueLive)
  const running = runDeploy(
    canaryConfig(provider, held.metric),
    { records, fallbackRef },
    undefined,
    new FakeClock()
  )
  await held.waiting()
  await look(10)
  held.release()
  await held.waiting()
  await look(50)
  held.release()
  return running
}

describe('over the local ledger', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'slipway-canary-status-'))
  afterAll(() => rmSync(cwd, { recursive: true, force: true }))

  test('status shows the step, the weights per target and the last analysis while it runs', async () => {
    const ledgerPath = join(cwd, 'ledger.json')
    const records = new FileDeploymentRecords(new LedgerFile(ledgerPath), { cwd })
    // v1 went live on blue before
    const { deployment: v1 } = await records.start({
      environment: 'production',
      version: 'v1',
      fallbackRef: 'HEAD',
      payload: { version: 'v1', strategy: 'blue-green', slot: 'blue' }
    })
    await records.setStatus(v1.id, 'success', 'v1 live via blue-green on blue')
    const seen: Record<number, string> = {}
    const outcome = await heldCanary(records, 'HEAD', async at => {
      seen[at] = await status(['--ledger', ledgerPath], cwd)
    })
    expect(outcome.result.status).toBe('success')

    // what is live is still v1; the traffic it took when it went live is not today's
    expect(seen[10]).toContain('live:      v1')
    expect(seen[10]).toContain(
      'traffic:   blue 100% when it went live (the canary below has moved traffic since)'
    )

    expect(seen[10]).toMatch(/rollout: {3}#\d+ v2 canary, step 1 of 3 since /)
    expect(seen[10]).toContain('weights:   blue 90%, green 10%')
    expect(seen[10]).toContain('analysis:  none finished yet')

    expect(seen[50]).toMatch(/rollout: {3}#\d+ v2 canary, step 2 of 3 since /)
    expect(seen[50]).toContain('weights:   blue 50%, green 50%')
    expect(seen[50]).toContain('analysis:  at 10% passed — 1 consecutive successful measurement(s)')

    // Finished: live, and no rollout left to describe.
    const after = await status(['--ledger', ledgerPath], cwd)
    expect(after).toContain('live:      v2')
    expect(after).not.toContain('rollout:')
    const json = JSON.parse(await status(['--ledger', ledgerPath, '--json'], cwd))
    expect(json.environments[0].unfinished).toEqual([])
  })

  test('a blue-green deploy records no step statuses: its start and its end, as before', async () => {
    const ledgerPath = join(cwd, 'blue-green.json')
    const records = new FileDeploymentRecords(new LedgerFile(ledgerPath), { cwd })
    const outcome = await runDeploy(
      {
        ...canaryConfig(new FakeProvider(slots, blueLive), heldMetric().metric),
        strategy: 'blue-green',
        request: request(blueGreen),
        analysis: undefined
      },
      { records, fallbackRef: 'HEAD' },
      undefined,
      new FakeClock()
    )
    expect(outcome.result.status).toBe('success')
    const [deployment] = await records.history('production')
    expect(deployment.statuses.map(s => s.state)).toEqual(['in_progress', 'success'])
  })

  describe('--watch', () => {
    const stops: AbortController[] = []
    afterEach(() => stops.splice(0).forEach(stop => stop.abort()))

    test('redraws as the canary moves from step to step', async () => {
      const ledgerPath = join(cwd, 'watch.json')
      const records = new FileDeploymentRecords(new LedgerFile(ledgerPath), { cwd })
      const draws: string[] = []
      const waiters: (() => void)[] = []
      const until = (predicate: () => boolean) =>
        new Promise<void>((resolve, reject) => {
          // Only a guard against a hang: the wait ends on a drawing, not on time.
          const timer = setTimeout(() => reject(new Error('status --watch never drew it')), 60_000)
          const check = () => {
            if (!predicate()) return void waiters.push(check)
            clearTimeout(timer)
            resolve()
          }
          check()
        })
      const terminal: Terminal = {
        stdout: text => {
          draws.push(text)
          waiters.splice(0).forEach(wake => wake())
        },
        stderr: () => undefined
      }
      const stop = new AbortController()
      stops.push(stop)
      const watching = runCli(
        [
          'status',
          '--watch',
          '--interval',
          '100ms',
          '--ledger',
          ledgerPath,
          '--environment',
          'production'
        ],
        { cwd, env: {}, terminal, signal: stop.signal }
      )
      const outcome = await heldCanary(records, 'HEAD', async at => {
        const step = at === 10 ? 'step 1 of 3' : 'step 2 of 3'
        await until(() => draws.some(d => d.includes(step)))
      })
      expect(outcome.result.status).toBe('success')
      await until(() => draws.at(-1)!.includes('live:      v2'))
      stop.abort()
      expect(await watching).toBe(0)
      const step1 = draws.findIndex(d => d.includes('step 1 of 3'))
      const step2 = draws.findIndex(d => d.includes('step 2 of 3'))
      expect(step1).toBeGreaterThanOrEqual(0)
      expect(step2).toBeGreaterThan(step1)
      expect(draws[step2]).toContain('analysis:  at 10% passed')
    })
  })
})

describe('over GitHub (the emulator)', () => {
  let gh: Emulator
  const cwd = mkdtempSync(join(tmpdir(), 'slipway-canary-status-gh-'))
  beforeAll(async () => {
    gh = await startEmulator()
  })
  afterAll(async () => {
    await gh?.close()
    rmSync(cwd, { recursive: true, force: true })
  })

  test('the same view from the Deployments API, one status per weight step', async () => {
    const sha = gh.state.addCommit({ message: 'feat: v2' })
    const records = new DeploymentLedger(
      createGitHubClient({ token: gh.token, baseUrl: gh.url }),
      { owner: gh.owner, repo: gh.repo },
      {}
    )
    const flags = [
      '--token',
      gh.token,
      '--api-url',
      gh.url,
      '--repository',
      `${gh.owner}/${gh.repo}`
    ]
    const seen: Record<number, string> = {}
    const outcome = await heldCanary(records, sha, async at => {
      seen[at] = await status(flags, cwd)
    })
    expect(outcome.result.status).toBe('success')
    expect(seen[10]).toContain('canary, step 1 of 3')
    expect(seen[10]).toContain('weights:   blue 90%, green 10%')
    expect(seen[50]).toContain('canary, step 2 of 3')
    expect(seen[50]).toContain('weights:   blue 50%, green 50%')
    expect(seen[50]).toContain('analysis:  at 10% passed')
    expect(seen[50]).not.toContain(gh.token)

    // started, then one per weight step (10, 50, 100), then success
    const id = outcome.deployment!.id
    const states = gh.state
      .deploymentStatuses(id)
      .map(s => s.state)
      .reverse()
    expect(states).toEqual(['in_progress', 'in_progress', 'in_progress', 'in_progress', 'success'])
    expect(gh.validationErrors).toEqual([])
  })
})

describe('the status line', () => {
  test('fits GitHub’s 140 characters and keeps the step and weights whole', () => {
    const line = describeCanaryProgress({
      step: 3,
      steps: 7,
      weights: { 'canary-slot-blue': 75, 'canary-slot-green': 25 },
      analysis: {
        weight: 50,
        ok: true,
        reason: `interval ended with 2 failure(s) ${'x'.repeat(200)}`
      }
    })
    expect(line.length).toBeLessThanOrEqual(140)
    expect(line).toMatch(
      /^canary step 3\/7: canary-slot-blue=75 canary-slot-green=25; analysis at 50% passed: interval ended with 2 failure\(s\) x+…$/
    )
  })
})
