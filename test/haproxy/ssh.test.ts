// HAProxy on "another host": the runtime commands go through the providers' SshTransport to a
// real sshd (host key verified), run by a fixed relay with the command passed as data on the
// SSH channel's stdin; the backend and state files are written over SFTP and checked with
// `haproxy -c` on that host.
import { spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { ExecChannel, HaproxyRouter, UnixSocketChannel } from '@slipway/haproxy'
import { SshTransport } from '@slipway/providers'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { startVersionServer, type VersionServer } from '../services/version-server.js'
import { startSshd, type SshdInstance } from '../services/sshd.js'

describe('HAProxy runtime API over SSH', () => {
  let sshd: SshdInstance
  let ssh: SshTransport
  let blue: VersionServer
  let green: VersionServer
  let haproxy: HaproxyInstance

  beforeAll(async () => {
    ;[sshd, blue, green] = await Promise.all([
      startSshd(),
      startVersionServer('v1'),
      startVersionServer('v2')
    ])
    haproxy = await startHaproxy({
      name: 'app',
      servers: [
        { name: 'blue', address: blue.address, weight: 100 },
        { name: 'green', address: green.address, weight: 0 }
      ]
    })
    ssh = new SshTransport({
      destination: sshd.destination,
      knownHosts: sshd.knownHosts,
      privateKey: sshd.privateKey
    })
  })

  afterAll(async () => {
    await ssh?.close()
    await haproxy?.stop()
    await sshd?.stop()
    await blue?.close()
    await green?.close()
  })

  const servers = () => [
    { name: 'blue', address: blue.address },
    { name: 'green', address: green.address }
  ]

  // Each SSH exec costs about a second on this shared machine: the tests keep them few.
  test('runtime commands through the relay over SSH (perl and socat)', async () => {
    const router = new HaproxyRouter({
      channel: new ExecChannel(ssh, haproxy.socket),
      backend: { name: 'app', servers: servers() }
    })
    await router.setWeights({ blue: 0, green: 100 })
    expect(await haproxy.router.weights()).toEqual({ blue: 0, green: 100 })
    expect(await (await fetch(haproxy.url)).text()).toBe('v2')
    if (spawnSync('socat', ['-V']).status === 0) {
      await new ExecChannel(ssh, haproxy.socket, 'socat').send('set server app/blue weight 7')
      expect((await haproxy.router.current()).blue.weight).toBe(7)
    }
  })

  test('persistence over SFTP with haproxy -c on the host: a restart keeps the routing', async () => {
    const router = new HaproxyRouter({
      channel: new UnixSocketChannel(haproxy.socket),
      backend: { name: 'app', servers: servers() },
      persist: {
        host: ssh,
        mainConfig: haproxy.mainConfig,
        backendFile: haproxy.backendFile,
        stateFile: haproxy.stateFile
      }
    })
    await router.setWeights({ blue: 100, green: 0 })
    expect(await readFile(haproxy.backendFile, 'utf8')).toContain(
      `server blue ${blue.address} weight 100`
    )
    await haproxy.restart()
    expect(await haproxy.router.weights()).toEqual({ blue: 100, green: 0 })
  })

  test('errors name the socket and the host; a hostile command stays data', async () => {
    await expect(new ExecChannel(ssh, '/nonexistent/admin.sock').send('show info')).rejects.toThrow(
      `HAProxy admin socket ${ssh.label}:/nonexistent/admin.sock: cannot connect to /nonexistent/admin.sock`
    )
    const answer = await new ExecChannel(ssh, haproxy.socket).send(
      "show servers state $(touch /tmp/slipway-ssh-pwned)'; id"
    )
    expect(answer).toMatch(/Can't find backend/)
    await expect(readFile('/tmp/slipway-ssh-pwned')).rejects.toThrow()
  })
})
