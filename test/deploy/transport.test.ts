import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LocalTransport, SshTransport, type Transport } from '@slipway/providers'
import { startSshd, type SshdInstance } from '../services/sshd.js'
import { tempDir } from './helpers.js'

// Our values reach hook commands only as environment data — locally and over SSH, where
// sshd's AcceptEnv would drop them, so they travel on stdin to a fixed remote runner.

let sshd: SshdInstance
let ssh: SshTransport
const dir = tempDir('transport')
const marker = join(dir, 'pwned')
const hostile = `v1'";$(touch ${marker})\`touch ${marker}\`\nsecond line & | > ${marker} \\ end`

beforeAll(async () => {
  sshd = await startSshd()
  ssh = new SshTransport({
    destination: sshd.destination,
    knownHosts: sshd.knownHosts,
    privateKey: sshd.privateKey
  })
}, 20_000)

afterAll(async () => {
  await ssh?.close()
  await sshd?.stop()
})

describe.each([
  ['local', () => new LocalTransport() as Transport],
  ['ssh', () => ssh as Transport]
])('%s transport', (_name, transport) => {
  test('hostile values stay data: byte-exact in the hook, never executed', async () => {
    const result = await transport().exec(
      'printf %s "$SLIPWAY_VERSION"',
      { SLIPWAY_VERSION: hostile, SLIPWAY_EMPTY: '' },
      10_000
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe(hostile)
    expect(existsSync(marker)).toBe(false)
  })

  test('exit codes, stderr and timeouts come back', async () => {
    const failed = await transport().exec('echo oops >&2; exit 7', {}, 10_000)
    expect(failed).toMatchObject({ exitCode: 7, timedOut: false })
    expect(failed.stderr.trim()).toBe('oops')
    const late = join(dir, `${_name}-late`)
    const slow = await transport().exec(
      'sleep 1.5; touch "$SLIPWAY_FILE"',
      { SLIPWAY_FILE: late },
      300
    )
    expect(slow.timedOut).toBe(true)
    await new Promise(r => setTimeout(r, 2000))
    expect(existsSync(late)).toBe(false) // the command was stopped, not just abandoned
  })

  test('files: write, rename atomically, read, remove', async () => {
    const file = join(dir, `${_name}-sub`, 'upstream.conf')
    await transport().writeFile(`${file}.new`, 'server a;\n')
    await transport().rename(`${file}.new`, file)
    expect(await transport().readFile(file)).toBe('server a;\n')
    expect(readFileSync(file, 'utf8')).toBe('server a;\n')
    await transport().remove(file)
    expect(await transport().readFile(file)).toBeUndefined()
  })
})

test('a key that is not in known-hosts is refused, and so is a host not listed at all', async () => {
  const wrong = new SshTransport({
    destination: sshd.destination,
    knownHosts: sshd.wrongKnownHosts,
    privateKey: sshd.privateKey
  })
  await expect(wrong.exec('true', {}, 5000)).rejects.toThrow(/host key does not match known-hosts/)
  const unlisted = new SshTransport({
    destination: sshd.destination,
    knownHosts: '',
    privateKey: sshd.privateKey
  })
  await expect(unlisted.exec('true', {}, 5000)).rejects.toThrow(
    /no key for \[127\.0\.0\.1\]:\d+ in known-hosts; refusing to connect/
  )
  await wrong.close()
})
