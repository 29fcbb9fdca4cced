import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { InputError, Inputs, type RunnerEnv } from '@slipway/kit'
import { parseDeploySettings } from '@slipway/strategies'
import { runBundle } from '../helpers/run-bundle.js'
import { startTaggedLoad, versionShares, type TaggedAnswer } from '../services/load.js'
import { killApps, writeSampleApp } from '../services/sample-app.js'
import { freePort, ownedTempDir, tempDir } from '../services/process.js'
import {
  routedBetween,
  scriptProxyInputs,
  startWeightedProxy,
  type WeightedProxy
} from '../services/weighted-proxy.js'

// The script provider driving a weight-switching proxy (no reload): every cutover under load
// must lose ZERO requests, and responses must move between versions as planned. Every claim
// is judged from events (which requests were written after which weight change, which were
// answered before the next), never from clock windows a busy machine stretches.

// Deadlines, not budgets: each deploy runs a bundle and several hook processes.
jest.setTimeout(180_000)
const BUNDLE_DEADLINE_MS = 120_000

const runnerEnv: RunnerEnv = {
  workspace: tempDir('script-workspace'),
  runnerTemp: tempDir('script-runner-temp'),
  repository: 'octo/shop',
  sha: 'a'.repeat(40),
  runId: '7'
}

// afterAll stops the apps by their pid files here, so it removes this dir itself
const stateDir = ownedTempDir('script-state')
const app = writeSampleApp(tempDir('script-app'))
let slots: WeightedProxy
let hosts: WeightedProxy
const slotAddr: Record<string, string> = {}
const hostAddr: Record<string, string> = {}

beforeAll(async () => {
  for (const name of ['blue', 'green']) slotAddr[name] = `127.0.0.1:${await freePort()}`
  for (const name of ['web1', 'web2', 'web3']) hostAddr[name] = `127.0.0.1:${await freePort()}`
  slots = await startWeightedProxy(slotAddr, stateDir)
  hosts = await startWeightedProxy(hostAddr, stateDir)
})

afterAll(async () => {
  killApps(stateDir, [...Object.keys(slotAddr), ...Object.keys(hostAddr)])
  rmSync(stateDir, { recursive: true, force: true })
  await slots?.close()
  await hosts?.close()
})

function deploy(
  proxy: WeightedProxy,
  addresses: Record<string, string>,
  inputs: Record<string, string | undefined>
) {
  return runBundle('deploy-strategy', {
    inputs: {
      ...scriptProxyInputs(addresses),
      'health-url': 'http://127.0.0.1/unused',
      'health-timeout': '5s',
      'record-deployment': 'false',
      'drain-delay': '300ms',
      ...inputs
    },
    env: { STATE_DIR: stateDir, APP: app, PROXY_CONTROL: proxy.controlUrl },
    timeoutMs: BUNDLE_DEADLINE_MS
  })
}

/**
 * Runs a deploy while a non-retrying load hits the proxy, with the proxy recording where the
 * load stood at each weight change. The load is flowing (answers came back) before the deploy
 * starts, and it stops only once requests written after the deploy returned were answered, so
 * the whole deploy is under load however slow the machine is.
 */
async function underLoad(proxy: WeightedProxy, run: () => ReturnType<typeof deploy>) {
  const load = startTaggedLoad({
    url: proxy.url,
    connections: 10,
    rate: 500,
    maxDurationMs: 2 * BUNDLE_DEADLINE_MS
  })
  proxy.watch(load)
  let result: Awaited<ReturnType<typeof deploy>>
  let deployed: number
  try {
    await load.waitForAnswers(0, 100, 30_000)
    result = await run()
    deployed = load.mark()
    await load.waitForAnswers(deployed, 200, 30_000)
  } finally {
    proxy.watch(undefined)
    await load.stop()
  }
  const traffic = await load.stop()
  /** Answers to requests written after the deploy returned. */
  const afterDeploy = traffic.answers.filter(a => a.seq >= deployed)
  return { result, traffic, afterDeploy }
}

const versionsOf = (answers: TaggedAnswer[]): string[] => [...new Set(answers.map(a => a.version))]

const version = (slot: string): string | undefined => {
  const file = join(stateDir, `${slot}.version`)
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}

