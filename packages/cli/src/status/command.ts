import {
  BUG_REPORT_REQUEST,
  InputError,
  Redactor,
  UserError,
  parseDuration,
  type Progress
} from '@slipway/kit'
import { parseRepository } from '@slipway/github'
import type { DeploymentRecords } from '@slipway/deployments'
import type { CommandDoc } from '../action-inputs.js'
import type { ParsedArgs } from '../args.js'
import { connect } from '../connection.js'
import type { Terminal } from '../context.js'
import { renderStatus } from './render.js'
import { readStatus, type EnvironmentStatus } from './view.js'

/** `slipway status`'s own options (it runs no action, so they are not action inputs). */
export const STATUS_DOC: CommandDoc = {
  action: 'status',
  description: 'What is live per environment, from the deployment records.',
  inputs: {
    watch: {
      description: 'Re-read every --interval and redraw when something changed, until interrupted.',
      boolean: true,
      default: 'false'
    },
    interval: {
      description: 'How often --watch re-reads the records: a duration of at least 100ms.',
      default: '5s'
    },
    limit: {
      description: 'How many of the newest deployments to list per environment (1–100).',
      default: '5'
    }
  },
  outputs: []
}

export interface StatusOptions {
  terminal: Terminal
  env: NodeJS.ProcessEnv
  cwd: string
  /** Ends `--watch`; without one, SIGINT and SIGTERM do. */
  signal?: AbortSignal
  /** stdout is a terminal: --watch redraws in place instead of printing a block per change. */
  tty?: boolean
  /** Called after each read of the records (an embedder's, or a test's, way to follow --watch). */
  onRead?: () => void
}

interface StatusSettings {
  watch: boolean
  intervalMs: number
  limit: number
  environments?: string[]
  json: boolean
}

/** The settings, or the InputError naming the option: nothing is read before they are valid. */
export function parseStatusSettings(parsed: ParsedArgs): StatusSettings {
  const { inputs, globals } = parsed
  for (const flag of ['config', 'summary-file'] as const)
    if (globals[flag] !== undefined)
      throw new InputError(
        flag,
        'nothing: slipway status reads the deployment records only',
        globals[flag],
        'name environments with --environment'
      )
  const watch = inputs.watch ?? 'false'
  if (watch !== 'true' && watch !== 'false')
    throw new InputError('watch', 'true or false (or --watch alone)', watch)
  const intervalText = inputs.interval ?? '5s'
  const intervalMs = parseDuration(intervalText)
  if (intervalMs === undefined || intervalMs < 100)
    throw new InputError('interval', 'a duration of at least 100ms, such as 5s or 1m', intervalText)
  const limitText = inputs.limit ?? '5'
  const limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN
  if (!(limit >= 1 && limit <= 100))
    throw new InputError('limit', 'a whole number from 1 to 100', limitText)
  const environments = globals.environment
    ?.split(',')
    .map(name => name.trim())
    .filter(Boolean)
  if (globals.environment !== undefined && !environments?.length)
    throw new InputError('environment', 'one or more names, comma separated', globals.environment)
  return { watch: watch === 'true', intervalMs, limit, environments, json: globals.json === 'true' }
}

/**
 * `slipway status [--watch]`: reads the records (GitHub with a token, else the ledger file) and
 * prints what is live per environment. With --watch it re-reads every interval and redraws only
 * when what it would print changed, so an idle environment does not scroll the terminal.
 */
