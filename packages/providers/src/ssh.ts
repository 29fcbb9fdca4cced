import type { Client, ConnectConfig, SFTPWrapper } from 'ssh2'
import type { ExecResult, Transport } from './transport.js'
import { hasCertificateAuthority, isKnownKey, isRevokedKey, keysFor } from './known-hosts.js'
import { connectionFailed, fileOperationFailed, hostKeyRefused } from './ssh-errors.js'
import { UserError } from '@slipway/kit'

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
 * AcceptEnv allows, so our values travel on standard input instead: one line per variable,
 * `NAME \xHH\xHH…` (every byte of the value hex-escaped, so no value can end its line or the
 * list whatever it holds), an empty line, then the user's command. `printf -v` (a bash builtin)
 * turns the escapes back into the value's bytes and `export "$k=$v"` assigns it as data; nothing
 * we send is ever parsed as shell syntax except the user's own command.
 */
const REMOTE_RUNNER =
  `bash -c 'while IFS=" " read -r k v; do [ -z "$k" ] && break; ` +
  `case $k in [!A-Za-z_]*|*[!A-Za-z0-9_]*) echo "slipway: bad variable name" >&2; exit 97;; esac; ` +
  `printf -v val "%b" "$v"; export "$k=$val"; done; ` +
  `cmd=$(cat); if command -v timeout >/dev/null; then exec timeout -k 2 "$SLIPWAY_TIMEOUT_S" bash -c "$cmd" </dev/null; ` +
  `else exec bash -c "$cmd" </dev/null; fi'`

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
// NUL cannot live in a shell variable (it would silently cut the value), and other control
// characters (escape sequences, carriage returns) have no business in a version, path or
// weight. Tab and newline stay allowed: the framing carries them as data.
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const CONTROL = /[\x00-\x08\x0B-\x1F\x7F]/
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const PATH_CONTROL = /[\x00-\x1F\x7F]/

/** Thrown before anything is sent when a value could not travel to the remote host intact. */
export class UnsafeValueError extends Error {
  constructor(
    readonly variable: string,
    message: string
  ) {
    super(message)
    this.name = 'UnsafeValueError'
  }
}

