import { afterAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { SshTransport } from '@slipway/providers'
import { startHosts, type NetnsHosts } from '../services/netns-hosts.js'
import { startRegistry, type RegistryInstance } from '../services/registry.js'
import { exec, freePorts, isAlive, waitFor } from '../services/process.js'
import {
  buildAppImage,
  mountsUnder,
  processesMentioning,
  startDockerd,
  type DockerdInstance
} from '../services/docker.js'

// The docker test infrastructure itself: other docker tests trust these helpers to give them a
// real engine, real images and a clean machine afterwards, so each promise is checked here.

const started: DockerdInstance[] = []
const hostSets: NetnsHosts[] = []
const registries: RegistryInstance[] = []
afterAll(async () => {
  for (const registry of registries) await registry.stop()
  for (const set of hostSets) await set.stop()
  for (const d of started) await d.stop()
}, 60_000)

/** One root-namespace dockerd shared by the tests after the first (which stops its own). */
let shared: Promise<DockerdInstance> | undefined
function localDockerd(): Promise<DockerdInstance> {
  shared ??= startDockerd().then(d => {
    started.push(d)
    return d
  })
  return shared
}

/** GET on the root namespace; resolves with status, x-version and body (no retry). */
async function get(url: string): Promise<{ status: number; version: string | null; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
  return { status: res.status, version: res.headers.get('x-version'), body: await res.text() }
}

async function answers(url: string): Promise<boolean> {
  try {
    await get(url)
    return true
  } catch {
    return false
  }
}

describe('local dockerd', () => {
  test('runs an app image published on 127.0.0.1 and leaves nothing behind', async () => {
    const d = await startDockerd()
    started.push(d)
    const ref = await buildAppImage(d, { version: '1.2.3', healthcheck: true })
    expect(ref).toBe('slipway-test/app:1.2.3')
    const port = await freePorts(1)
    const id = (
      await d.docker(['run', '-d', '--name', 'app-blue-1.2.3', '-p', `127.0.0.1:${port}:8080`, ref])
    ).trim()
    const url = `http://127.0.0.1:${port}/`
    await waitFor('the app container to answer', () => answers(url), 20_000)
    const answer = await get(url)
    expect(answer).toMatchObject({ status: 200, version: '1.2.3' })
    expect(answer.body.split('\n')[0]).toBe('1.2.3')
    await waitFor(
      'the image HEALTHCHECK to pass',
      async () =>
        (await d.docker(['inspect', '--format', '{{.State.Health.Status}}', id])).trim() ===
        'healthy',
      30_000
    )
    await d.docker(['rm', '-f', id])
    expect(await d.docker(['ps', '-aq'])).toBe('')

    await d.stop()
    await d.stop() // idempotent
    expect(isAlive(d.pid)).toBe(false)
    expect(processesMentioning(d.dir)).toEqual([])
    expect(mountsUnder(d.dir)).toEqual([])
    expect(existsSync(d.dir)).toBe(false)
    expect(await answers(url)).toBe(false)
  }, 90_000)
})

/** Does a link of this name exist in the root namespace? */
async function linkExists(name: string): Promise<boolean> {
  return exec('ip', ['link', 'show', name]).then(
    () => true,
    () => false
  )
}

describe('the test app image', () => {
  /** Runs a detached container of `ref` published on a free loopback port; its id and URL. */
  async function run(d: DockerdInstance, ref: string): Promise<{ id: string; url: string }> {
    const port = await freePorts(1)
    const id = (await d.docker(['run', '-d', '-p', `127.0.0.1:${port}:8080`, ref])).trim()
    const url = `http://127.0.0.1:${port}`
    await waitFor(`${ref} to answer`, () => answers(`${url}/`), 20_000)
    return { id, url }
  }
  const inspect = async (d: DockerdInstance, id: string, format: string): Promise<string> =>
    (await d.docker(['inspect', '--format', format, id])).trim()

  test('modes fail the ways releases fail; docker stop ends it gracefully', async () => {
    const d = await localDockerd()
    const [exits, never, later, counted] = await Promise.all([
      buildAppImage(d, { version: '4.0.0-exit', mode: 'exit' }),
      buildAppImage(d, {
        version: '4.0.0-never',
        mode: 'never-healthy',
        healthcheck: { startPeriodS: 0, retries: 2 }
      }),
      buildAppImage(d, { version: '4.0.0-later', mode: 'fail-later' }),
      buildAppImage(d, { version: '4.0.0+counted', mode: 'fail-later', failAfter: 2 })
    ])
    expect(counted).toBe('slipway-test/app:4.0.0_counted')

    // exit: the container stops at once with code 3
    await expect(d.docker(['run', '--rm', exits])).rejects.toThrow(/exited with 3/)

    // never-healthy: / answers, /health is 503, the image HEALTHCHECK turns unhealthy
    const never1 = await run(d, never)
    expect((await get(`${never1.url}/`)).status).toBe(200)
    expect((await get(`${never1.url}/health`)).status).toBe(503)

    // fail-later: healthy until /tmp/fail exists, then 500 on every path
    const later1 = await run(d, later)
    expect((await get(`${later1.url}/health`)).status).toBe(200)
    await d.docker(['exec', later1.id, 'touch', '/tmp/fail'])
    expect(await get(`${later1.url}/health`)).toMatchObject({ status: 500, version: '4.0.0-later' })
    expect((await get(`${later1.url}/`)).status).toBe(500)

    // fail-later with FAIL_AFTER: good answers are counted (the readiness probe used one)
    const counted1 = await run(d, counted)
    expect(await get(`${counted1.url}/`)).toMatchObject({ status: 200, version: '4.0.0+counted' })
    expect((await get(`${counted1.url}/`)).status).toBe(500)

    // (waited for last: the checks above ran while its health checks failed)
    await waitFor(
      'the never-healthy container to be unhealthy',
      async () => (await inspect(d, never1.id, '{{.State.Health.Status}}')) === 'unhealthy',
      30_000
    )

    // SIGTERM from docker stop: the server closes and exits 0 (not killed after the grace period)
    await d.docker(['stop', '--time', '20', later1.id])
    expect(await inspect(d, later1.id, '{{.State.ExitCode}}')).toBe('0')
    await d.docker(['rm', '-f', never1.id, later1.id, counted1.id])
  }, 90_000)
})

describe('hosts in network namespaces', () => {
  test('each host has its own sshd and dockerd, reachable from the root namespace', async () => {
    const local = await localDockerd()
    const ref = await buildAppImage(local, { version: '2.0.0' })
    const other = await buildAppImage(local, { version: '2.0.1' })
    const set = await startHosts(2, { local })
    hostSets.push(set)
    const [one, two] = set.hosts as [NetnsHosts['hosts'][0], NetnsHosts['hosts'][0]]
    expect(one.address).not.toBe(two.address)
    expect(set.knownHosts.trim().split('\n')).toHaveLength(2)

    // an SSH session on host 1 runs `docker` against host 1's own daemon (DOCKER_HOST from sshd)
    const ssh = new SshTransport({
      destination: one.ssh.destination,
      knownHosts: set.knownHosts,
      privateKey: set.privateKey
    })
    try {
      const info = await ssh.exec("docker info --format '{{.Name}}'", {}, 30_000)
      expect(info).toMatchObject({ exitCode: 0 })
      expect(info.stdout.trim()).toBe(one.name)
    } finally {
      await ssh.close()
    }

    // an app published on the host's address answers the root namespace
    await set.loadImage('all', [ref, other])
    const url = `http://${one.address}:8080/`
    await one.docker(['run', '-d', '--name', 'app', '-p', `${one.address}:8080:8080`, ref])
    await waitFor('the app on host 1', () => answers(url), 20_000)
    expect(await get(url)).toMatchObject({ status: 200, version: '2.0.0' })

    // the daemons are independent: host 2 has the image but not host 1's container
    expect((await one.docker(['ps', '-q', '--filter', 'name=app'])).trim()).not.toBe('')
    expect((await two.docker(['ps', '-aq'])).trim()).toBe('')
    for (const image of [ref, other])
      expect((await two.docker(['image', 'inspect', '--format', '{{.Id}}', image])).trim()).toBe(
        (await local.docker(['image', 'inspect', '--format', '{{.Id}}', image])).trim()
      )
    expect(await answers(`http://${two.address}:8080/`)).toBe(false)

    await set.stop()
    await set.stop() // idempotent
    for (const host of set.hosts) {
      expect(isAlive(host.dockerd.pid)).toBe(false)
      expect(processesMentioning(host.dockerd.dir)).toEqual([])
      expect(existsSync(`/run/netns/${host.netns}`)).toBe(false)
      expect(existsSync(host.dockerd.dir)).toBe(false)
    }
    // (no request to the old address now: without the bridge it would leave the machine)
    expect(await linkExists(set.bridge)).toBe(false)
  }, 120_000)

  test('a tmpfs data root makes a small disk that fills up', async () => {
    const set = await startHosts(1, { tmpfsDataRootMb: 16 })
    hostSets.push(set)
    const [host] = set.hosts
    const root = (await host!.docker(['info', '--format', '{{.DockerRootDir}}'])).trim()
    const fs = await exec('df', ['--output=fstype,size', '-k', root])
    expect(fs).toMatch(/tmpfs\s+16384/)
    await set.stop()
    expect(mountsUnder(root)).toEqual([])
  }, 60_000)
})

describe('registry', () => {
  test('hosts pull a pushed image with the right password and are refused with a wrong one', async () => {
    const local = await localDockerd()
    const ref = await buildAppImage(local, { version: '3.0.0' })
    const set = await startHosts(1)
    hostSets.push(set)
    const registry = await startRegistry({ address: set.bridgeAddress, password: 's3cret pass' })
    registries.push(registry)
    const pushed = await registry.push(local, ref)
    expect(pushed.ref).toBe(`${registry.url}/slipway-test/app:3.0.0`)
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/)

    const [host] = set.hosts
    const env = { DOCKER_CONFIG: `${host!.dockerd.dir}/login-test` }
    const login = (password: string) =>
      host!.docker(['login', '--username', registry.username, '--password-stdin', registry.url], {
        input: password,
        env
      })
    await expect(login('wrong')).rejects.toThrow(/unauthorized|401/i)
    await expect(host!.docker(['pull', '-q', pushed.repoDigest], { env })).rejects.toThrow(
      /no basic auth credentials|unauthorized/i
    )
    await login(registry.password)
    await host!.docker(['pull', '-q', pushed.repoDigest], { env })
    const id = (
      await host!.docker(['image', 'inspect', '--format', '{{.Id}}', pushed.repoDigest])
    ).trim()
    expect(id).toBe((await local.docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim())

    await registry.stop()
    await registry.stop() // idempotent
  }, 120_000)
})
