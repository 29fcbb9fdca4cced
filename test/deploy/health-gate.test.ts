// The health gate never passes without a probe that reached the target (issue #12): with no
// health setting the script provider connects to each target's address, the timeline names the
// probe, a gate with nothing to probe is refused up front, and turning it off is explicit.
import { afterAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { ScriptProvider, type Target } from '@slipway/providers'
import {
  buildDeployConfig,
  executePlan,
  makePlan,
  type DeployInputs,
  type DeployRequest
} from '@slipway/strategies'
import { runBundle } from '../helpers/run-bundle.js'
import { freePort, tempDir } from '../services/process.js'
import { testDeploySettings } from './helpers.js'

// Some tests run the deploy-strategy bundle: a deadline, not a budget, generous for a busy machine.
jest.setTimeout(120_000)

const dir = tempDir('health-gate')
const listeners: Server[] = []
afterAll(async () => {
  for (const server of listeners) await new Promise(resolve => server.close(resolve))
})

async function listen(port: number): Promise<void> {
  const server = createServer(socket => socket.end())
  listeners.push(server)
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
}

// Hooks that keep "which slot runs what" in files; prepare starts nothing by itself.
const hooks = {
  prepareCommand: 'printf %s "$SLIPWAY_VERSION" > "$GATE_DIR/$SLIPWAY_SLOT.version"',
  routeCommand: 'printf %s "$SLIPWAY_WEIGHTS" > "$GATE_DIR/routed"',
  retireCommand: 'rm -f "$GATE_DIR/$SLIPWAY_SLOT.version"'
}
process.env.GATE_DIR = dir

function provider(
  targets: Target[],
  extra: Partial<ConstructorParameters<typeof ScriptProvider>[0]> = {}
) {
  return new ScriptProvider({
    targets,
    environment: 'test',
    ...hooks,
    hookTimeoutMs: 10_000,
    kind: 'slot',
    ...extra
  })
}

describe('the script provider with no health setting', () => {
  test('probes a TCP connection: fails while nothing listens, passes once something does', async () => {
    const port = await freePort()
    const green = { name: 'green', address: `127.0.0.1:${port}` }
    const script = provider([{ name: 'blue', address: '127.0.0.1:1' }, green])
    const closed = await script.health(green)
    expect(closed.ok).toBe(false)
    expect(closed.message).toBe(`tcp 127.0.0.1:${port}: connection refused (ECONNREFUSED)`)
    await listen(port)
    const open = await script.health(green)
    expect(open.ok).toBe(true)
    expect(open.message).toMatch(new RegExp(`^tcp 127\\.0\\.0\\.1:${port} accepted a connection`))
  })

  test('a target without an address is never healthy', async () => {
    const outcome = await provider([{ name: 'blue' }, { name: 'green' }]).health({ name: 'green' })
    expect(outcome).toMatchObject({ ok: false })
    expect(outcome.message).toContain('green has no address')
  })

  test('blue-green to a slot where nothing listens fails the gate and never routes', async () => {
    const targets = [
      { name: 'blue', address: `127.0.0.1:${await freePort()}` },
      { name: 'green', address: `127.0.0.1:${await freePort()}` }
    ]
    const script = provider(targets)
    const request: DeployRequest = {
      version: 'v1',
      options: { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 },
      healthTimeoutMs: 400,
      healthIntervalMs: 50
    }
    const plan = makePlan(targets, {}, request)
    const result = await executePlan({ provider: script, plan, request, live: {} })
    expect(result.status).toBe('failure')
    expect(result.error).toMatch(
      /health gate failed .*blue: tcp 127\.0\.0\.1:\d+: connection refused/
    )
    expect(existsSync(join(dir, 'routed'))).toBe(false)
    // the failed slot was torn down
    expect(existsSync(join(dir, 'blue.version'))).toBe(false)
  })

  test('the timeline names the probe that passed', async () => {
    const port = await freePort()
    await listen(port)
    const targets = [
      { name: 'blue', address: `127.0.0.1:${port}` },
      { name: 'green', address: `127.0.0.1:${await freePort()}` }
    ]
    const script = provider(targets)
    const request: DeployRequest = {
      version: 'v1',
      options: { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 },
      healthTimeoutMs: 2000,
      healthIntervalMs: 50
    }
    const result = await executePlan({
      provider: script,
      plan: makePlan(targets, {}, request),
      request,
      live: {}
    })
    expect(result.status).toBe('success')
    const health = result.timeline.find(e => e.step === 'health')!
    expect(health.detail).toMatch(
      new RegExp(`^blue healthy after 1 check\\(s\\) — blue: tcp 127\\.0\\.0\\.1:${port} accepted`)
    )
    expect(readFileSync(join(dir, 'routed'), 'utf8')).toBe('blue=100,green=0')
  })

  test('health-command gets the expected version, so it can tell a stray process from the release', async () => {
    const script = provider([{ name: 'blue' }, { name: 'green' }], {
      healthCommand: 'test "$SLIPWAY_VERSION" = v7 && echo "answers $SLIPWAY_VERSION"'
    })
    expect(await script.health({ name: 'green' }, { version: 'v7' })).toEqual({
      ok: true,
      message: 'health-command passed: answers v7'
    })
    expect((await script.health({ name: 'green' }, { version: 'v6' })).ok).toBe(false)
  })
})

const base: DeployInputs = {
  strategy: 'blue-green',
  version: 'v1.2.3',
  environment: 'test',
  provider: 'script',
  ...testDeploySettings,
  targets: ['blue=127.0.0.1:8081', 'green=127.0.0.1:8082'],
  prepareCommand: 'true',
  routeCommand: 'true',
  releaseDir: join(dir, 'releases')
}

describe('health-check: which probe, chosen up front', () => {
  test.each([
    [{}, 'tcp', /^tcp: a connection to each target's address/],
    [
      { healthUrl: 'http://127.0.0.1:9/{target}' },
      'http',
      /^http: GET http:\/\/127\.0\.0\.1:9\/\{target\}/
    ],
    [{ healthCommand: 'true', healthUrl: 'http://x/' }, 'command', /^command: health-command/],
    [{ healthCheck: 'http' }, 'http', /^http: GET http:\/\/<address>\/health/],
    [{ healthCheck: 'tcp', healthCommand: 'true' }, 'tcp', /^tcp:/],
    [
      { provider: 'nginx' as const, upstreamFile: '/tmp/u.conf', startCommand: 'true' },
      'http',
      /^http:/
    ],
    [{ router: 'haproxy' as const }, 'tcp', /then HAProxy must report the server UP/]
  ])('%j → %s', (extra, kind, describe) => {
    const config = buildDeployConfig({ ...base, ...extra })
    expect(config.request.healthCheck).toBe(kind)
    expect(config.health.kind).toBe(kind)
    expect(config.health.describe).toMatch(describe)
  })

  test('none is explicit, skips the probe and says so in the timeline', async () => {
    const config = buildDeployConfig({ ...base, healthCheck: 'none', targets: ['blue', 'green'] })
    expect(config.health.describe).toMatch(/^⚠️ none/)
    const result = await executePlan({
      provider: config.provider,
      plan: makePlan(config.provider.targets, {}, config.request),
      request: config.request,
      live: {}
    })
    expect(result.status).toBe('success')
    expect(result.timeline.find(e => e.step === 'health')?.detail).toBe(
      'blue NOT probed (health-check: none): the gate is off'
    )
  })

  test('a gate with nothing to probe, or a probe without its setting, is an InputError', () => {
    expect(() => buildDeployConfig({ ...base, targets: ['blue', 'green'] })).toThrow(
      /^Input 'health-check': expected a probe for the health gate: .*, got "auto \(no health-url or health-command; no address on blue, green\)"$/
    )
    expect(() => buildDeployConfig({ ...base, healthCheck: 'command' })).toThrow(
      "Input 'health-command'"
    )
    expect(() =>
      buildDeployConfig({ ...base, healthCheck: 'tcp', targets: ['blue', 'green=127.0.0.1:1'] })
    ).toThrow(/^Input 'targets': expected an address on every target .*, got "blue"$/)
    expect(() =>
      buildDeployConfig({ ...base, healthCheck: 'http', targets: ['blue', 'green'] })
    ).toThrow("Input 'health-url'")
    expect(() => buildDeployConfig({ ...base, healthCheck: 'maybe' })).toThrow(
      `Input 'health-check': expected one of auto, http, tcp, command, none, got "maybe"`
    )
  })
})

describe('versions are single safe path segments', () => {
  test.each([
    'v1/../../../escaped',
    '..',
    'v1..2',
    'release/1.0',
    'v1\u0000',
    'v1\nv2',
    'v1\u001b[31m',
    '.hidden',
    '-rf',
    'a'.repeat(129)
  ])('%j is refused with an InputError naming version', version => {
    expect(() => buildDeployConfig({ ...base, version })).toThrow(
      /^Input 'version': expected a version such as v1\.4\.2/
    )
  })

  test.each(['v1.4.2', '1.0.0-rc.1+build.5', 'a1b2c3d4e5f6', 'v2_hotfix'])(
    '%j is accepted',
    version => {
      expect(buildDeployConfig({ ...base, version }).version).toBe(version)
    }
  )

  test('the nginx provider refuses a hostile version from anywhere (state file, rollback record) before writing', async () => {
    const artifact = join(dir, 'app.js')
    writeFileSync(artifact, 'console.log(1)\n')
    // <dir>/nginx/releases/v1/../../../escaped is <dir>/escaped
    const releaseDir = join(dir, 'nginx', 'releases')
    const config = buildDeployConfig({
      ...base,
      provider: 'nginx',
      upstreamFile: join(dir, 'upstream.conf'),
      startCommand: 'mkdir -p "$SLIPWAY_RELEASE_DIR" && touch "$SLIPWAY_RELEASE_DIR/started"',
      stopCommand: 'touch "$SLIPWAY_RELEASE_DIR/stopped"',
      releaseDir,
      artifact
    })
    const [blue] = config.provider.targets
    await expect(config.provider.prepare(blue, { version: 'v1/../../../escaped' })).rejects.toThrow(
      /refusing version "v1\/\.\.\/\.\.\/\.\.\/escaped" as a release directory/
    )
    await expect(config.provider.retire(blue, { version: '../../escaped' })).rejects.toThrow(
      /refusing version/
    )
    expect(existsSync(join(dir, 'escaped'))).toBe(false)
    expect(existsSync(join(dir, 'nginx'))).toBe(false)
    // a safe version lands where it belongs
    await config.provider.prepare(blue, { version: 'v1' })
    expect(existsSync(join(releaseDir, 'v1', 'app.js'))).toBe(true)
    expect(existsSync(join(releaseDir, 'v1', 'started'))).toBe(true)
  })
})

describe('deploy-strategy as the runner runs it (issue #12)', () => {
  const bundle = (stateDir: string, inputs: Record<string, string>) =>
    runBundle('deploy-strategy', {
      inputs: {
        strategy: 'blue-green',
        provider: 'script',
        'prepare-command': 'printf %s "$SLIPWAY_VERSION" > "$STATE_DIR/$SLIPWAY_SLOT.version"',
        'route-command': 'printf %s "$SLIPWAY_WEIGHTS" > "$STATE_DIR/routed"',
        'current-command': 'true',
        'record-deployment': 'false',
        'health-interval': '100ms',
        'health-timeout': '1s',
        'keep-previous': '0',
        ...inputs
      },
      env: { STATE_DIR: stateDir }
    })

  test('no health setting, nothing listening on the new slot: the gate fails and no traffic moves', async () => {
    const stateDir = tempDir('gate-bundle')
    const port = await freePort()
    const run = await bundle(stateDir, {
      version: 'v1',
      targets: `blue=127.0.0.1:${port}\ngreen=127.0.0.1:${await freePort()}`
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(
      new RegExp(`health gate failed .*blue: tcp 127\\.0\\.0\\.1:${port}: connection refused`)
    )
    expect(existsSync(join(stateDir, 'routed'))).toBe(false)
    expect(run.summary).toMatch(/\*\*Health check:\*\* tcp: a connection to each target's address/)
  })

  test('health-check: none is the explicit way around the gate, warned in the log and the summary', async () => {
    const stateDir = tempDir('gate-bundle-none')
    const run = await bundle(stateDir, {
      version: 'v1',
      targets: 'blue\ngreen',
      'health-check': 'none'
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.annotations.warnings.join('\n')).toMatch(
      /health-check: none — the health gate is off/
    )
    expect(run.summary).toContain('⚠️ **The health gate is off** (`health-check: none`)')
    expect(run.stdout).toContain('blue NOT probed (health-check: none)')
    expect(readFileSync(join(stateDir, 'routed'), 'utf8')).toBe('blue=100,green=0')
  })

  test('a hostile version is an InputError before any hook runs', async () => {
    const stateDir = tempDir('gate-bundle-version')
    const run = await bundle(stateDir, {
      version: 'v1/../../../escaped',
      targets: `blue=127.0.0.1:${await freePort()}\ngreen=127.0.0.1:${await freePort()}`
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(
      /Input 'version': expected a version such as v1\.4\.2 .*got "v1\/\.\.\/\.\.\/\.\.\/escaped"/
    )
    expect(readdirSync(stateDir)).toEqual([])
  })
})
