import type { Probe } from './types.js'

export interface TcpSpec {
  host: string
  port: number
}

/** Passes when a TCP connection to host:port is accepted; the connection is closed at once. */
export const tcpProbe: Probe<TcpSpec> = (spec, context) =>
  new Promise(resolve => {
    const started = performance.now()
    const target = formatHostPort(spec.host, spec.port)
    // node:net is loaded by the first probe, not with the module: a start that stops at an
    // input error opens no socket and should not pay for it.
    const socket = process
      .getBuiltinModule('node:net')
      .connect({ host: spec.host, port: spec.port })
    const finish = (ok: boolean, message: string, details?: Record<string, unknown>): void => {
      context.signal.removeEventListener('abort', onAbort)
      socket.destroy()
      resolve({ ok, message, details })
    }
    const onAbort = (): void =>
      finish(false, `${target}: no connection within ${context.timeoutMs}ms`)
    context.signal.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', () => {
      const latencyMs = Math.round(performance.now() - started)
      finish(true, `${target} accepted a connection in ${latencyMs}ms`, {
        latencyMs,
        address: socket.remoteAddress
      })
    })
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(
        false,
        `${target}: ${describeSocketError(error)}`,
        error.code ? { code: error.code } : undefined
      )
    )
  })

/** `host:port`, with brackets around IPv6 addresses. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * Parses `host:port` or `[ipv6]:port`; undefined when malformed. A missing port takes
 * `defaultPort` when one is given (TLS checks default to 443).
 */
export function parseHostPort(text: string, defaultPort?: number): TcpSpec | undefined {
  const value = text.trim()
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(value)
  const plain = /^([A-Za-z0-9_.-]+)(?::(\d+))?$/.exec(value)
  const match = bracketed ?? plain
  if (!match) return undefined
  const port = match[2] === undefined ? defaultPort : Number(match[2])
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) return undefined
  return { host: match[1], port }
}

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'name lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable'
}

/** `connection refused (ECONNREFUSED)` rather than Node's `connect ECONNREFUSED 127.0.0.1:1`. */
export function describeSocketError(error: NodeJS.ErrnoException): string {
  const known = error.code ? SOCKET_ERRORS[error.code] : undefined
  if (known) return `${known} (${error.code})`
  return error.code && !error.message.includes(error.code)
    ? `${error.message} (${error.code})`
    : error.message
}
