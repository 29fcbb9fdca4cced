import type { ProbeOutcome } from '@slipway/probes'
import { httpHealth, tcpHealth } from '../hooks.js'
import type { Transport } from '../transport.js'

/** The parts of `docker container inspect` the provider reads. */
export interface ContainerInfo {
  Id: string
  /** `/name` */
  Name: string
  Created: string
  Image: string
  RestartCount: number
  State: {
    Status: string
    Running: boolean
    Restarting: boolean
    ExitCode: number
    Error?: string
    Health?: { Status: string; Log?: { ExitCode: number; Output: string }[] }
  }
  Config: {
    Labels: Record<string, string> | null
    Healthcheck?: { Test?: string[] | null } | null
  }
}

/** The image (or the container's own settings) declares a HEALTHCHECK Docker runs. */
export function hasHealthcheck(info: ContainerInfo): boolean {
  const test = info.Config.Healthcheck?.Test
  return Array.isArray(test) && test.length > 0 && test[0] !== 'NONE'
}

/**
 * A container that exited, is restarting or restarted since it was started cannot become healthy
 * by waiting: the gate stops at once (`fatal`). Undefined while it runs.
 */
export function lifecycleFailure(
  info: ContainerInfo,
  restartsAtStart: number
): ProbeOutcome | undefined {
  const name = info.Name.replace(/^\//, '')
  const state = info.State
  if (state.Restarting)
    return {
      ok: false,
      fatal: true,
      message: `container ${name} is restarting (exit code ${state.ExitCode})`
    }
  if (!state.Running)
    return {
      ok: false,
      fatal: true,
      message: `container ${name} is ${state.Status} (exit code ${state.ExitCode}${state.Error ? `: ${state.Error}` : ''})`
    }
  if (info.RestartCount > restartsAtStart)
    return {
      ok: false,
      fatal: true,
      message: `container ${name} restarted ${info.RestartCount - restartsAtStart} time(s) since it was started`
    }
  return undefined
}

/** Docker's own verdict from the image's HEALTHCHECK: only `healthy` passes. */
export function healthcheckOutcome(info: ContainerInfo): ProbeOutcome {
  const name = info.Name.replace(/^\//, '')
  const status = info.State.Health?.Status ?? 'none'
  const last = info.State.Health?.Log?.at(-1)?.Output?.trim().split('\n').at(-1)
  return {
    ok: status === 'healthy',
    message: `HEALTHCHECK of ${name}: ${status}${last && status !== 'healthy' ? ` (${last.slice(0, 200)})` : ''}`
  }
}

/**
 * An HTTP GET done ON the Docker host (bash's /dev/tcp: no curl needed there), so a container
 * published on the host's loopback is reachable. Values arrive in the environment only.
 */
export const HOST_HTTP_PROBE = [
  'exec 3<>"/dev/tcp/$SLIPWAY_PROBE_HOST/$SLIPWAY_PROBE_PORT" || exit 90',
  `printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n' "$SLIPWAY_PROBE_PATH" "$SLIPWAY_PROBE_HOST" >&3`,
  'IFS= read -r -t "$SLIPWAY_PROBE_TIMEOUT_S" line <&3 || exit 91',
  `printf '%s\\n' "$line"`
].join('\n')

/** A TCP connect done on the Docker host. */
export const HOST_TCP_PROBE =
  'exec 3<>"/dev/tcp/$SLIPWAY_PROBE_HOST/$SLIPWAY_PROBE_PORT" || exit 90'

export interface PublishedProbe {
  kind: 'http' | 'tcp'
  /** The published address and port, as seen from the Docker host. */
  host: string
  port: number
  path: string
  timeoutMs: number
}

/** Probes a published port: directly for this machine, on the host for an SSH host. */
export async function probePublished(
  transport: Transport,
  local: boolean,
  probe: PublishedProbe
): Promise<ProbeOutcome> {
  const address = probe.host.includes(':')
    ? `[${probe.host}]:${probe.port}`
    : `${probe.host}:${probe.port}`
  if (local) {
    return probe.kind === 'http'
      ? httpHealth(`http://${address}${probe.path}`, probe.timeoutMs)
      : tcpHealth({ name: address, address }, probe.timeoutMs)
  }
  const result = await transport.exec(
    probe.kind === 'http' ? HOST_HTTP_PROBE : HOST_TCP_PROBE,
    {
      SLIPWAY_PROBE_HOST: probe.host,
      SLIPWAY_PROBE_PORT: String(probe.port),
      SLIPWAY_PROBE_PATH: probe.path,
      SLIPWAY_PROBE_TIMEOUT_S: String(Math.max(1, Math.ceil(probe.timeoutMs / 1000)))
    },
    probe.timeoutMs + 2000
  )
  const where = `on ${transport.label}`
  if (result.exitCode === 90 || result.exitCode === null)
    return {
      ok: false,
      message: `${probe.kind} ${address} ${where}: ${result.timedOut ? 'timed out' : 'connection refused'}`
    }
  if (probe.kind === 'tcp')
    return { ok: result.exitCode === 0, message: `tcp ${address} ${where}: connected` }
  if (result.exitCode !== 0)
    return { ok: false, message: `http GET ${address}${probe.path} ${where}: no answer` }
  const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(result.stdout)?.[1] ?? NaN)
  return {
    ok: status >= 200 && status < 300,
    message: `http GET ${address}${probe.path} ${where} → ${Number.isNaN(status) ? 'not HTTP' : status}`,
    details: Number.isNaN(status) ? undefined : { status }
  }
}
