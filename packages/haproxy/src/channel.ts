import { InputError, UserError } from '@slipway/kit'

/**
 * A way to send one command to HAProxy's runtime API (the `stats socket … level admin`)
 * and get its whole answer. HAProxy's CLI in its default non-interactive mode reads one
 * line, answers and closes the connection, so one command = one connection.
 */
export interface RuntimeChannel {
  /** Where commands go, for messages: the socket path, or `user@host:/path`. */
  readonly label: string
  send(command: string, timeoutMs?: number): Promise<string>
}

/**
 * The socket is missing, refuses us, or the exchange timed out: HAProxy was not reached. That is
 * the host's setup (HAProxy stopped, a socket path or its rights), so the user's to fix.
 */
export class ChannelError extends UserError {
  constructor(message: string, hint = ANSWER_HINT) {
    super(message, hint)
    this.name = 'ChannelError'
  }
}

const ANSWER_HINT =
  "check that HAProxy runs and serves its admin socket at the `haproxy-socket` path ('stats socket <path> mode 600 level admin')."

/** What to do when connecting to the socket failed with this code. */
function socketHint(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return "set `haproxy-socket` to the path of HAProxy's admin socket, and give haproxy.cfg 'stats socket <path> mode 600 level admin'."
    case 'ECONNREFUSED':
      return 'start HAProxy: the socket file is left over from one that stopped.'
    case 'EACCES':
      return "deploy as the socket's owner, or give the socket 'mode 660 group <g>' with the deploy user in that group."
    default:
      return ANSWER_HINT
  }
}

/** The admin socket on this machine, spoken to directly (no socat, no shell). */
export class UnixSocketChannel implements RuntimeChannel {
  readonly label: string

  constructor(readonly socketPath: string) {
    this.label = socketPath
  }

  send(command: string, timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      // node:net is loaded by the first command, not with the module: a start that stops at an
      // input error speaks to no socket.
      const socket = process.getBuiltinModule('node:net').connect({ path: this.socketPath })
      const chunks: Buffer[] = []
      let settled = false
      const finish = (error?: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        socket.destroy()
        if (error) reject(error)
        else resolve(Buffer.concat(chunks).toString('utf8'))
      }
      const timer = setTimeout(
        () =>
          finish(
            new ChannelError(
              `HAProxy admin socket ${this.socketPath}: no answer within ${timeoutMs}ms`
            )
          ),
        timeoutMs
      )
      socket.on('connect', () => socket.write(`${command}\n`))
      socket.on('data', chunk => chunks.push(chunk))
      socket.on('end', () => finish())
      socket.on('error', (error: NodeJS.ErrnoException) =>
        finish(
          new ChannelError(describeSocketError(this.socketPath, error), socketHint(error.code))
        )
      )
    })
  }
}

function describeSocketError(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `HAProxy admin socket ${path} does not exist (is HAProxy running with 'stats socket ${path} mode 600 level admin'?)`
    case 'ECONNREFUSED':
      return `HAProxy admin socket ${path} refused the connection (stale socket: HAProxy is not running)`
    case 'EACCES':
      return `HAProxy admin socket ${path}: permission denied (run as the socket's owner, or give the deploy user a group and 'mode 660 group <g>')`
    default:
      return `HAProxy admin socket ${path}: ${error.message}`
  }
}

/** The part of a transport (local bash, SSH) the exec channel needs: providers' `Transport.exec` fits. */
export interface Exec {
  readonly label: string
  exec(
    command: string,
    env: Record<string, string>,
    timeoutMs: number
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string; timedOut: boolean }>
}

/**
 * The fixed programs that relay one runtime command to a unix socket on a remote host.
 * They are constant text: the socket path and the command arrive as DATA in the environment
 * (`SLIPWAY_HAPROXY_SOCKET`, `SLIPWAY_HAPROXY_COMMAND`). Over SSH the providers' transport
 * sends those variables on the channel's standard input as NUL-terminated KEY=VALUE pairs
 * (sshd's AcceptEnv is not needed), so nothing we send is ever parsed as shell syntax, and
 * the HAProxy command line itself was validated before (names are [A-Za-z0-9._:-], numbers
 * are numbers, no `;` or newline can reach HAProxy's own command separator).
 *
 * `perl` (default) because `perl-base` is Essential on Debian/Ubuntu (always installed) and its
 * IO::Socket::UNIX speaks to unix sockets: neither socat nor netcat need be installed.
 * `socat` for hosts without perl; the socket path is checked to be a plain path first, as socat
 * would read `,` or `:` in it as address options.
 */
export const REMOTE_RELAYS = {
  perl:
    `exec perl -MIO::Socket::UNIX -e '` +
    `my $p = $ENV{SLIPWAY_HAPROXY_SOCKET}; ` +
    `my $s = IO::Socket::UNIX->new(Peer => $p) or do { print STDERR "cannot connect to $p: $!\\n"; exit 3 }; ` +
    `print $s $ENV{SLIPWAY_HAPROXY_COMMAND}, "\\n"; local $/; my $r = <$s>; print defined $r ? $r : ""'`,
  socat: `printf '%s\\n' "$SLIPWAY_HAPROXY_COMMAND" | socat -t 10 - "UNIX-CONNECT:$SLIPWAY_HAPROXY_SOCKET"`
} as const

/** @deprecated name kept for readers: the perl relay. */
export const REMOTE_RELAY = REMOTE_RELAYS.perl

const SOCKET_PATH = /^\/[A-Za-z0-9._/@+-]+$/

/** The admin socket of an HAProxy reached through a transport's exec (SSH, or local bash). */
export class ExecChannel implements RuntimeChannel {
  readonly label: string

  constructor(
    private readonly transport: Exec,
    readonly socketPath: string,
    private readonly relay: keyof typeof REMOTE_RELAYS = 'perl'
  ) {
    if (typeof socketPath !== 'string' || !SOCKET_PATH.test(socketPath)) {
      throw new InputError(
        'haproxy-socket',
        'an absolute path of letters, digits and ._/@+-',
        socketPath
      )
    }
    if (!(relay in REMOTE_RELAYS)) throw new InputError('haproxy-relay', 'perl or socat', relay)
    this.label = `${transport.label}:${socketPath}`
  }

  async send(command: string, timeoutMs = 10_000): Promise<string> {
    const result = await this.transport.exec(
      REMOTE_RELAYS[this.relay],
      { SLIPWAY_HAPROXY_SOCKET: this.socketPath, SLIPWAY_HAPROXY_COMMAND: command },
      timeoutMs
    )
    if (result.timedOut)
      throw new ChannelError(`HAProxy admin socket ${this.label}: no answer within ${timeoutMs}ms`)
    if (result.exitCode !== 0) {
      const reason = result.stderr.trim().split('\n').slice(-2).join(' ')
      throw new ChannelError(
        `HAProxy admin socket ${this.label}: ${reason || `relay exited with code ${result.exitCode}`}`,
        result.exitCode === 127
          ? `install ${this.relay} on ${this.transport.label}, or choose the other \`haproxy-relay\` (perl or socat).`
          : socketHint(
              /No such file/i.test(reason)
                ? 'ENOENT'
                : /Permission denied/i.test(reason)
                  ? 'EACCES'
                  : /Connection refused/i.test(reason)
                    ? 'ECONNREFUSED'
                    : undefined
            )
      )
    }
    return result.stdout
  }
}
