import './esm-shim.js'
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2'
import type { ExecResult, Transport } from './transport.js'
import { isKnownKey, keysFor } from './known-hosts.js'

export interface SshOptions {
  /** `user@host[:port]` */
  destination: string
  /** OpenSSH known_hosts text. Required: we never connect to a host we cannot verify. */
  knownHosts: string
  privateKey: string
  passphrase?: string
  connectTimeoutMs?: number
}

export interface SshDestination {
  user: string
  host: string
  port: number
}

export function parseDestination(text: string): SshDestination | undefined {
  const match = /^([A-Za-z0-9._-]+)@(\[[^\]]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(text.trim())
  if (!match) return undefined
  return {
    user: match[1],
    host: match[2].replace(/^\[|\]$/g, ''),
    port: match[3] ? Number(match[3]) : 22
  }
}

/**
 * The fixed remote program that runs a user hook over SSH. sshd only passes the variables its
 * AcceptEnv allows, so our values travel on standard input instead: NUL-terminated KEY=VALUE
 * pairs, an empty entry, then the user's command. `export "$kv"` assigns the value as data;
 * nothing we send is ever parsed as shell syntax except the user's own command.
 */
const REMOTE_RUNNER =
  `bash -c 'while IFS= read -r -d "" kv; do [ -z "$kv" ] && break; export "$kv"; done; ` +
  `cmd=$(cat); if command -v timeout >/dev/null; then exec timeout -k 2 "$SLIPWAY_TIMEOUT_S" bash -c "$cmd" </dev/null; ` +
  `else exec bash -c "$cmd" </dev/null; fi'`

export class SshTransport implements Transport {
  readonly label: string
  private client?: Client
  private connecting?: Promise<Client>
  private sftpSession?: Promise<SFTPWrapper>
  private readonly destination: SshDestination

  constructor(private readonly options: SshOptions) {
    const destination = parseDestination(options.destination)
    if (!destination)
      throw new Error(`not an SSH destination (user@host[:port]): ${options.destination}`)
    this.destination = destination
    this.label = `${destination.user}@${destination.host}:${destination.port}`
  }

  private connect(): Promise<Client> {
    if (this.connecting) return this.connecting
    const { host, port, user } = this.destination
    const known = keysFor(this.options.knownHosts, host, port)
    this.connecting = new Promise<Client>((resolve, reject) => {
      if (known.length === 0) {
        reject(
          new Error(
            `SSH ${this.label}: no key for ${port === 22 ? host : `[${host}]:${port}`} in known-hosts; refusing to connect`
          )
        )
        return
      }
      const client = new Client()
      let keyRejected = false
      const config: ConnectConfig = {
        host,
        port,
        username: user,
        privateKey: this.options.privateKey,
        passphrase: this.options.passphrase,
        readyTimeout: this.options.connectTimeoutMs ?? 10_000,
        // Offer only the key types known_hosts lists, so the server presents one we can check.
        algorithms: { serverHostKey: [...new Set(known.map(k => k.type))] as never },
        hostVerifier: (key: Buffer) => {
          const ok = isKnownKey(this.options.knownHosts, host, port, key)
          if (!ok) keyRejected = true
          return ok
        }
      }
      client.once('ready', () => {
        this.client = client
        resolve(client)
      })
      client.once('error', error => {
        this.connecting = undefined
        reject(
          keyRejected
            ? new Error(
                `SSH ${this.label}: host key does not match known-hosts (possible man-in-the-middle); refusing to connect`
              )
            : new Error(`SSH ${this.label}: ${error.message}`)
        )
      })
      client.connect(config)
    })
    return this.connecting
  }

  async exec(command: string, env: Record<string, string>, timeoutMs: number): Promise<ExecResult> {
    const client = await this.connect()
    const stdin = Object.entries(env)
      .map(([key, value]) => `${key}=${value}\0`)
      .join('')
    return new Promise<ExecResult>((resolve, reject) => {
      client.exec(REMOTE_RUNNER, (error, stream) => {
        if (error) return reject(new Error(`SSH ${this.label}: ${error.message}`))
        let stdout = ''
        let stderr = ''
        let timedOut = false
        let settled = false
        const finish = (result: ExecResult): void => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          resolve(result)
        }
        // The remote `timeout` stops the command; we stop waiting at the deadline regardless.
        const timer = setTimeout(() => {
          timedOut = true
          stream.signal('KILL')
          stream.close()
          finish({ exitCode: null, stdout, stderr, timedOut: true })
        }, timeoutMs)
        stream.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
        stream.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        stream.on('close', (code: number | null) =>
          finish({ exitCode: timedOut ? null : (code ?? null), stdout, stderr, timedOut })
        )
        const timeoutS = String(Math.max(1, Math.ceil(timeoutMs / 1000)))
        stream.end(`SLIPWAY_TIMEOUT_S=${timeoutS}\0${stdin}\0${command}`)
      })
    })
  }

  private sftp(): Promise<SFTPWrapper> {
    this.sftpSession ??= this.connect().then(
      client =>
        new Promise<SFTPWrapper>((resolve, reject) =>
          client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp)))
        )
    )
    return this.sftpSession
  }

  private async mkdirp(path: string): Promise<void> {
    const result = await this.exec('mkdir -p -- "$SLIPWAY_DIR"', { SLIPWAY_DIR: path }, 30_000)
    if (result.exitCode !== 0)
      throw new Error(`SSH ${this.label}: mkdir ${path} failed: ${result.stderr.trim()}`)
  }

  async readFile(path: string): Promise<string | undefined> {
    const sftp = await this.sftp()
    return new Promise((resolve, reject) =>
      sftp.readFile(path, (error: (Error & { code?: number }) | null | undefined, data: Buffer) => {
        if (error)
          return error.code === 2
            ? resolve(undefined)
            : reject(new Error(`SSH ${this.label}: read ${path}: ${error.message}`))
        resolve(data.toString('utf8'))
      })
    )
  }

  async writeFile(path: string, content: string): Promise<void> {
    await this.mkdirp(path.replace(/\/[^/]*$/, '') || '/')
    const sftp = await this.sftp()
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(path, content, error =>
        error ? reject(new Error(`SSH ${this.label}: write ${path}: ${error.message}`)) : resolve()
      )
    )
  }

  async putFile(localPath: string, remotePath: string): Promise<void> {
    await this.mkdirp(remotePath.replace(/\/[^/]*$/, '') || '/')
    const sftp = await this.sftp()
    await new Promise<void>((resolve, reject) =>
      sftp.fastPut(localPath, remotePath, error =>
        error
          ? reject(new Error(`SSH ${this.label}: upload ${remotePath}: ${error.message}`))
          : resolve()
      )
    )
  }

  async rename(from: string, to: string): Promise<void> {
    const result = await this.exec(
      'mv -f -- "$SLIPWAY_FROM" "$SLIPWAY_TO"',
      { SLIPWAY_FROM: from, SLIPWAY_TO: to },
      30_000
    )
    if (result.exitCode !== 0)
      throw new Error(`SSH ${this.label}: rename ${from} → ${to} failed: ${result.stderr.trim()}`)
  }

  async remove(path: string): Promise<void> {
    await this.exec('rm -f -- "$SLIPWAY_PATH"', { SLIPWAY_PATH: path }, 30_000)
  }

  async close(): Promise<void> {
    this.client?.end()
    this.client = undefined
    this.connecting = undefined
    this.sftpSession = undefined
  }
}