describe('blue-green (script provider, weight-switching proxy)', () => {
  test('first deploy puts v1 on blue with all traffic', async () => {
    const run = await deploy(slots, slotAddr, {
      strategy: 'blue-green',
      version: 'v1',
      'keep-previous': '0'
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.slot).toBe('blue')
    expect(run.outputs['previous-version']).toBe('')
    expect(slots.weights()).toEqual({ blue: 100, green: 0 })
    expect(version('blue')).toBe('v1')
  })

  test('switches v1 → v2 under load with zero failed requests and retires the old slot', async () => {
    const changesBefore = slots.changes.length
    const { result, traffic, afterDeploy } = await underLoad(slots, () =>
      deploy(slots, slotAddr, {
        strategy: 'blue-green',
        version: 'v2',
        'keep-previous': '0',
        'migrate-command': 'curl -fsS "$PROXY_CONTROL/current" > "$STATE_DIR/at-migrate"'
      })
    )
    expect(result.annotations.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      slot: 'green',
      version: 'v2',
      'previous-version': 'v1',
      strategy: 'blue-green',
      status: 'success'
    })
    // migrate ran after green was prepared (v2 running) and before traffic moved
    expect(readFileSync(join(stateDir, 'at-migrate'), 'utf8')).toMatch(/blue v1 100\ngreen v2 0/)
    expect(traffic.failures).toEqual([])
    expect(slots.changes.length).toBe(changesBefore + 1)
    const switched = slots.changes[changesBefore]
    // every answer that came back before the switch is v1; every request written after it is v2
    const beforeSwitch = traffic.answers.filter(a => switched.answeredBefore!.has(a.seq))
    expect(beforeSwitch.length).toBeGreaterThanOrEqual(100)
    expect(versionsOf(beforeSwitch)).toEqual(['v1'])
    const afterSwitch = traffic.answers.filter(a => a.seq >= switched.mark!)
    expect(afterSwitch.length).toBeGreaterThanOrEqual(afterDeploy.length)
    expect(versionsOf(afterSwitch)).toEqual(['v2'])
    expect(version('blue')).toBeUndefined() // keep-previous 0: retired
    expect(result.summary).toContain('blue-green v2')
    expect(result.summary).toContain('Timeline')
  })

  test('switch: false prepares the idle slot; a second run switches without preparing again', async () => {
    const first = await deploy(slots, slotAddr, {
      strategy: 'blue-green',
      version: 'v3',
      switch: 'false'
    })
    expect(first.exitCode).toBe(0)
    expect(first.outputs.status).toBe('prepared')
    expect(slots.weights()).toEqual({ blue: 0, green: 100 })
    const pid = readFileSync(join(stateDir, 'blue.pid'), 'utf8')
    const second = await deploy(slots, slotAddr, {
      strategy: 'blue-green',
      version: 'v3',
      'keep-previous': '10m'
    })
    expect(second.exitCode).toBe(0)
    expect(second.outputs.status).toBe('success')
    expect(readFileSync(join(stateDir, 'blue.pid'), 'utf8')).toBe(pid) // not restarted
    expect(slots.weights()).toEqual({ blue: 100, green: 0 })
    expect(version('green')).toBe('v2') // kept warm for route-back
    expect(second.summary).toMatch(/warm/)
  })
})

describe('canary (script provider)', () => {
  test('walks 20 → 50 → 100 under load with zero failures and the planned shares', async () => {
    const changesBefore = slots.changes.length
    const steps =
      '- setWeight: 20\n- pause: 1s\n- setWeight: 50\n- pause: 1s\n- analysis: {}\n- setWeight: 100'
    const { result, traffic, afterDeploy } = await underLoad(slots, () =>
      deploy(slots, slotAddr, {
        strategy: 'canary',
        version: 'v4',
        steps,
        'keep-previous': '0',
        'analysis-url': 'http://{address}/',
        'analysis-requests': '10',
        'max-error-rate': '0',
        interval: '2s',
        'measure-every': '200ms',
        'consecutive-successes': '2'
      })
    )
    expect(result.annotations.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs.slot).toBe('green')
    expect(traffic.failures).toEqual([])
    const changes = slots.changes.slice(changesBefore)
    expect(changes.map(c => c.weights.green)).toEqual([20, 50, 100])
    // The canary (green) share among the answers routed by each partial weight alone (written
    // after that change, answered before the next), ±12 points: the plan is what users got.
    for (let i = 0; i < 2; i++) {
      const routed = routedBetween(traffic.answers, changes[i], changes[i + 1])
      expect(routed.length).toBeGreaterThan(30)
      const share = versionShares(routed, 0).v4 ?? 0
      expect(Math.abs(share - changes[i].weights.green)).toBeLessThanOrEqual(12)
    }
    // every request written after the move to 100% reached v4
    const promoted = traffic.answers.filter(a => a.seq >= changes[2].mark!)
    expect(promoted.length).toBeGreaterThanOrEqual(afterDeploy.length)
    expect(versionsOf(promoted)).toEqual(['v4'])
    expect(version('blue')).toBeUndefined()
  })
})

