import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { Duplex, PassThrough, type Readable, type Writable } from 'node:stream'
import {
  installSignalHandlers,
  spawnEnvironment,
  Redactor,
  run,
  trackChild,
  UserError
} from '@slipway/kit'
import { settleAll } from './context.js'

/**
 * A client program streaming through pipes (never a shell). `done` settles when it exits:
 * it rejects with the redacted tail of stderr unless the exit code is 0.
 */
export interface Program {
  stdin: Writable
  stdout: Readable
  done: Promise<void>
  kill(): void
  /** Set when the program has exited: whether it failed. */
  readonly failed: boolean | undefined
  /** The first bytes the program wrote to stderr (a banner, say), kept whatever follows. */
  readonly stderrStart: string
}

export interface ProgramOptions {
  env?: Record<string, string | undefined>
  baseEnv?: NodeJS.ProcessEnv
  redactor?: Redactor
  timeoutMs?: number
  cwd?: string
  /** Name used in error messages (defaults to the command). */
  label?: string
  /** Another program's stdout pipe to read from directly (no copy through Node). */
  stdinFrom?: Readable
}

export function startProgram(
  command: string,
  args: string[],
  options: ProgramOptions = {}
): Program {
  const redactor = options.redactor ?? new Redactor()
  const label = options.label ?? command
  // Tracked: a cancelled action (SIGINT/SIGTERM) stops it instead of leaving it running.
  installSignalHandlers()
  const child = trackChild(
    spawn(command, args, {
      cwd: options.cwd,
      env: spawnEnvironment(options.env, options.baseEnv),
      stdio: [options.stdinFrom ?? 'pipe', 'pipe', 'pipe'],
      shell: false
    })
  ) as unknown as ChildProcessByStdio<Writable | null, Readable, Readable>
  // The child holds its own copy of the pipe now; closing ours keeps Node from reading it.
  options.stdinFrom?.destroy()
  let stderr = ''
  let stderrStart = ''
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8')
    if (stderrStart.length < 1000) stderrStart += text.slice(0, 1000)
    stderr = (stderr + text).slice(-4000)
  })
  // A program that exits early closes its stdin; the resulting EPIPE is reported through `done`.
  child.stdin?.on('error', () => undefined)
  let timedOut = false
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true
          child.kill('SIGTERM')
          setTimeout(() => child.kill('SIGKILL'), 2000).unref()
        }, options.timeoutMs)
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', error => {
      if (timer) clearTimeout(timer)
      const message = `${label} could not start: ${redactor.redact(error.message)}`
      // A program missing from PATH is the runner's setup, which the user controls.
      reject(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new UserError(message, `install ${command} on the runner, or put it on PATH`)
          : new Error(message)
      )
    })
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      if (code === 0) return resolve()
      const how = timedOut
        ? `timed out after ${options.timeoutMs}ms`
        : code === null
          ? `was killed (${signal})`
          : `exited with code ${code}`
      const detail = redactor.redact(stderr.trim().split('\n').slice(-5).join('\n'))
      reject(new Error(`${label} ${how}${detail ? `: ${detail}` : ''}`))
    })
  })
  let failed: boolean | undefined
  done.then(
    () => (failed = false),
    () => (failed = true)
  )
  return {
    stdin: child.stdin ?? new PassThrough(),
    stdout: child.stdout,
    done,
    kill: () => child.kill('SIGTERM'),
    get failed() {
      return failed
    },
    get stderrStart() {
      return stderrStart
    }
  }
}

/** A program as a pipeline stage (zstd): bytes in on stdin, out on stdout; `done` reports its exit. */
export function programStage(
  command: string,
  args: string[],
  options: ProgramOptions = {}
): { stream: Duplex; done: Promise<void> } {
  const program = startProgram(command, args, options)
  const stream = Duplex.from({ writable: program.stdin, readable: program.stdout })
  return { stream, done: program.done }
}

