import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import {
  BUG_REPORT_REQUEST,
  UserError,
  errorMessage,
  PARSER_NAMES,
  parseDuration,
  preloadParsers,
  type InputSource
} from '@slipway/kit'
import {
  buildConfigSchema,
  layeredInputs,
  loadConfigFile,
  sectionInputs,
  stageSection
} from '@slipway/config'
import { ACTION_DOCS } from './action-inputs.js'
import { GLOBAL_FLAGS, UsageError, parseArgs, type ParsedArgs } from './args.js'
import { COMMANDS } from './commands.js'
import { connect } from './connection.js'
import { cliContext, type Terminal } from './context.js'
import { commandHelp, mainHelp } from './help.js'

/** The commands that read the whole config file themselves (all stages, per environment). */
const READS_CONFIG_FILE: ReadonlySet<string> = new Set(['rollback', 'pipeline'])
import { STATUS_DOC, runStatus } from './status/command.js'

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export interface CliOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  terminal?: Terminal
  version?: string
  /** Ends `slipway status --watch` (by default SIGINT or SIGTERM does). */
  signal?: AbortSignal
  /** Called after each read of `slipway status` (to follow --watch without timing it). */
  onStatusRead?: () => void
}

const defaultTerminal: Terminal = {
  stdout: text => void process.stdout.write(text),
  stderr: text => void process.stderr.write(text)
}

