import { spawnEnvironment } from './child-env.js'
import { UserError } from './errors.js'
import { installSignalHandlers, signalChild, trackChild } from './children.js'
import { Redactor } from './redact.js'

export interface RunOptions {
  cwd?: string
  /**
   * Extra variables, merged over a minimal environment (`childEnvironment`: PATH, HOME, locale,
   * certificates, proxies; never our inputs or the runner's tokens), or over `baseEnv`.
   */
  env?: Record<string, string | undefined>
  /** The whole starting environment instead of the minimal one; the runner's private variables are removed from it all the same. */
  baseEnv?: NodeJS.ProcessEnv
  /** Kill the program (SIGTERM, then SIGKILL after 2s) when it runs longer. */
  timeoutMs?: number
  /** Bytes written to the program's standard input. */
  input?: string | Buffer
  /** Secrets removed from the captured output and from error messages. */
  redactor?: Redactor
  /** Cap on captured output per stream; the tail is kept. */
  maxOutputBytes?: number
}

export interface RunResult {
  command: string
  args: string[]
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut: boolean
  durationMs: number
  /** Why the program could not be started (`ENOENT`: it is not installed or not on PATH). */
  spawnErrorCode?: string
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: RunResult
  ) {
    super(message)
    this.name = 'CommandError'
  }
}

/** The program is not on this machine: the user installs it (a setup step of the job). */
export class MissingProgramError extends UserError {
  constructor(
    message: string,
    readonly result: RunResult
  ) {
    super(
      message,
      `install \`${result.command}\` on the runner (a setup step of the job), or put it on the PATH.`
    )
    this.name = 'MissingProgramError'
  }
}

/**
 * bash's arguments for a user's script (`bash ...scriptArgs(script)`); our values reach it only
 * through the environment. `--norc`: Node gives a child sockets for its standard streams, and
 * bash then reads ~/.bashrc as if sshd had started it, so a slow or noisy profile of the
 * machine would run inside every hook.
 */
export function scriptArgs(script: string): string[] {
  return ['--norc', '-c', script]
}

/**
 * Runs a program with an argument array — never through a shell, so no input can be
 * interpreted as shell syntax. Always resolves; use `runChecked` to throw on failure.
 */
export function run(
  command: string,
  args: string[] = [],
  options: RunOptions = {}
): Promise<RunResult> {
  const started = Date.now()
  const redactor = options.redactor ?? new Redactor()
  const max = options.maxOutputBytes ?? 1024 * 1024
  installSignalHandlers()
  return new Promise(resolve => {
    // Tracked, so a cancelled action stops it instead of leaving it running. Its own process
    // group, so a timeout or a cancel stops what it started too: a hook's children would
    // otherwise keep running and hold its output open past the deadline.
    // node:child_process (with net and dgram behind it) is loaded by the first run, not by
    // every module that may run a program: an input error starts none.
    const { spawn } = process.getBuiltinModule('node:child_process')
    const child = trackChild(
      spawn(command, args, {
        cwd: options.cwd,
        env: spawnEnvironment(options.env, options.baseEnv),
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        detached: true
      }),
      { processGroup: true }
    )
    const stdout = new TailBuffer(max)
    const stderr = new TailBuffer(max)
    let timedOut = false
    let killTimer: NodeJS.Timeout | undefined
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true
            signalChild(child, 'SIGTERM')
            killTimer = setTimeout(() => signalChild(child, 'SIGKILL'), 2000)
          }, options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.stdin.on('error', () => undefined) // a program that exits without reading its input
    child.stdin.end(options.input ?? '')
    const finish = (
      exitCode: number | null,
      signal: NodeJS.Signals | null,
      spawnError?: Error
    ): void => {
      if (timer) clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      resolve({
        command,
        args,
        exitCode,
        signal,
        stdout: redactor.redact(stdout.text()),
        stderr: redactor.redact(
          spawnError ? `${stderr.text()}${spawnError.message}` : stderr.text()
        ),
        timedOut,
        durationMs: Date.now() - started,
        ...(spawnError ? { spawnErrorCode: (spawnError as NodeJS.ErrnoException).code } : {})
      })
    }
    child.on('error', error => finish(null, null, error))
    child.on('close', (code, signal) => finish(code, signal))
  })
}

/** Runs a program and throws a CommandError (with the redacted tail of stderr) unless it exits 0. */
export async function runChecked(
  command: string,
  args: string[] = [],
  options: RunOptions = {}
): Promise<RunResult> {
  const result = await run(command, args, options)
  if (result.exitCode === 0) return result
  if (result.spawnErrorCode === 'ENOENT')
    throw new MissingProgramError(describeFailure(result), result)
  throw new CommandError(describeFailure(result), result)
}

export function describeFailure(result: RunResult): string {
  const how = result.timedOut
    ? 'timed out'
    : result.exitCode === null
      ? `failed (${lastLine(result.stderr) || result.signal || 'could not start'})`
      : `exited with code ${result.exitCode}`
  const detail = lastLines(result.stderr || result.stdout, 5)
  return `${result.command} ${how}${detail ? `: ${detail}` : ''}`
}

function lastLine(text: string): string {
  return lastLines(text, 1)
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n')
}

/** Keeps the last `max` bytes of a stream: the end of a failing program's output is what explains it. */
class TailBuffer {
  private chunks: Buffer[] = []
  private size = 0

  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.max && this.chunks.length > 1) this.size -= this.chunks.shift()!.length
  }

  text(): string {
    const all = Buffer.concat(this.chunks)
    return all.subarray(Math.max(0, all.length - this.max)).toString('utf8')
  }
}
