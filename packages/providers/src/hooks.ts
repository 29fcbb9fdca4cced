import { UserError } from '@slipway/kit'
import { parseHostPort, tcpProbe, type ProbeOutcome } from '@slipway/probes'
import type { Transport } from './transport.js'
import type { Target } from './types.js'

/** A user hook (`start-command`, `stop-command`…) that failed: the user's command, theirs to fix. */
export class HookError extends UserError {
  constructor(
    readonly hook: string,
    message: string
  ) {
    super(
      message,
      `fix the \`${hook}\` command (its last lines are above), or the host it runs on.`
    )
    this.name = 'HookError'
  }
}

/** Runs one user hook and throws a HookError naming it, with the tail of its output, unless it exits 0. */
export async function runHook(
  transport: Transport,
  hook: string,
  command: string,
  env: Record<string, string>,
  timeoutMs: number
): Promise<string> {
  const result = await transport.exec(command, env, timeoutMs)
  if (result.exitCode === 0) return result.stdout
  const how = result.timedOut
    ? `timed out after ${timeoutMs}ms`
    : `exited with code ${result.exitCode}`
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')
  throw new HookError(hook, `${hook} on ${transport.label} ${how}${tail ? `: ${tail}` : ''}`)
}

/** A health hook: exit 0 is healthy. */
export async function hookHealth(
  transport: Transport,
  command: string,
  env: Record<string, string>,
  timeoutMs: number
): Promise<ProbeOutcome> {
  const result = await transport.exec(command, env, timeoutMs)
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? ''
  return result.exitCode === 0
    ? { ok: true, message: `health-command passed${tail ? `: ${tail}` : ''}` }
    : {
        ok: false,
        message: `health-command ${result.timedOut ? 'timed out' : `exited with code ${result.exitCode}`}${tail ? `: ${tail}` : ''}`
      }
}

/** A health URL: any 2xx within the timeout is healthy. */
export async function urlHealth(url: string, timeoutMs: number): Promise<ProbeOutcome> {
  const started = Date.now()
  try {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual'
    })
    await response.arrayBuffer()
    const ok = response.status >= 200 && response.status < 300
    return {
      ok,
      message: `GET ${url} → ${response.status} in ${Date.now() - started}ms`,
      details: { status: response.status }
    }
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code
    return { ok: false, message: `GET ${url} failed: ${cause ?? (error as Error).message}` }
  }
}

/** The probes a provider's health gate can run (`health-check: none` never reaches a provider). */
export type HealthProbeKind = 'http' | 'tcp' | 'command'

/**
 * Connects to the target's address: proves something accepts connections there (not which
 * version it is). Fails when the target has no address or nothing listens.
 */
export async function tcpHealth(target: Target, timeoutMs: number): Promise<ProbeOutcome> {
  const spec = target.address ? parseHostPort(target.address) : undefined
  if (!spec)
    return {
      ok: false,
      message: `tcp: target ${target.name} has no address (name=host:port) to connect to`
    }
  const outcome = await tcpProbe(spec, { signal: AbortSignal.timeout(timeoutMs), timeoutMs })
  return { ...outcome, message: `tcp ${outcome.message}` }
}

/** An HTTP health URL (any 2xx passes), its message naming the probe. */
export async function httpHealth(url: string, timeoutMs: number): Promise<ProbeOutcome> {
  const outcome = await urlHealth(url, timeoutMs)
  return { ...outcome, message: `http ${outcome.message}` }
}

/**
 * Parses what `current-command` prints: one target per line, `name version [weight]`.
 * Blank lines and `#` comments are ignored.
 */
export function parseCurrent(text: string): Record<string, { version?: string; weight?: number }> {
  const state: Record<string, { version?: string; weight?: number }> = {}
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const [name, version, weight] = line.split(/\s+/)
    state[name] = {
      version: version && version !== '-' ? version : undefined,
      weight: weight !== undefined && /^\d+$/.test(weight) ? Number(weight) : undefined
    }
  }
  return state
}
