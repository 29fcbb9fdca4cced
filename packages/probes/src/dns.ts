import { lookup } from 'node:dns/promises'
import type { Probe } from './types.js'

export interface DnsSpec {
  /** The name to resolve. */
  name: string
  /** Address family to ask for: 4, 6 or either (default). */
  family?: 4 | 6
  /** When given, at least one of these addresses must be among the answers. */
  expect?: string[]
}

/**
 * Passes when the name resolves through the system resolver (getaddrinfo: /etc/hosts, then DNS),
 * which is what the deployment's own clients will use. Names under the reserved `.invalid`
 * top-level domain (RFC 6761) fail without a query: they can never resolve, and a resolver
 * that answers them anyway (a captive portal, a wildcard) must not make the check pass.
 */
export const dnsProbe: Probe<DnsSpec> = async (spec, context) => {
  const name = spec.name.trim().replace(/\.$/, '')
  if (isReservedInvalid(name)) {
    return { ok: false, message: `${name}: names under .invalid never resolve (RFC 6761)` }
  }
  const started = performance.now()
  let answers: { address: string; family: number }[]
  try {
    answers = await abortable(lookup(name, { all: true, family: spec.family ?? 0 }), context.signal)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return { ok: false, message: `${name} did not resolve: ${code ?? (error as Error).message}` }
  }
  const latencyMs = Math.round(performance.now() - started)
  const addresses = [...new Set(answers.map(answer => answer.address))]
  const details = { addresses, latencyMs }
  if (addresses.length === 0)
    return { ok: false, message: `${name} resolved to no address`, details }
  if (
    spec.expect &&
    spec.expect.length > 0 &&
    !spec.expect.some(address => addresses.includes(address))
  ) {
    return {
      ok: false,
      message: `${name} resolved to ${addresses.join(', ')}, expected one of ${spec.expect.join(', ')}`,
      details
    }
  }
  return { ok: true, message: `${name} → ${addresses.join(', ')}`, details }
}

export function isReservedInvalid(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '')
  return lower === 'invalid' || lower.endsWith('.invalid')
}

/** getaddrinfo cannot be cancelled; stop waiting for it when the check's timeout fires. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      error => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}
