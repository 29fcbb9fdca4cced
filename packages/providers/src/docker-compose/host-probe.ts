import type { ProbeOutcome } from '@slipway/probes'
import { httpHealth } from '../hooks.js'
import type { Transport } from '../transport.js'

/**
 * Fixed: an HTTP/1.0 GET of `$SLIPWAY_PATH` on 127.0.0.1:`$SLIPWAY_PORT`, run ON the host with
 * bash's /dev/tcp (hosts need no curl), printing the status line. The published port may be
 * bound to loopback only, which the runner could not reach.
 */
const HTTP_ON_HOST = [
  'exec 3<>"/dev/tcp/127.0.0.1/$SLIPWAY_PORT" || exit 7',
  `printf 'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' "$SLIPWAY_PATH" >&3`,
  'IFS= read -r line <&3',
  `printf '%s\\n' "$line"`
].join('\n')

/** Fixed: a TCP connect to 127.0.0.1:`$SLIPWAY_PORT` on the host. */
const TCP_ON_HOST = 'exec 3<>"/dev/tcp/127.0.0.1/$SLIPWAY_PORT"'

/** Any 2xx passes. Local hosts are probed directly (same answer, one process less). */
export async function httpOnHost(
  transport: Transport,
  local: boolean,
  port: number,
  path: string,
  timeoutMs: number
): Promise<ProbeOutcome> {
  if (local) return httpHealth(`http://127.0.0.1:${port}${path}`, timeoutMs)
  const what = `http GET ${path} on ${transport.label} port ${port}`
  const result = await transport.exec(
    HTTP_ON_HOST,
    { SLIPWAY_PORT: String(port), SLIPWAY_PATH: path },
    timeoutMs
  )
  if (result.exitCode !== 0)
    return {
      ok: false,
      message: `${what} failed: ${result.timedOut ? 'timed out' : (result.stderr.trim().split('\n').pop() ?? `exit ${result.exitCode}`)}`
    }
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(result.stdout)?.[1] ?? NaN)
  const ok = status >= 200 && status < 300
  return {
    ok,
    message: `${what} → ${Number.isNaN(status) ? 'no HTTP status line' : status}`,
    details: { status }
  }
}

export async function tcpOnHost(
  transport: Transport,
  port: number,
  timeoutMs: number
): Promise<ProbeOutcome> {
  const result = await transport.exec(TCP_ON_HOST, { SLIPWAY_PORT: String(port) }, timeoutMs)
  return {
    ok: result.exitCode === 0,
    message: `tcp 127.0.0.1:${port} on ${transport.label} ${result.exitCode === 0 ? 'accepted a connection' : 'refused or timed out'}`
  }
}
