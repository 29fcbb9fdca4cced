import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SshTransport } from '@slipway/providers'
import { startSshd, type SshdInstance } from '../services/sshd.js'

// Each SSH session sources the remote login shell's startup files: slow on a busy machine.
jest.setTimeout(120_000)

// Values sent to a remote host travel on the SSH session's standard input: a value must never
// be able to end its field and turn the rest of itself into a command on the target.

let sshd: SshdInstance
let ssh: SshTransport
let dir: string
let marker: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-ssh-framing-'))
  marker = join(dir, 'pwned')
  sshd = await startSshd()
  ssh = new SshTransport({
    destination: sshd.destination,
    knownHosts: sshd.knownHosts,
    privateKey: sshd.privateKey
  })
}, 60_000)

afterAll(async () => {
  await ssh?.close()
  await sshd?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('SSH value framing', () => {
  test('a version holding NUL bytes (read from a tampered state file) is refused and runs nothing', async () => {
    const hostile = `x\u0000\u0000touch ${marker};#`
    await expect(
      ssh.exec('printf %s "$SLIPWAY_VERSION"', { SLIPWAY_VERSION: hostile }, 60_000)
    ).rejects.toThrow(
      /refusing to send SLIPWAY_VERSION: its value holds a control character \(U\+0000\)/
    )
    // The connection works and the hook itself would have run: only the value was refused.
    const probe = await ssh.exec('true', {}, 60_000)
    expect(probe.exitCode).toBe(0)
    expect(existsSync(marker)).toBe(false)
  })

  test('escape sequences and carriage returns are refused too', async () => {
    for (const value of ['1.0\u001b[2J', '1.0\r', '1.0\u007f'])
      await expect(ssh.exec('true', { SLIPWAY_VERSION: value }, 60_000)).rejects.toThrow(
        /control character/
      )
  })

  test('a value that looks like the framing itself stays data, byte-exact', async () => {
    const values = {
      SLIPWAY_A: `1\n\ntouch ${marker}\n`,
      SLIPWAY_B: `SLIPWAY_C \\x41 \\\\ %b %s $(touch ${marker})`,
      SLIPWAY_C: 'tab\there ünïcödé 🚀',
      SLIPWAY_EMPTY: ''
    }
    const result = await ssh.exec(
      'printf "%s\\0" "$SLIPWAY_A" "$SLIPWAY_B" "$SLIPWAY_C" "$SLIPWAY_EMPTY"',
      values,
      60_000
    )
    expect(result).toMatchObject({ exitCode: 0, stderr: '' })
    expect(result.stdout.split('\0').slice(0, 4)).toEqual(Object.values(values))
    expect(existsSync(marker)).toBe(false)
  })

  test('a variable name that is not a name is refused', async () => {
    await expect(ssh.exec('true', { 'A=B touch': 'x' }, 60_000)).rejects.toThrow(
      /refusing to send variable "A=B touch"/
    )
  })

  test('a remote path with a control character is refused before anything is sent', async () => {
    await expect(ssh.writeFile(join(dir, 'a\u0000b'), 'x')).rejects.toThrow(/control character/)
    expect(existsSync(join(dir, 'a'))).toBe(false)
  })
})