function codePoint(text: string, pattern: RegExp): string {
  const found = pattern.exec(text)![0]
  return `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
}

/** The standard input of REMOTE_RUNNER for these variables; throws UnsafeValueError first. */
export function frameEnvironment(label: string, env: Record<string, string>): string {
  let framed = ''
  for (const [name, value] of Object.entries(env)) {
    if (!VARIABLE_NAME.test(name))
      throw new UnsafeValueError(
        name,
        `SSH ${label}: refusing to send variable ${JSON.stringify(name)}: expected a name of letters, digits and _`
      )
    if (CONTROL.test(value))
      throw new UnsafeValueError(
        name,
        `SSH ${label}: refusing to send ${name}: its value holds a control character (${codePoint(value, CONTROL)}); nothing was run`
      )
    framed += `${name} ${[...Buffer.from(value, 'utf8')].map(byte => `\\x${byte.toString(16).padStart(2, '0')}`).join('')}\n`
  }
  return `${framed}\n`
}

export class SshTransport implements Transport {
  readonly label: string
  private client?: Client
  private connecting?: Promise<Client>
  private sftpSession?: Promise<SFTPWrapper>
  private readonly destination: SshDestination

  constructor(private readonly options: SshOptions) {
    const destination = parseDestination(options.destination)
    if (!destination)
      throw new UserError(
        `not an SSH destination (user@host[:port]): ${options.destination}`,
        'write the SSH target as user@host or user@host:port (e.g. deploy@app1.example.com:2222).'
      )
    this.destination = destination
    this.label = `${destination.user}@${destination.host}:${destination.port}`
  }

  private connect(): Promise<Client> {
    if (this.connecting) return this.connecting
    const { host, port, user } = this.destination
    const known = keysFor(this.options.knownHosts, host, port)
    // ssh2 (and its crypto) is loaded by the first connection, not by every action that
    // bundles the SSH transport: an input error or a dry run never parses it.
    this.connecting = loadSsh2().then(
      ({ Client: SshClient }) =>
        new Promise<Client>((resolve, reject) => {
          if (known.length === 0) {
            const name = port === 22 ? host : `[${host}]:${port}`
            reject(
              hasCertificateAuthority(this.options.knownHosts, host, port)
                ? hostKeyRefused(
                    `SSH ${this.label}: known-hosts covers ${name} only with a @cert-authority line; host certificates are not supported, list the host's own key (ssh-keyscan); refusing to connect`,
                    'certificate-only',
                    this.destination
                  )
                : keysFor(this.options.knownHosts, host, port, { includeRevoked: true }).length > 0
                  ? hostKeyRefused(
                      `SSH ${this.label}: every key known-hosts lists for ${name} is @revoked; refusing to connect`,
                      'revoked-listed',
                      this.destination
                    )
                  : hostKeyRefused(
                      `SSH ${this.label}: no key for ${name} in known-hosts; refusing to connect`,
                      'not-listed',
                      this.destination
                    )
            )
            return
          }
          const client = new SshClient()
          let keyRejected: 'revoked' | 'unknown' | undefined
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
              if (!ok)
                keyRejected = isRevokedKey(this.options.knownHosts, key) ? 'revoked' : 'unknown'
              return ok
            }
          }
          client.once('ready', () => {
            this.client = client
            resolve(client)
          })
          // A connection that went away (sshd stopped, the host rebooted or dropped off the network)
          // is forgotten: the next command connects again and fails, or succeeds, for a real reason
          // instead of reusing a dead session ("Not connected").
          client.on('close', () => {
            if (this.client !== client) return
            this.client = undefined
            this.connecting = undefined
            this.sftpSession = undefined
          })
          client.once('error', error => {
            this.connecting = undefined
            reject(
              keyRejected === 'revoked'
                ? hostKeyRefused(
                    `SSH ${this.label}: the host presented a key that known-hosts marks @revoked; refusing to connect`,
                    'revoked-presented',
                    this.destination
                  )
                : keyRejected
                  ? hostKeyRefused(
                      `SSH ${this.label}: host key does not match known-hosts (possible man-in-the-middle); refusing to connect`,
                      'mismatch',
                      this.destination
                    )
                  : connectionFailed(`SSH ${this.label}: ${error.message}`, error, this.destination)
            )
          })
          client.connect(config)
        })
    )
    return this.connecting
  }

  async exec(command: string, env: Record<string, string>, timeoutMs: number): Promise<ExecResult> {
    const timeoutS = String(Math.max(1, Math.ceil(timeoutMs / 1000)))
    const stdin = frameEnvironment(this.label, { ...env, SLIPWAY_TIMEOUT_S: timeoutS })
    if (command.includes('\0'))
      throw new UnsafeValueError('command', `SSH ${this.label}: the command holds a NUL byte`)
    const client = await this.connect()
    return new Promise<ExecResult>((resolve, reject) => {
      // ssh2 throws (rather than calls back) when the session is already gone
      try {
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
          stream.end(`${stdin}${command}`)
        })
      } catch (error) {
        reject(new Error(`SSH ${this.label}: ${(error as Error).message}`))
      }
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
      throw fileOperationFailed(
        `SSH ${this.label}: mkdir ${path} failed: ${result.stderr.trim()}`,
        { text: result.stderr },
        this.destination
      )
  }

  /** Paths reach the remote SFTP server and shell commands: control characters are refused. */
  private checkPath(path: string): void {
    if (PATH_CONTROL.test(path))
      throw new UnsafeValueError(
        'path',
        `SSH ${this.label}: refusing the path ${JSON.stringify(path)}: it holds a control character (${codePoint(path, PATH_CONTROL)})`
      )
  }

  async readFile(path: string): Promise<string | undefined> {
    this.checkPath(path)
    const sftp = await this.sftp()
    return new Promise((resolve, reject) =>
      sftp.readFile(path, (error: (Error & { code?: number }) | null | undefined, data: Buffer) => {
        if (error)
          return error.code === 2
            ? resolve(undefined)
            : reject(
                fileOperationFailed(
                  `SSH ${this.label}: read ${path}: ${error.message}`,
                  { code: error.code, text: error.message },
                  this.destination
                )
              )
        resolve(data.toString('utf8'))
      })
    )
  }

  async writeFile(path: string, content: string): Promise<void> {
    this.checkPath(path)
    await this.mkdirp(path.replace(/\/[^/]*$/, '') || '/')
    const sftp = await this.sftp()
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(path, content, (error: (Error & { code?: number }) | null | undefined) =>
        error
          ? reject(
              fileOperationFailed(
                `SSH ${this.label}: write ${path}: ${error.message}`,
                { code: error.code, text: error.message },
                this.destination
              )
            )
          : resolve()
      )
    )
  }

  async putFile(localPath: string, remotePath: string): Promise<void> {
    this.checkPath(remotePath)
    await this.mkdirp(remotePath.replace(/\/[^/]*$/, '') || '/')
    const sftp = await this.sftp()
    await new Promise<void>((resolve, reject) =>
      sftp.fastPut(localPath, remotePath, error =>
        error
          ? reject(
              fileOperationFailed(
                `SSH ${this.label}: upload ${remotePath}: ${error.message}`,
                { code: (error as Error & { code?: number }).code, text: error.message },
                this.destination
              )
            )
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
      throw fileOperationFailed(
        `SSH ${this.label}: rename ${from} → ${to} failed: ${result.stderr.trim()}`,
        { text: result.stderr },
        this.destination
      )
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

/**
 * ssh2, after the shim that gives its emscripten code the `__dirname` an ES module bundle
 * lacks: both load with the first connection, in that order.
 */
async function loadSsh2(): Promise<typeof import('ssh2')> {
  await import('./esm-shim.js')
  return import('ssh2')
}
