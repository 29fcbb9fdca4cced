import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, type Terminal } from '@slipway/cli'
import { FileDeploymentRecords } from '@slipway/deployments'
import { LedgerFile } from '@slipway/kit'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { repoRoot } from '../helpers/run-bundle.js'
import { bin, gitRepo, slipway } from './helpers.js'

// `slipway status`: what is live per environment, read from the records a real deploy wrote
// (the local ledger), from a committed sample ledger, and from GitHub (the emulator).

const sampleLedger = join(repoRoot, 'test', 'ports', 'deployment-records.sample-ledger.json')
const json = (text: string) => JSON.parse(text)

// The script provider over files, as in stages.test.ts: slot-<name> holds its version, `live`
// the slot that has the traffic.
const hooks = [
  '--prepare-command',
  'echo "$SLIPWAY_VERSION" > "slot-$SLIPWAY_SLOT"',
  '--route-command',
  'test "$SLIPWAY_WEIGHT_BLUE" = 100 && echo blue > live || echo green > live',
  '--current-command',
  'for s in blue green; do test -f slot-$s && echo "$s $(cat slot-$s) $(test "$(cat live 2>/dev/null)" = $s && echo 100 || echo 0)"; done; true',
  '--health-interval',
  '50ms',
  '--health-command',
  'test "$(cat "slot-$SLIPWAY_SLOT")" = "$SLIPWAY_VERSION"'
]

const deploy = (cwd: string, version: string, extra: string[] = []) =>
  slipway(
    [
      'deploy',
      '--strategy',
      'blue-green',
      '--version',
      version,
      '--environment',
      'staging',
      '--keep-previous',
      '10m',
      ...hooks,
      ...extra,
      '--json'
    ],
    { cwd }
  )