export async function runStatus(parsed: ParsedArgs, options: StatusOptions): Promise<number> {
  const { terminal } = options
  const redactor = new Redactor()
  const fail = (error: unknown): number => {
    const message = error instanceof Error ? error.message : String(error)
    const explanation =
      error instanceof UserError
        ? error.hint
          ? [`hint: ${error.hint}`]
          : []
        : [error instanceof Error && error.stack ? error.stack : '', BUG_REPORT_REQUEST]
    terminal.stderr(
      `${[`error: ${error instanceof UserError ? '' : 'status failed: '}${message}`, ...explanation]
        .filter(Boolean)
        .map(line => redactor.redact(line))
        .join('\n')}\n`
    )
    return 1
  }
  let settings: StatusSettings
  let records: DeploymentRecords
  let source: string
  try {
    settings = parseStatusSettings(parsed)
    const progress: Progress = {
      info: message => {
        if (parsed.globals.quiet !== 'true') terminal.stderr(`${redactor.redact(message)}\n`)
      },
      warning: message => terminal.stderr(`warning: ${redactor.redact(message)}\n`)
    }
    const connection = await connect(parsed.globals, options.env, options.cwd, progress)
    if (!connection.ledgerPath) redactor.add(connection.token)
    const repository = parseRepository(connection.runnerEnv.repository)
    if (!repository)
      throw new UserError(
        `No repository to read deployments of (got ${JSON.stringify(connection.runnerEnv.repository ?? '')})`,
        'pass --repository owner/name or set GITHUB_REPOSITORY'
      )
    records = connection.backends.records({ token: connection.token, repository })
    source = connection.ledgerPath
      ? `the ledger ${connection.ledgerPath}`
      : `${repository.owner}/${repository.repo} on ${connection.runnerEnv.apiUrl}`
  } catch (error) {
    return fail(error)
  }

  const draw = (statuses: EnvironmentStatus[]): string =>
    redactor.redact(
      settings.json
        ? `${JSON.stringify({ source, environments: statuses }, null, settings.watch ? undefined : 2)}\n`
        : renderStatus(statuses, source)
    )

  if (!settings.watch) {
    try {
      terminal.stdout(draw(await readStatus(records, settings)))
      return 0
    } catch (error) {
      return fail(error)
    }
  }

  const stop = stopSignal(options.signal)
  // Clearing the screen only makes sense on a terminal; piped output gets one block per change.
  const clear = !settings.json && options.tty === true
  let shown: string | undefined
  let failures = 0
  try {
    while (!stop.signal.aborted) {
      try {
        const statuses = await readStatus(records, settings).finally(() => options.onRead?.())
        const text = draw(statuses)
        failures = 0
        if (text !== shown) {
          const separator = clear ? '\x1b[H\x1b[2J' : shown === undefined ? '' : '\n'
          shown = text
          terminal.stdout(
            settings.json
              ? text
              : `${separator}${text}\n(watching every ${parsed.inputs.interval ?? '5s'}; Ctrl-C to stop)\n`
          )
        }
      } catch (error) {
        // A user's error (token, repository, a broken ledger) will not fix itself: stop.
        if (error instanceof UserError) return fail(error)
        // A bounded number of transient read failures in a row; then the watch gives up.
        if (++failures >= 5) return fail(error)
        terminal.stderr(
          `warning: reading the records failed (${failures}/5 in a row): ${redactor.redact(error instanceof Error ? error.message : String(error))}\n`
        )
      }
      await sleep(settings.intervalMs, stop.signal)
    }
    return stop.code()
  } finally {
    stop.dispose()
  }
}

/**
 * What ends the watch: the embedder's signal, else SIGINT or SIGTERM, which end it with the
 * shell's code for them (130, 143), as kit's handler does once a child has been run.
 */
function stopSignal(given: AbortSignal | undefined): {
  signal: AbortSignal
  code: () => number
  dispose: () => void
} {
  if (given) return { signal: given, code: () => 0, dispose: () => undefined }
  const controller = new AbortController()
  let code = 0
  const onInt = () => {
    code = 130
    controller.abort()
  }
  const onTerm = () => {
    code = 143
    controller.abort()
  }
  process.once('SIGINT', onInt)
  process.once('SIGTERM', onTerm)
  return {
    signal: controller.signal,
    code: () => code,
    dispose: () => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
  })
}
