// The registry password and secret env values of a docker deploy, run by the deploy-strategy
// bundle against a host in a network namespace pulling from an htpasswd registry: they reach the
// registry and the container, and nothing else. Not in the step's output, summary or outputs,
// not in any process's argument list while the deploy runs (sampled with `ps` from the root
// namespace and inside the host's), not in the container's command line (`docker inspect`), and
// the secret env file is gone from RUNNER_TEMP and from the host afterwards.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exec } from '../services/process.js'
import type { BundleRun } from '../helpers/run-bundle.js'
import { FAULT_INPUTS, startFleet, type Fleet, type FleetApp } from './fleet.js'

const PASSWORD = `Reg-Pa55-${randomBytes(8).toString('hex')}`
const SECRET = `Env-S3cret-${randomBytes(8).toString('hex')}`
const OTHER = `Second-${randomBytes(8).toString('hex')}`
const SECRETS = [PASSWORD, SECRET, OTHER]
const APP = 'secretive'
let fleet: Fleet
let app: FleetApp
const runnerTemp = mkdtempSync(join(tmpdir(), 'slipway-secrets-runner-'))

beforeAll(async () => {
  fleet = await startFleet({
    hosts: 1,
    images: [{ version: 'v1' }],
    registry: { password: PASSWORD }
  })
  app = await fleet.app({ name: APP, layout: 'slots', inputs: FAULT_INPUTS })
}, 240_000)

afterAll(async () => {
  await fleet?.stop()
  rmSync(runnerTemp, { recursive: true, force: true })
}, 120_000)

/** Files (not deeper than `depth`) under `dir` whose text holds any secret; unreadable ones skipped. */
function filesHolding(dir: string, depth: number): string[] {
  const found: string[] = []
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return found
  }
  for (const entry of entries.slice(0, 500)) {
    const path = join(dir, entry)
    try {
      const stat = statSync(path)
      if (stat.isDirectory() && depth > 0) found.push(...filesHolding(path, depth - 1))
      else if (stat.isFile() && stat.size < 1_000_000) {
        const text = readFileSync(path, 'utf8')
        if (SECRETS.some(secret => text.includes(secret))) found.push(path)
      }
    } catch {
      // gone meanwhile or not readable
    }
  }
  return found
}

/** `mktemp -d` directories in /tmp: where the provider puts files on an SSH host (same filesystem here). */
function mktempDirs(): string[] {
  return readdirSync('/tmp')
    .filter(name => /^tmp\.[A-Za-z0-9]{10}$/.test(name))
    .map(name => join('/tmp', name))
}

test('registry password and secret env reach only the registry and the container', async () => {
  const registry = fleet.registry!
  const pushed = await registry.push(fleet.local, fleet.refs.v1!)
  const [host] = fleet.hosts
  const before = new Set(mktempDirs())
  // Sampled while the deploy runs: argument lists in both namespaces, and the secret env file
  // (in RUNNER_TEMP, and in a mktemp directory on the host) while it exists.
  const samples: string[] = []
  const envFilesSeen = new Set<string>()
  let deployEnded = false
  const sampler = (async () => {
    for (let round = 0; round < 5000 && !deployEnded; round++) {
      const ps =
        round % 2 === 0
          ? exec('ps', ['-eo', 'args'], { timeoutMs: 10_000 })
          : exec('nsenter', [`--net=/run/netns/${host!.netns}`, '--', 'ps', '-eo', 'args'], {
              timeoutMs: 10_000
            })
      samples.push(await ps.catch(() => ''))
      for (const dir of readdirSync(runnerTemp).filter(n => n.startsWith('slipway-env-')))
        envFilesSeen.add(join(runnerTemp, dir))
      for (const dir of mktempDirs().filter(d => !before.has(d)))
        for (const path of filesHolding(dir, 0)) envFilesSeen.add(path)
    }
  })()
  let run: BundleRun
  try {
    run = await app.deploy(
      'v1',
      {
        'image-archive': undefined,
        image: pushed.ref,
        registry: registry.url,
        'registry-username': registry.username,
        'registry-password': PASSWORD,
        'secret-env': `SLIPWAY_TEST_SECRET=${SECRET}\n# a comment\nSLIPWAY_OTHER=${OTHER}`
      },
      { RUNNER_TEMP: runnerTemp }
    )
  } finally {
    deployEnded = true
    await sampler
  }
  expect(run.annotations.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(fleet.gh.validationErrors).toEqual([])
  expect(run.summary).toContain(`${registry.url}/slipway-test/app@sha256:`)

  // `::add-mask::` lines are the runner's masking commands: the runner never prints them
  const masked = run.stdout.split('\n').filter(line => line.startsWith('::add-mask::'))
  expect(SECRETS.every(secret => masked.includes(`::add-mask::${secret}`))).toBe(true)
  const stdout = run.stdout
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  const outputs = [
    stdout,
    run.stderr,
    run.summary,
    JSON.stringify(run.outputs),
    JSON.stringify(fleet.gh.state.deployments)
  ]
  for (const text of outputs) expect(SECRETS.filter(secret => text.includes(secret))).toEqual([])

  // the sampler saw the deploy at work (the pull on the host) and never a secret in an argument
  expect(samples.length).toBeGreaterThan(2)
  expect(samples.some(sample => /docker --config \S+ pull -q /.test(sample))).toBe(true)
  expect(samples.filter(sample => SECRETS.some(secret => sample.includes(secret)))).toEqual([])

  // the container's command line holds no secret; its environment holds the secret env
  const name = `${APP}-blue-v1`
  const [inspect] = JSON.parse(await host!.docker(['inspect', name])) as {
    Path: string
    Args: string[]
    Config: { Cmd: string[] | null; Entrypoint: string[] | null; Labels: Record<string, string> }
  }[]
  const commandLine = JSON.stringify([
    inspect!.Path,
    inspect!.Args,
    inspect!.Config.Cmd,
    inspect!.Config.Entrypoint,
    inspect!.Config.Labels
  ])
  expect(SECRETS.filter(secret => commandLine.includes(secret))).toEqual([])
  const env = await host!.docker(['exec', name, 'env'])
  expect(env.split('\n').includes(`SLIPWAY_TEST_SECRET=${SECRET}`)).toBe(true)
  expect(env.split('\n').includes(`SLIPWAY_OTHER=${OTHER}`)).toBe(true)

  // the secret env file is gone: from RUNNER_TEMP and from the host's mktemp directories (the
  // sampler saw the private directory in RUNNER_TEMP while the container was being started)
  expect([...envFilesSeen].some(path => path.startsWith(`${runnerTemp}/slipway-env-`))).toBe(true)
  for (const seen of envFilesSeen) expect(existsSync(seen)).toBe(false)
  expect(filesHolding(runnerTemp, 3)).toEqual([])
  expect(mktempDirs().flatMap(dir => filesHolding(dir, 1))).toEqual([])
  // no login left behind in the session user's own docker config
  const config = '/root/.docker/config.json'
  if (existsSync(config)) expect(readFileSync(config, 'utf8').includes(registry.url)).toBe(false)
}, 240_000)
