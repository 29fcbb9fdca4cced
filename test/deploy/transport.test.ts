import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { LocalTransport, SshTransport, type Transport } from '@slipway/providers'
import { startSshd, type SshdInstance } from '../services/sshd.js'
import { tempDir, waitFor } from '../services/process.js'

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
}, 60_000)

/** Is the process still running? A zombie (exited, not yet reaped) counts as gone. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/** Resolves with `promise`, or rejects once `ms` passed without it: a deadline. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** The pids a command wrote to `file` (none when it never got that far). */
function pidsIn(file: string): number[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split(/\s+/).filter(Boolean).map(Number) : []
}

afterAll(async () => {
  // whatever a failed check left running is stopped here, so nothing outlives the tests
  for (const name of ['local', 'ssh'])
    for (const pid of pidsIn(join(dir, `${name}-pids`)).filter(running))
      process.kill(pid, 'SIGKILL')
  await ssh?.close()
  await sshd?.stop()
})

// Does a timeout stop the processes a command started, not only its shell? Over SSH the remote
// `timeout` stops the command's whole process group; locally the kit's `run` starts each program
// as the leader of its own process group and signals the whole group.
describe.each([
  ['local', () => new LocalTransport() as Transport],
  ['ssh', () => ssh as Transport]
])('%s transport', (name, transport) => {
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

  test('exit codes and stderr come back', async () => {
    const failed = await transport().exec('echo oops >&2; exit 7', {}, 10_000)
    expect(failed).toMatchObject({ exitCode: 7, timedOut: false })
    expect(failed.stderr.trim()).toBe('oops')
  })

  // A command that would run for ten minutes (a child in the background, then a file). Stopped,
  // not just abandoned: exec returns once its timeout passed, and the command's shell and its
  // child are then gone (events we wait for, with deadlines), so the file can never appear.
  // The sshd runs on this machine, so the remote pids are ours to watch too.
  test('a timed-out command is stopped with the processes it started', async () => {
    const late = join(dir, `${name}-late`)
    const pidFile = join(dir, `${name}-pids`)
    // Deadlines for events, generous: a busy machine may take long to start an SSH session.
    const slow = await within(
      60_000,
      'exec to return after its timeout',
      transport().exec(
        'echo $$ > "$SLIPWAY_PID_FILE"; sleep 600 & echo $! >> "$SLIPWAY_PID_FILE"; wait; touch "$SLIPWAY_FILE"',
        { SLIPWAY_FILE: late, SLIPWAY_PID_FILE: pidFile },
        1000
      )
    )
    expect(slow.timedOut).toBe(true)
    // The shell writes its own pid before it starts the child: whatever it started is listed.
    const pids = pidsIn(pidFile)
    await waitFor(
      'the timed-out command and its child to be stopped',
      () => pids.every(pid => !running(pid)) || undefined,
      30_000
    )
    expect(existsSync(late)).toBe(false)
  }, 120_000)

  test('files: write, rename atomically, read, remove', async () => {
    const file = join(dir, `${name}-sub`, 'upstream.conf')
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