/**
 * Runs `slipway <command> …` and returns the exit code: 0 ok, 1 a failed check or a bad input
 * value, 2 a usage mistake (unknown command or option, missing value). The command's stage runs
 * in this process against GitHub (with a token) or the local ledger file, given the runner
 * facts a runner would give it; process.env is left as it is.
 */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const terminal = options.terminal ?? defaultTerminal
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  if (argv[0] === 'help') {
    terminal.stdout(argv[1] && COMMANDS[argv[1]] ? commandHelp(argv[1]) : mainHelp())
    return EXIT.ok
  }
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    terminal.stdout(`${options.version ?? '0.0.0'}\n`)
    return EXIT.ok
  }
  let parsed: ParsedArgs
  try {
    parsed = parseArgs(argv, { ...ACTION_DOCS, status: STATUS_DOC })
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    terminal.stderr(`slipway: ${error.message}\nRun 'slipway --help' for usage.\n`)
    return EXIT.usage
  }
  const { command, globals } = parsed
  if (command === 'version' || (command === undefined && argv.includes('--version'))) {
    terminal.stdout(`${options.version ?? '0.0.0'}\n`)
    return EXIT.ok
  }
  if (!command) {
    terminal.stdout(mainHelp())
    return globals.help ? EXIT.ok : EXIT.usage
  }
  const spec = COMMANDS[command]
  if (!spec) {
    terminal.stderr(
      `slipway: unknown command '${command}'. Commands: ${Object.keys(COMMANDS).join(', ')}\nRun 'slipway --help' for usage.\n`
    )
    return EXIT.usage
  }
  if (globals.help) {
    terminal.stdout(commandHelp(command))
    return EXIT.ok
  }
  if (command === 'status')
    return runStatus(parsed, {
      terminal,
      env,
      cwd,
      signal: options.signal,
      onRead: options.onStatusRead,
      tty: options.terminal === undefined && process.stdout.isTTY === true
    })
  if (!spec.run || !ACTION_DOCS[command]) {
    terminal.stderr(`slipway: '${command}' is not available in this build yet\n`)
    return EXIT.usage
  }

  const json = globals.json === 'true'
  const stdout: string[] = []
  // The source is filled in below, once the config file and the token are known.
  let source: InputSource = () => undefined
  const ctx = cliContext(name => source(name), terminal, { quiet: globals.quiet === 'true' })
  let heartbeat: NodeJS.Timeout | undefined
  let code: number = EXIT.ok
  let failure: string | undefined
  // After the error line: what to do (a UserError's hint), or a bug's stack and where to report it.
  let explanation: string[] = []
  try {
    // The CLI's start is not what a job waits for: every parser a parse (or the config file
    // read just below) may need, always.
    await preloadParsers(PARSER_NAMES)
    // ---- inputs: flags, then the config file's section, then nothing ----------------------
    const sources: InputSource[] = [name => parsed.inputs[name]]
    if (globals.config) {
      const file = resolve(cwd, globals.config)
      // Only rollback and the pipeline take the Slipway config file as an input (preflight's
      // deprecated `config-file` names the app's config, not this file).
      if (READS_CONFIG_FILE.has(command)) {
        // rollback and pipeline read the file themselves (all stages, per environment).
        sources.push(name => (name === 'config-file' ? file : undefined))
      } else if (spec.stage) {
        const config = loadConfigFile(file, buildConfigSchema(ACTION_DOCS as never), 'config')
        sources.push(sectionInputs(stageSection(config, globals.environment, spec.stage)))
      }
    }
    if (globals.environment && ACTION_DOCS[command].inputs.environment)
      sources.unshift(name => (name === 'environment' ? globals.environment : undefined))

    // ---- GitHub, or the local ledger -------------------------------------------------------
    const progress = { info: ctx.info, warning: ctx.warning }
    const connection = await connect(globals, env, cwd, progress)
    if (connection.ledgerPath)
      ctx.info(`No GitHub token: using the local ledger ${connection.ledgerPath}`)
    else ctx.secret(connection.token)
    sources.push(name =>
      name === 'token' || name === 'github-token' ? connection.token : undefined
    )
    source = layeredInputs(...sources)

    // ---- run, with a heartbeat on long steps -----------------------------------------------
    const started = Date.now()
    if (globals.quiet !== 'true')
      heartbeat = setInterval(() => {
        terminal.stderr(
          `… slipway ${command} still running (${Math.round((Date.now() - started) / 1000)}s)\n`
        )
      }, progressInterval(env))
    heartbeat?.unref()
    await spec.run({ ctx, ...connection, variables: env })
  } catch (error) {
    code = EXIT.failed
    if (error instanceof UserError) {
      failure = ctx.redactor.redact(error.message)
      if (error.hint) explanation = [`hint: ${ctx.redactor.redact(error.hint)}`]
    } else {
      failure = `${command} failed: ${ctx.redactor.redact(errorMessage(error))}`
      const stack = error instanceof Error && error.stack ? error.stack : `thrown: ${String(error)}`
      explanation = [ctx.redactor.redact(stack), BUG_REPORT_REQUEST]
    }
  } finally {
    if (heartbeat) clearInterval(heartbeat)
  }

  const markdown = ctx.redactor.redact(ctx.summary.toString())
  if (globals['summary-file']) {
    const file = resolve(cwd, globals['summary-file'])
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, markdown)
  } else if (!json && markdown.trim()) stdout.push(markdown)
  if (json) {
    const outputs = Object.fromEntries(
      Object.entries(ctx.outputs).map(([k, v]) => [k, ctx.redactor.redact(v)])
    )
    stdout.push(
      `${JSON.stringify({ command, ok: code === EXIT.ok, exitCode: code, outputs, ...(failure ? { error: failure } : {}) }, null, 2)}\n`
    )
  } else if (Object.keys(ctx.outputs).length > 0 && !globals.quiet) {
    const short = Object.entries(ctx.outputs).filter(
      ([, v]) => v.length <= 120 && !v.includes('\n')
    )
    if (short.length > 0)
      terminal.stderr(
        `outputs: ${short.map(([k, v]) => `${k}=${ctx.redactor.redact(v)}`).join(' ')}\n`
      )
  }
  terminal.stdout(stdout.join(''))
  if (failure) terminal.stderr([`error: ${failure}`, ...explanation, ''].join('\n'))
  return code
}

/** Every 15 s by default; SLIPWAY_PROGRESS_INTERVAL (a duration) changes it, e.g. for CI logs. */
function progressInterval(env: NodeJS.ProcessEnv): number {
  const ms = env.SLIPWAY_PROGRESS_INTERVAL
    ? parseDuration(env.SLIPWAY_PROGRESS_INTERVAL)
    : undefined
  return ms !== undefined && ms >= 100 ? ms : 15_000
}

export { GLOBAL_FLAGS }