/** The first of `names` found on PATH, or undefined. */
export function findProgram(
  names: string[],
  env: NodeJS.ProcessEnv = process.env
): string | undefined {
  return names.find(name => programPath(name, env.PATH) !== undefined)
}

/** Where `name` is found on `path` (a PATH value): the first executable file of that name. */
export function programPath(name: string, path = ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK)
      return join(dir, name)
    } catch {
      // not here
    }
  }
  return undefined
}

const versions = new Map<string, Promise<string>>()

/** `<program> --version`, first line, cached (e.g. `pg_dump (PostgreSQL) 15.10`). */
export function toolVersion(
  program: string,
  args = ['--version'],
  env: NodeJS.ProcessEnv = process.env
): Promise<string> {
  const key = `${env.PATH} ${program} ${args.join(' ')}`
  let found = versions.get(key)
  if (!found) {
    found = run(program, args, {
      timeoutMs: 10_000,
      baseEnv: env,
      // A version query needs no credentials.
      env: { PGPASSWORD: undefined, MYSQL_PWD: undefined }
    }).then(result =>
      result.exitCode === 0
        ? (result.stdout || result.stderr)
            .trim()
            .split('\n')[0]
            .replace(/^\*+\s*|\s*\*+$/g, '')
        : 'unknown'
    )
    versions.set(key, found)
  }
  return found
}

/**
 * Waits for a feeding pipeline and the program it feeds. If either fails the program is
 * stopped, and the program's own error (which explains more) wins.
 */
export async function settle(
  feeding: Promise<void>,
  done: Promise<void>,
  kill: () => void
): Promise<void> {
  const [fed, exited] = await Promise.allSettled([
    feeding.catch(error => (kill(), Promise.reject(error))),
    done
  ])
  if (
    fed.status === 'rejected' &&
    exited.status === 'rejected' &&
    !/EPIPE|premature close/i.test(String(fed.reason))
  ) {
    throw fed.reason
  }
  if (exited.status === 'rejected') throw exited.reason
  if (fed.status === 'rejected') throw fed.reason
}

/**
 * Writes a stream into a program's stdin with backpressure. A program may stop reading
 * before the end (tar leaves the archive's zero padding unread) and still succeed: the rest
 * is then read and discarded, so the decoding upstream completes and its checks run. If the
 * program failed, feeding stops at once.
 */
export async function feed(input: Readable, program: Program): Promise<void> {
  const stdin = program.stdin
  let closed = false
  stdin.on('close', () => (closed = true))
  for await (const chunk of input) {
    if (closed || stdin.destroyed || stdin.writableEnded) {
      if (program.failed === undefined)
        await Promise.race([program.done.catch(() => undefined), delay(5000)])
      if (program.failed) throw new Error('the program stopped reading its input')
      continue
    }
    if (!stdin.write(chunk)) {
      await new Promise<void>(resolve => {
        const done = (): void => {
          stdin.off('drain', done)
          stdin.off('close', done)
          resolve()
        }
        stdin.on('drain', done)
        stdin.on('close', done)
      })
    }
  }
  if (!closed && !stdin.destroyed) stdin.end()
}

const delay = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms).unref())

/** Starts a producing program and returns its stdout pipe and exit. */
export type PipeSource = () => { stream: Readable; done: Promise<void> }

/**
 * Runs a program that reads `input` on stdin. A PipeSource is started here and its stdout
 * pipe handed to this program (spawned in the same tick, so Node never reads from it); a
 * stream is fed by Node with backpressure. The producer's failure is reported first.
 */
export async function runWithInput(
  command: string,
  args: string[],
  options: ProgramOptions,
  input: Readable | PipeSource
): Promise<void> {
  if (typeof input === 'function') {
    const producer = input()
    const consumer = startProgram(command, args, { ...options, stdinFrom: producer.stream })
    return settleAll([producer.done, consumer.done])
  }
  const program = startProgram(command, args, options)
  await settle(feed(input, program), program.done, program.kill)
}
