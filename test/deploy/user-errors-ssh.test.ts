import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UserError } from '@slipway/kit'
import { SshTransport } from '@slipway/providers'
import { keygen, startSshd, type SshdInstance } from '../services/sshd.js'
import { freePort, tempDir } from '../services/process.js'

// What an SSH target the user got wrong looks like: a UserError whose hint says what to change
// (which input, which command), instead of a bug report with a stack.

let sshd: SshdInstance
beforeAll(async () => {
  sshd = await startSshd()
})
afterAll(async () => {
  await sshd?.stop()
})

/** The rejection of a first command over a transport with these settings. */
async function failureOf(options: {
  destination?: string
  knownHosts?: string
  privateKey?: string
}): Promise<unknown> {
  const transport = new SshTransport({
    destination: options.destination ?? sshd.destination,
    knownHosts: options.knownHosts ?? sshd.knownHosts,
    privateKey: options.privateKey ?? sshd.privateKey,
    connectTimeoutMs: 30_000
  })
  try {
    await transport.exec('true', {}, 30_000)
    return undefined
  } catch (error) {
    return error
  } finally {
    await transport.close()
  }
}

describe('known-hosts refusals are the user’s to fix', () => {
  test('a host key that does not match: replace the line in the known-hosts input', async () => {
    const error = await failureOf({ knownHosts: sshd.wrongKnownHosts })
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toMatch(/host key does not match known-hosts/)
    expect((error as UserError).hint).toContain('`known-hosts` input')
    expect((error as UserError).hint).toContain(`ssh-keyscan -p ${sshd.port} 127.0.0.1`)
  })

  test('a host known-hosts does not list: add its key', async () => {
    const error = await failureOf({ knownHosts: '' })
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).hint).toMatch(/^add the host's key to the `known-hosts` input/)
  })
})

test('a login key the host does not accept: the hint names the ssh-private-key input', async () => {
  const dir = tempDir('ssh-user-errors')
  keygen(join(dir, 'stranger'))
  const error = await failureOf({ privateKey: readFileSync(join(dir, 'stranger'), 'utf8') })
  expect(error).toBeInstanceOf(UserError)
  expect((error as UserError).message).toMatch(/authentication methods failed/)
  expect((error as UserError).hint).toContain('`ssh-private-key` input')
  expect((error as UserError).hint).toContain('~root/.ssh/authorized_keys')
})

test('a host that does not answer: check it is up and listening', async () => {
  const port = await freePort()
  const knownHosts = sshd.knownHosts.replace(`:${sshd.port} `, `:${port} `)
  const error = await failureOf({ destination: `root@127.0.0.1:${port}`, knownHosts })
  expect(error).toBeInstanceOf(UserError)
  expect((error as UserError).hint).toContain(`sshd listens on port ${port}`)
})

test('a destination that is not user@host[:port] is refused as the user’s', () => {
  let error: unknown
  try {
    new SshTransport({ destination: 'app1.example.com', knownHosts: '', privateKey: '' })
  } catch (thrown) {
    error = thrown
  }
  expect(error).toBeInstanceOf(UserError)
  expect((error as UserError).hint).toMatch(/user@host/)
})

test('a path under a regular file cannot be written: the hint says to check the path', async () => {
  const dir = tempDir('ssh-user-errors-path')
  const file = join(dir, 'a-file')
  writeFileSync(file, 'not a directory')
  const transport = new SshTransport({
    destination: sshd.destination,
    knownHosts: sshd.knownHosts,
    privateKey: sshd.privateKey
  })
  try {
    const error = await transport.writeFile(join(file, 'sub', 'state.json'), '{}').then(
      () => undefined,
      (thrown: unknown) => thrown
    )
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).message).toMatch(/mkdir .* failed/)
    expect((error as UserError).hint).toMatch(/choose another path/)
  } finally {
    await transport.close()
  }
})
