import { afterAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { SshTransport } from '@slipway/providers'
import { exec } from '../services/process.js'
import { startHosts, type NetnsHosts } from '../services/netns-hosts.js'
import { startRegistry, type RegistryInstance } from '../services/registry.js'
import { freePort, isAlive, waitFor } from '../services/process.js'
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
    const port = await freePort()
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

describe('hosts in network namespaces', () => {
  test('each host has its own sshd and dockerd, reachable from the root namespace', async () => {
    const local = await startDockerd()
    started.push(local)
    const ref = await buildAppImage(local, { version: '2.0.0' })
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
    await set.loadImage('all', ref)
    const url = `http://${one.address}:8080/`
    await one.docker(['run', '-d', '--name', 'app', '-p', `${one.address}:8080:8080`, ref])
    await waitFor('the app on host 1', () => answers(url), 20_000)
    expect(await get(url)).toMatchObject({ status: 200, version: '2.0.0' })

    // the daemons are independent: host 2 has the image but not host 1's container
    expect((await one.docker(['ps', '-q', '--filter', 'name=app'])).trim()).not.toBe('')
    expect((await two.docker(['ps', '-aq'])).trim()).toBe('')
    expect((await two.docker(['image', 'inspect', '--format', '{{.Id}}', ref])).trim()).toMatch(
      /^sha256:/
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
    const local = await startDockerd()
    started.push(local)
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
