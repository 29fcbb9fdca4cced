// Bad docker input fails closed (issue #13): the deploy-strategy bundle exits 1 with a message
// naming the input, before anything is touched — no Docker command on any host, no Deployment in
// the GitHub emulator. None of these cases reaches a Docker Engine; the unknown host key case
// reaches a real sshd, which refuses before a session exists.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InputError, Inputs, runnerEnvOf } from '@slipway/kit'
import { sectionInputs } from '@slipway/config'
import { parseContainerSettings, parseDeploySettings } from '@slipway/strategies'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { runBundle } from '../helpers/run-bundle.js'
import { startSshd, type SshdInstance } from '../services/sshd.js'
import { tempDir } from '../services/process.js'

// Bundle runs on a busy machine: a deadline, not a budget.
jest.setTimeout(120_000)

let gh: Emulator
let sshd: SshdInstance
const dir = tempDir('docker-inputs')
// A PATH entry whose `docker` records every call: the proof that nothing ran.
const bin = tempDir('docker-inputs-bin')
const calls = join(dir, 'docker-calls')
writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho "$*" >> '${calls}'\nexit 1\n`, {
  mode: 0o755
})
const archive = join(dir, 'app.tar')
writeFileSync(archive, 'not really a tarball')

beforeAll(async () => {
  gh = await startEmulator()
  sshd = await startSshd()
}, 60_000)
afterAll(async () => {
  await gh?.close()
  await sshd?.stop()
})

const bundleInputs = (): Record<string, string> => ({
  strategy: 'blue-green',
  version: 'v2',
  environment: 'staging',
  provider: 'docker',
  image: 'registry.test/team/app:v2',
  port: '3000',
  'github-token': gh.token,
  'haproxy-socket': join(dir, 'haproxy.sock')
})

const deploy = (inputs: Record<string, string>) =>
  runBundle('deploy-strategy', {
    inputs: { ...bundleInputs(), ...inputs },
    env: {
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      PATH: `${bin}:${process.env.PATH}`
    },
    timeoutMs: 110_000
  })

describe('bad docker input: exit 1, the input named, nothing touched', () => {
  test('a malformed image reference, through the bundle', async () => {
    const before = gh.state.deployments.length
    const run = await deploy({ image: 'Registry.test/Team/App:v2!' })
    expect(run.exitCode).toBe(1)
    const errors = run.annotations.errors.join('\n')
    expect(errors).toMatch(/Input 'image'/)
    expect(gh.state.deployments.length).toBe(before)
    expect(existsSync(calls)).toBe(false)
  })

  // The same wiring for the other bad inputs: parsing refuses them before anything runs, so
  // calling it shows each message without a bundle run per case.
  test.each([
    ['a port out of range', { port: '70000' }, /Input 'port'/],
    ['an env file that is missing', { 'env-file': join(dir, 'missing.env') }, /Input 'env-file'/],
    ['both image and image-archive', { 'image-archive': archive }, /Input 'image-archive'/],
    [
      'targets with provider docker',
      { targets: 'blue=127.0.0.1:8081,green=127.0.0.1:8082' },
      /Input 'targets'.*hosts/
    ]
  ])('%s', (_name, inputs, named) => {
    const before = gh.state.deployments.length
    const values: Record<string, string> = { ...bundleInputs(), ...inputs }
    const parse = () =>
      parseDeploySettings(new Inputs(name => values[name]), {
        workspace: dir,
        runnerTemp: dir,
        repository: `${gh.owner}/${gh.repo}`,
        sha: 'a'.repeat(40),
        runId: '7'
      })
    expect(parse).toThrow(InputError)
    expect(parse).toThrow(named)
    expect(gh.state.deployments.length).toBe(before)
    expect(existsSync(calls)).toBe(false)
  })

  test('an SSH host whose key is not in known-hosts is refused before anything runs', async () => {
    const before = gh.state.deployments.length
    const run = await deploy({
      hosts: `web1 ssh=${sshd.destination}`,
      // the router on the host itself (reached over the same SSH): loopback publishing is fine
      'router-scope': 'per-host',
      'known-hosts': sshd.wrongKnownHosts,
      'ssh-private-key': sshd.privateKey
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(/known-hosts/)
    expect(gh.state.deployments.length).toBe(before)
    // the key never reaches the log (beyond the runner's own mask command) or the summary
    const line = sshd.privateKey.trim().split('\n')[1]
    const logged = (run.stdout + run.stderr)
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n')
    expect(logged + run.summary).not.toContain(line)
  })
})

describe('container inputs from a config file', () => {
  test('a list of volumes keeps each item whole, commas and all', () => {
    const read = new Inputs(
      sectionInputs({ volumes: ['/srv/data:/data:ro,z', 'cache:/cache'], hosts: ['web1', 'web2'] })
    )
    const container = parseContainerSettings(read, runnerEnvOf()).inputs
    expect(container.volumes).toEqual(['/srv/data:/data:ro,z', 'cache:/cache'])
    expect(container.hosts).toEqual(['web1', 'web2'])
  })
})
