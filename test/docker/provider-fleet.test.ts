import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_SERVER_CHECK } from '@slipway/haproxy'
import type { ProbeOutcome } from '@slipway/probes'
import { LocalTransport, buildDockerProvider, type Provider } from '@slipway/providers'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import {
  buildAppImage,
  imageId,
  saveImage,
  startDockerd,
  type DockerdInstance
} from '../services/docker.js'
import { startHosts, type NetnsHosts } from '../services/netns-hosts.js'
import { dockerInputs, pollHealth, versionHeader } from './helpers.js'

// The docker provider over SSH on two hosts (network namespaces, each with its own sshd and
// dockerd) behind one fleet HAProxy: the image archive is shipped and loaded once per host and
// skipped when the host has it, the gate probes each host's published port on the host itself,
// a slot's canary weight reaches every host's server, and current() agrees across hosts.

const HOST_PORT = 18080
const SECRET = 'fleet-s3cret-token-value'
let builder: DockerdInstance
let set: NetnsHosts
let fleet: HaproxyInstance
const work = mkdtempSync(join(tmpdir(), 'slipway-docker-fleet-'))
const archives: Record<string, string> = {}
const logs: string[] = []

beforeAll(async () => {
  builder = await startDockerd({ name: 'fleet-builder' })
  // version 1 travels as an archive over SSH; version 2 is copied to the hosts by the test
  const ref = await buildAppImage(builder, { version: '1.0.0' })
  archives['1.0.0'] = join(work, '1.0.0.tar')
  await saveImage(builder, ref, archives['1.0.0'])
  archives['2.0.0'] = join(work, '2.0.0.tar')
  await saveImage(builder, await buildAppImage(builder, { version: '2.0.0' }), archives['2.0.0'])
  set = await startHosts(2)

  fleet = await startHaproxy({
    name: 'slipway',
    servers: set.hosts.flatMap(host =>
      ['blue', 'green'].map((slot, i) => ({
        name: `${host.name}-${slot}`,
        address: `${host.address}:${HOST_PORT + i}`,
        options: DEFAULT_SERVER_CHECK
      }))
    )
  })
}, 180_000)

afterAll(async () => {
  await fleet?.stop()
  await set?.stop()
  await builder?.stop()
  rmSync(work, { recursive: true, force: true })
}, 90_000)

function provider(version: string, secretEnv?: string): Provider {
  const inputs = dockerInputs({
    strategy: 'canary',
    environment: 'production',
    imageArchive: archives[version],
    hosts: set.hosts.map(host => `${host.name} ssh=${host.ssh.destination}`),
    hostPort: HOST_PORT,
    publishAddress: 'host',
    hookTimeoutMs: 120_000,
    haproxy: { socket: fleet.socket, backend: 'slipway' },
    knownHosts: set.knownHosts,
    sshPrivateKey: set.privateKey,
    secretEnv,
    tempDir: work
  })
  return buildDockerProvider(inputs, {
    local: new LocalTransport(),
    log: line => logs.push(line)
  })
}

async function gate(p: Provider, slot: string, version: string): Promise<ProbeOutcome> {
  return (await pollHealth(p, slot, version)).at(-1)!
}

/** Files in temp dirs (this machine's and the hosts': one file system) that hold `secret`. */
function leftovers(secret: string): string[] {
  const found: string[] = []
  for (const root of [tmpdir(), work]) {
    for (const dir of readdirSync(root).filter(name => /^(tmp\.|slipway-env-)/.test(name))) {
      try {
        for (const file of readdirSync(join(root, dir))) {
          const path = join(root, dir, file)
          if (statSync(path).isFile() && readFileSync(path, 'utf8').includes(secret))
            found.push(path)
        }
      } catch {
        // not ours, or gone meanwhile
      }
    }
  }
  return found
}

const answer = (): Promise<string | null> => versionHeader(fleet.url)

describe('docker provider on two SSH hosts with a fleet HAProxy', () => {
  test('archive loaded once per host, gate on each host, canary weights fleet-wide', async () => {
    const first = provider('1.0.0', `API_TOKEN=${SECRET}`)
    await first.check()
    expect(await first.current()).toEqual({ blue: { weight: 0 }, green: { weight: 0 } })
    const staged = await first.stage!({ version: '1.0.0' })
    expect(staged.image_id).toBe(await imageId(builder, 'slipway-test/app:1.0.0'))
    for (const host of set.hosts)
      expect(logs).toContain(`${host.name}: image ${staged.image_id} loaded`)
    await first.prepare({ name: 'blue' }, { version: '1.0.0' })
    const health = await gate(first, 'blue', '1.0.0')
    expect(health.ok).toBe(true)
    for (const host of set.hosts)
      expect(health.message).toContain(
        `${host.name}: http GET ${host.address}:${HOST_PORT}/health on root@${host.address}:22 → 200`
      )
    // the secret env file went to each host in a private temp dir, used, and removed
    for (const host of set.hosts) {
      const [inspect] = JSON.parse(await host.docker(['inspect', 'shop-blue-1.0.0']))
      expect(inspect.Config.Env).toContain(`API_TOKEN=${SECRET}`)
      expect(JSON.stringify([inspect.Args, inspect.Config.Cmd])).not.toContain(SECRET)
    }
    expect(leftovers(SECRET)).toEqual([])
    await first.router.setWeights({ blue: 100, green: 0 })
    expect(await answer()).toBe('1.0.0')
    await first.close()

    // the same archive again: every host has its image id, nothing is shipped
    logs.length = 0
    const again = provider('1.0.0')
    await again.stage!({ version: '1.0.0' })
    for (const host of set.hosts)
      expect(logs).toContain(`${host.name}: image ${staged.image_id} already present`)
    await again.close()

    // version 2 is already on every host (copied by the test, not shipped): nothing to load
    logs.length = 0
    await set.loadImage('all', 'slipway-test/app:2.0.0', builder)
    const canary = provider('2.0.0')
    const v2 = await canary.stage!({ version: '2.0.0' })
    for (const host of set.hosts)
      expect(logs).toContain(`${host.name}: image ${v2.image_id} already present`)
    await canary.prepare({ name: 'green' }, { version: '2.0.0' })
    expect((await gate(canary, 'green', '2.0.0')).ok).toBe(true)
    expect((await canary.router.waitReady!({ name: 'green' }, Date.now() + 20_000)).ok).toBe(true)
    await canary.router.setWeights({ blue: 95, green: 5 })
    expect(await fleet.router.weights()).toEqual({
      'host1-blue': 95,
      'host1-green': 5,
      'host2-blue': 95,
      'host2-green': 5
    })
    expect(await canary.current()).toEqual({
      blue: { version: '1.0.0', weight: 95 },
      green: { version: '2.0.0', weight: 5 }
    })
    // a slot's version is known only when every host runs the same one there
    await set.hosts[1]!.docker(['stop', 'shop-green-2.0.0'])
    expect((await canary.current()).green).toEqual({ weight: 5 })
    await canary.close()
  }, 180_000)
})