describe('over the local ledger', () => {
  const cwd = gitRepo()
  afterAll(() => rmSync(cwd, { recursive: true, force: true }))

  test('after real deploys: the live version, its slot and traffic, the run, the history', async () => {
    expect((await deploy(cwd, '1.0.0')).code).toBe(0)
    expect(
      (await deploy(cwd, '1.1.0', ['--health-command', 'false', '--health-timeout', '300ms'])).code
    ).toBe(1)
    expect((await deploy(cwd, '1.2.0')).code).toBe(0)

    const run = await slipway(['status', '--json'], { cwd })
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    const { environments } = json(run.stdout)
    expect(environments).toHaveLength(1)
    const [staging] = environments
    expect(staging.environment).toBe('staging')
    // Each deploy alternates slots; the failed 1.1.0 left blue with 1.0.0 serving.
    expect(staging.live).toMatchObject({
      version: '1.2.0',
      state: 'success',
      slot: 'green',
      previousSlot: 'blue',
      previousVersion: '1.0.0',
      weights: { green: 100, blue: 0 }
    })
    expect(readFileSync(join(cwd, 'live'), 'utf8').trim()).toBe(staging.live.slot)
    expect(Date.parse(staging.live.previousWarmUntil) - Date.parse(staging.live.liveSince)).toBe(
      600_000
    )
    expect(
      staging.recent.map((d: { version: string; state: string }) => [d.version, d.state])
    ).toEqual([
      ['1.2.0', 'success'],
      ['1.1.0', 'failure'],
      ['1.0.0', 'inactive']
    ])
    expect(staging.unfinished).toEqual([])

    const text = await slipway(['status', '--limit', '2'], { cwd })
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('live:      1.2.0')
    expect(text.stdout).toContain('green 100%, blue 0%')
    expect(text.stdout).toContain('last 2 deployments')
    expect(text.stdout).not.toContain(' 1.0.0  inactive')
  })

  test('the committed sample ledger: a failed deploy does not hide what is live', async () => {
    const run = await slipway(
      [
        'status',
        '--ledger',
        sampleLedger,
        '--repository',
        'local/sample',
        '--environment',
        'staging'
      ],
      { cwd }
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('live:      v1.0.0 (deployment #1, blue-green)')
    expect(run.stdout).toContain('by:        run 11')
    expect(run.stdout).toMatch(/✗ #4 {2}build-7 {2}failure/)
  })

  test('an environment with no deployment says so; an empty ledger says there is nothing', async () => {
    const run = await slipway(['status', '--ledger', sampleLedger, '--environment', 'nowhere'], {
      cwd
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('nothing (no deployment of it succeeded)')
    const empty = await slipway(['status', '--ledger', join(cwd, 'none.json')], { cwd })
    expect(empty.code).toBe(0)
    expect(empty.stdout).toContain('No deployments recorded')
    expect(existsSync(join(cwd, 'none.json'))).toBe(false)
  })

  test.each([
    [['--interval', 'soon'], "Input 'interval'", 'soon'],
    [['--interval', '10ms'], "Input 'interval'", '10ms'],
    [['--limit', '0'], "Input 'limit'", '0'],
    [['--limit', 'all'], "Input 'limit'", 'all'],
    [['--watch=maybe'], "Input 'watch'", 'maybe'],
    [['--environment', ' , '], "Input 'environment'", ','],
    [['--config', 'slipway.yml'], "Input 'config'", 'slipway.yml']
  ])(
    'bad value %j: exit 1, the option named, nothing read or written',
    async (args, named, given) => {
      const ledger = join(cwd, 'untouched.json')
      const run = await slipway(['status', '--ledger', ledger, ...args], { cwd })
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(named)
      expect(run.stderr).toContain(given)
      expect(run.stdout).toBe('')
      expect(existsSync(ledger)).toBe(false)
    }
  )

  test('an unknown option is a usage error (exit 2) with a suggestion', async () => {
    const run = await slipway(['status', '--intervall', '5s'], { cwd })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('did you mean --interval?')
  })
})

describe('--watch', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'slipway-status-'))
  afterAll(() => rmSync(cwd, { recursive: true, force: true }))

  const watches: AbortController[] = []
  afterEach(() => watches.splice(0).forEach(w => w.abort()))

  /** Resolves when `predicate` holds after a read or a draw; the deadline only guards a hang. */
  function follower() {
    const draws: string[] = []
    let reads = 0
    const waiters: (() => void)[] = []
    const wake = () => waiters.splice(0).forEach(w => w())
    const until = (predicate: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('status --watch did not get there')),
          60_000
        )
        const check = () => {
          if (predicate()) {
            clearTimeout(timer)
            resolve()
          } else waiters.push(check)
        }
        check()
      })
    const terminal: Terminal = {
      stdout: text => {
        draws.push(text)
        wake()
      },
      stderr: () => undefined
    }
    return {
      draws,
      terminal,
      reads: () => reads,
      onRead: () => {
        reads++
        wake()
      },
      until
    }
  }

  test('redraws once per change of the ledger, not per read, and stops when interrupted', async () => {
    const ledgerPath = join(cwd, 'ledger.json')
    copyFileSync(sampleLedger, ledgerPath)
    const records = new FileDeploymentRecords(new LedgerFile(ledgerPath), { cwd })
    const f = follower()
    const stop = new AbortController()
    watches.push(stop)
    const running = runCli(
      [
        'status',
        '--watch',
        '--interval',
        '100ms',
        '--ledger',
        ledgerPath,
        '--environment',
        'staging'
      ],
      { cwd, env: {}, terminal: f.terminal, signal: stop.signal, onStatusRead: f.onRead }
    )
    await f.until(() => f.reads() >= 3)
    // Three reads of an unchanged ledger: one drawing.
    expect(f.draws).toHaveLength(1)
    expect(f.draws[0]).toContain('live:      v1.0.0')

    const { deployment } = await records.start({
      environment: 'staging',
      version: 'v2.0.0',
      fallbackRef: 'HEAD',
      payload: { version: 'v2.0.0', strategy: 'canary', slot: 'green', previous_slot: 'blue' }
    })
    await records.setStatus(deployment.id, 'in_progress', 'canary of v2.0.0 started')
    await f.until(() => f.draws.length >= 2)
    expect(f.draws[1]).toContain(`rollout:   #${deployment.id} v2.0.0 in_progress`)
    expect(f.draws[1]).toContain('live:      v1.0.0')

    await records.setStatus(deployment.id, 'success', 'v2.0.0 live via canary on green')
    await f.until(() => f.draws.length >= 3)
    expect(f.draws[2]).toContain('live:      v2.0.0')
    expect(f.draws[2]).not.toContain('rollout:')

    const readsThen = f.reads()
    await f.until(() => f.reads() >= readsThen + 3)
    expect(f.draws).toHaveLength(3)
    stop.abort()
    expect(await running).toBe(0)
  })

  test('--json: one line per change', async () => {
    const ledgerPath = join(cwd, 'json-ledger.json')
    copyFileSync(sampleLedger, ledgerPath)
    const records = new FileDeploymentRecords(new LedgerFile(ledgerPath), { cwd })
    const f = follower()
    const stop = new AbortController()
    watches.push(stop)
    const running = runCli(
      ['status', '--watch', '--interval', '100ms', '--json', '--ledger', ledgerPath],
      {
        cwd,
        env: {},
        terminal: f.terminal,
        signal: stop.signal,
        onStatusRead: f.onRead
      }
    )
    await f.until(() => f.draws.length >= 1)
    await records.start({
      environment: 'production',
      version: 'v3.0.0',
      fallbackRef: 'HEAD',
      payload: { version: 'v3.0.0', strategy: 'rolling', hosts: ['a', 'b'] }
    })
    await f.until(() => f.draws.length >= 2)
    stop.abort()
    expect(await running).toBe(0)
    const lines = f.draws.map(d => json(d))
    expect(f.draws.every(d => d.endsWith('\n') && d.indexOf('\n') === d.length - 1)).toBe(true)
    expect(lines[0].environments.map((e: { environment: string }) => e.environment)).toEqual([
      'staging'
    ])
    expect(lines[1].environments.map((e: { environment: string }) => e.environment)).toEqual([
      'production',
      'staging'
    ])
    expect(lines[1].environments[0].unfinished[0]).toMatchObject({
      version: 'v3.0.0',
      state: 'pending'
    })
  })

  test('the bundle: SIGINT ends the watch with the shell code 130', async () => {
    const child = spawn(process.execPath, [bin, 'status', '--watch', '--ledger', sampleLedger], {
      cwd,
      env: { PATH: process.env.PATH ?? '' }
    })
    let stdout = ''
    const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
    await new Promise<void>(resolve =>
      child.stdout.on('data', chunk => {
        stdout += chunk
        if (stdout.includes('Ctrl-C to stop')) resolve()
      })
    )
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stdout).toContain('live:      v1.0.0')
  })
})

