import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, stopProcess } from './process.js'

/**
 * A real OpenSSH server on loopback, started by a test as root with its own host key and an
 * authorized user key generated for the test (`sshd -f tempconfig -p PORT -h hostkey`).
 */
export interface SshdInstance {
  port: number
  /** `root@127.0.0.1:PORT` */
  destination: string
  /** known_hosts line for this server (`[127.0.0.1]:PORT ssh-ed25519 …`). */
  knownHosts: string
  /** A known_hosts line with a DIFFERENT key for the same host (a man in the middle). */
  wrongKnownHosts: string
  privateKey: string
  stop(): Promise<void>
}

function keygen(file: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], {
    encoding: 'utf8'
  })
  if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr}`)
}

export async function startSshd(): Promise<SshdInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-sshd-'))
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }) // privilege separation directory
  const hostKey = join(dir, 'host_ed25519')
  const otherKey = join(dir, 'other_ed25519')
  const userKey = join(dir, 'user_ed25519')
  keygen(hostKey)
  keygen(otherKey)
  keygen(userKey)
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`))
  const port = await freePort()
  const config = join(dir, 'sshd_config')
  writeFileSync(
    config,
    [
      `ListenAddress 127.0.0.1`,
      `HostKey ${hostKey}`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      `Subsystem sftp internal-sftp`,
      'LogLevel ERROR',
      'MaxStartups 50',
      'MaxSessions 50',
      // bash sources ~/.bashrc for commands sshd runs unless it is a nested shell (SHLVL ≥ 1);
      // a login profile of the machine's own (version managers…) then costs seconds per command.
      'SetEnv SHLVL=1'
    ].join('\n') + '\n'
  )
  const child: ChildProcess = spawn(
    '/usr/sbin/sshd',
    ['-D', '-e', '-f', config, '-p', String(port), '-h', hostKey],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  let stderr = ''
  child.stderr?.on('data', c => (stderr += c))
  const deadline = Date.now() + 10_000
  for (;;) {
    const open = await new Promise<boolean>(resolve => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) break
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`sshd did not start: ${stderr}`)
    await new Promise(r => setTimeout(r, 50))
  }
  const pub = (file: string): string =>
    readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')
  return {
    port,
    destination: `root@127.0.0.1:${port}`,
    knownHosts: `[127.0.0.1]:${port} ${pub(hostKey)}\n`,
    wrongKnownHosts: `[127.0.0.1]:${port} ${pub(otherKey)}\n`,
    privateKey: readFileSync(userKey, 'utf8'),
    async stop() {
      await stopProcess(child, 'SIGTERM', 3000)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