describe('rolling (script provider)', () => {
  test('rolls v1 → v2 over 3 hosts in batches of 1 under load with zero failures', async () => {
    const first = await deploy(hosts, hostAddr, { strategy: 'rolling', version: 'v1' })
    expect(first.annotations.errors).toEqual([])
    expect(hosts.weights()).toEqual({ web1: 1, web2: 1, web3: 1 })
    const changesBefore = hosts.changes.length
    const { result, traffic, afterDeploy } = await underLoad(hosts, () =>
      deploy(hosts, hostAddr, { strategy: 'rolling', version: 'v2', 'batch-size': '1' })
    )
    expect(result.annotations.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(traffic.failures).toEqual([])
    expect(['web1', 'web2', 'web3'].map(version)).toEqual(['v2', 'v2', 'v2'])
    // drain/re-enable per host, never more than one drained at once
    const changes = hosts.changes.slice(changesBefore)
    expect(changes).toHaveLength(6)
    for (const change of changes)
      expect(Object.values(change.weights).filter(w => w === 0).length).toBeLessThanOrEqual(1)
    // both versions served during the rollout; once it returned, only v2
    expect(Object.keys(versionShares(traffic.answers, 0)).sort()).toEqual(['v1', 'v2'])
    expect(versionsOf(afterDeploy)).toEqual(['v2'])
    expect(JSON.parse(result.outputs.plan).batches).toEqual([['web1'], ['web2'], ['web3']])
  })
})

describe('dry-run and bad input change nothing', () => {
  const snapshot = () => ({
    files: readdirSync(stateDir).sort(),
    slots: slots.changes.length,
    hosts: hosts.changes.length
  })

  test('dry-run prints the plan and changes nothing', async () => {
    const before = snapshot()
    const run = await deploy(slots, slotAddr, {
      strategy: 'canary',
      version: 'v9',
      steps: '5,25,50,100',
      'dry-run': 'true'
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('dry-run')
    const plan = JSON.parse(run.outputs.plan)
    expect(plan.weights).toEqual([5, 25, 50, 100])
    expect(plan.slot).toBe('blue')
    expect(run.outputs['rollback-target']).toBe('v4 on slot green')
    expect(run.summary).toContain('dry run')
    expect(run.summary).toContain('5% to canary blue')
    expect(snapshot()).toEqual(before)
  })

  test('bad input through the bundle: an InputError, exit code 1, nothing touched', async () => {
    const before = snapshot()
    const run = await deploy(slots, slotAddr, { version: 'v9', strategy: 'big-bang' })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(
      /Input 'strategy': expected one of blue-green, canary, rolling, got "big-bang"/
    )
    expect(snapshot()).toEqual(before)
  })

  // The same wiring for every other bad input: parsing is where they are refused, before
  // anything runs, so calling it shows the message without spawning a bundle per case.
  test.each([
    [{ strategy: 'canary', steps: '5,50,25' }, /Input 'steps'.*25 does not increase after 50/],
    [{ strategy: 'canary', steps: '5,150' }, /Input 'steps'.*150.*1 to 100/],
    [{ strategy: 'canary', steps: '- setWeight: [5' }, /Input 'steps'.*YAML error/],
    [
      { strategy: 'canary', steps: '- setWeight: 5\n- wait: 1s' },
      /Input 'steps'.*unknown step 'wait'/
    ],
    [
      { strategy: 'rolling', 'batch-size': '0' },
      /Input 'batch-size': expected a whole number of hosts/
    ],
    [
      { strategy: 'blue-green', 'keep-previous': 'forever' },
      /Input 'keep-previous': expected a duration/
    ]
  ])('%j → InputError, nothing touched', (inputs, message) => {
    const before = snapshot()
    const values: Record<string, string | undefined> = {
      ...scriptProxyInputs(inputs.strategy === 'rolling' ? hostAddr : slotAddr),
      'health-url': 'http://127.0.0.1/unused',
      'record-deployment': 'false',
      version: 'v9',
      ...inputs
    }
    const parse = () => parseDeploySettings(new Inputs(name => values[name]), runnerEnv)
    expect(parse).toThrow(InputError)
    expect(parse).toThrow(message)
    expect(snapshot()).toEqual(before)
  })
})
