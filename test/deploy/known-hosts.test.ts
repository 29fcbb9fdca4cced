import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { SshTransport } from '@slipway/providers'
import { startSshd, type SshdInstance } from '../services/sshd.js'

// Each SSH session sources the remote login shell's startup files: slow on a busy machine.
jest.setTimeout(120_000)

let sshd: SshdInstance
beforeAll(async () => {
  sshd = await startSshd()
}, 60_000)
afterAll(async () => {
  await sshd?.stop()
})

/** `[127.0.0.1]:PORT ssh-ed25519 AAAA…` → `ssh-ed25519 AAAA…` */
const keyOf = (line: string): string => line.trim().split(/\s+/).slice(1).join(' ')

async function connectWith(knownHosts: string): Promise<number | null> {
  const ssh = new SshTransport({
    destination: sshd.destination,
    knownHosts,
    privateKey: sshd.privateKey
  })
  try {
    return (await ssh.exec('true', {}, 60_000)).exitCode
  } finally {
    await ssh.close()
  }
}

describe('known_hosts markers', () => {
  test('the trusted key connects (the baseline the refusals below differ from)', async () => {
    expect(await connectWith(sshd.knownHosts)).toBe(0)
  })

  test('@revoked refuses the host key even though another line trusts it', async () => {
    const text = `${sshd.knownHosts}@revoked * ${keyOf(sshd.knownHosts)}\n`
    await expect(connectWith(text)).rejects.toThrow(
      /every key known-hosts lists for \[127\.0\.0\.1\]:\d+ is @revoked; refusing to connect/
    )
  })

  test('a revoked key the server presents is refused as revoked, while another key is still trusted', async () => {
    // The host is listed with another key and the real one; the real one is revoked: the
    // server presents it and the connection is refused for that reason.
    const text = `${sshd.wrongKnownHosts}${sshd.knownHosts}@revoked [127.0.0.1]:${sshd.port} ${keyOf(sshd.knownHosts)}\n`
    await expect(connectWith(text)).rejects.toThrow(
      /the host presented a key that known-hosts marks @revoked; refusing to connect/
    )
  })

  test('@cert-authority is not taken for a host key: refused, saying certificates are not supported', async () => {
    const text = `@cert-authority [127.0.0.1]:${sshd.port} ${keyOf(sshd.knownHosts)}\n`
    await expect(connectWith(text)).rejects.toThrow(
      /only with a @cert-authority line; host certificates are not supported/
    )
  })
})
