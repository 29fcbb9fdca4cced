import { Redactor } from '@slipway/kit'
import type { DriverContext } from './engines/index.js'
import { parseSource, type SourceSpec } from './source.js'
import type { Common, Connection } from './types.js'

export const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000

export function driverContext(options: Common): DriverContext {
  return {
    redactor: options.redactor ?? new Redactor(),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    env: options.env ?? process.env,
    log: options.log ?? (() => undefined)
  }
}

/** Accepts a parsed Connection or a spec; registers its password with the redactor either way. */
export function toConnection(source: SourceSpec | Connection, context: DriverContext): Connection {
  const connection =
    'display' in source ? source : parseSource({ ...source, env: source.env ?? context.env })
  if (connection.password) context.redactor.add(connection.password)
  return connection
}

/**
 * Waits for a pipeline and the programs around it, and reports the most telling failure:
 * a broken pipe or a killed program is usually the consequence of another failure.
 */
export async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises)
  const errors = results
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map(r => r.reason as unknown)
  if (errors.length === 0) return
  const consequence = /EPIPE|premature close|SIGPIPE|SIGTERM|write after end|aborted/i
  throw (
    errors.find(error => !consequence.test(String((error as Error)?.message ?? error))) ?? errors[0]
  )
}
