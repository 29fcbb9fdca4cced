import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { childEnvironment, onCleanup, Redactor } from '@slipway/kit'
import type { DriverContext } from './engines/index.js'
import { parseSource, type SourceSpec } from './source.js'
import type { Common, Connection } from './types.js'

export const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000

export function driverContext(options: Common): DriverContext {
  return {
    redactor: options.redactor ?? new Redactor(),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    env: programEnvironment(options.env ?? process.env),
    log: options.log ?? (() => undefined),
    progressEveryMs: options.progressEveryMs,
    clock: options.clock
  }
}

/**
 * What the client programs (pg_dump, mysql, sqlite3, zstd, tar) inherit: the minimal child
 * environment (PATH, HOME, locale, certificates, proxies; never INPUT_* or the runner's
 * tokens) plus the engines' own variables, which name a connection or its TLS files
 * (PGHOST, PGSSLROOTCERT, MYSQL_HOST, …) and which the user set for exactly these programs.
 */
export function programEnvironment(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const engines: Record<string, string> = {}
  for (const [name, value] of Object.entries(source))
    if (value !== undefined && /^(PG[A-Z_]+|MYSQL_[A-Z_]+|MARIADB_[A-Z_]+)$/.test(name))
      engines[name] = value
  return childEnvironment(engines, source)
}

/**
 * A 0700 temp directory for files that hold secrets (a MySQL option file) or whole copies of
 * the data: under RUNNER_TEMP when there is one (emptied after every job), removed by
 * `remove()` and, should the action be cancelled or exit first, by the kit's cleanups.
 * `untilExit`: removed at process exit but not by a cancellation's cleanups, for a file that
 * a cleanup itself is about to hand to a program (the caller removes it once that exits).
 */
export function privateTempDir(
  prefix: string,
  env: NodeJS.ProcessEnv = process.env,
  options: { untilExit?: boolean } = {}
): { path: string; remove(): void } {
  const path = mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), prefix)) // mkdtemp creates it 0700
  const removeNow = (): void => rmSync(path, { recursive: true, force: true })
  let forget: () => void
  if (options.untilExit) {
    process.once('exit', removeNow)
    forget = () => void process.off('exit', removeNow)
  } else forget = onCleanup(removeNow)
  return {
    path,
    remove: () => {
      forget()
      removeNow()
    }
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