describe('over GitHub (the emulator) with a token', () => {
  let gh: Emulator
  const cwd = gitRepo()
  beforeAll(async () => {
    gh = await startEmulator()
    const sha = gh.state.addCommit({ message: 'feat: app' })
    gh.state.addDeployment({
      ref: '2.0.0',
      sha,
      environment: 'production',
      payload: {
        slipway: 1,
        version: '2.0.0',
        strategy: 'rolling',
        hosts: ['web1', 'web2'],
        run_id: '700'
      },
      statuses: ['in_progress', 'success']
    })
    gh.state.addDeployment({
      ref: '2.1.0',
      sha,
      environment: 'production',
      payload: {
        slipway: 1,
        version: '2.1.0',
        strategy: 'canary',
        slot: 'green',
        previous_slot: 'blue',
        run_id: '701'
      },
      statuses: ['in_progress']
    })
    gh.state.addDeployment({
      ref: '5.0.0',
      sha,
      environment: 'staging',
      payload: { slipway: 1, version: '5.0.0', strategy: 'blue-green', slot: 'blue' },
      statuses: ['in_progress', 'success']
    })
  })
  afterAll(async () => {
    await gh.close()
    rmSync(cwd, { recursive: true, force: true })
  })

  test('every environment, what is live and what is rolling out; the token never printed', async () => {
    const run = await slipway(
      [
        'status',
        '--json',
        '--token',
        gh.token,
        '--api-url',
        gh.url,
        '--repository',
        `${gh.owner}/${gh.repo}`
      ],
      { cwd }
    )
    expect(run.stderr).not.toContain('error')
    expect(run.code).toBe(0)
    const { environments } = json(run.stdout)
    expect(environments.map((e: { environment: string }) => e.environment)).toEqual([
      'staging',
      'production'
    ])
    const production = environments[1]
    expect(production.live).toMatchObject({
      version: '2.0.0',
      hosts: ['web1', 'web2'],
      runId: '700'
    })
    expect(production.unfinished).toMatchObject([
      { version: '2.1.0', state: 'in_progress', runId: '701' }
    ])
    expect(environments[0].live).toMatchObject({ version: '5.0.0', weights: { blue: 100 } })
    expect(run.stdout + run.stderr).not.toContain(gh.token)
    expect(gh.requests.every(r => r.headers.authorization === `token ${gh.token}`)).toBe(true)
  })

  test('a token GitHub refuses: exit 1, plainly, the token not printed', async () => {
    const run = await slipway(
      [
        'status',
        '--token',
        'ghp_wrongToken123456789',
        '--api-url',
        gh.url,
        '--repository',
        `${gh.owner}/${gh.repo}`
      ],
      { cwd }
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('error:')
    expect(run.stdout + run.stderr).not.toContain('ghp_wrongToken123456789')
  })
})
