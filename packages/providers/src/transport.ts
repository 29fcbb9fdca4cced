import { readFileSync } from 'node:fs'
import { hookEnvironment, LocalHost, run, scriptArgs, type Redactor } from '@slipway/kit'

export interface ExecResult {
  exitCode: number | null
  stdout: string
  stderr: string
  timedOut: boolean
}

/**
 * Where hook commands run and files are written: this machine, or a host over SSH.
 * Every command is a user hook or a fixed command of ours, run by `bash -c`; our values
 * travel only as environment variables, so no value is ever parsed as shell syntax.
 */
export interface Transport {
  /** `local` or `user@host:port`, for messages. */
  readonly label: string
  exec(command: string, env: Record<string, string>, timeoutMs: number): Promise<ExecResult>
  readFile(path: string): Promise<string | undefined>
  /** Writes a file (creating parent directories). */
  writeFile(path: string, content: string): Promise<void>
  /** Copies a local file to `remotePath` on the transport's host. */
  putFile(localPath: string, remotePath: string): Promise<void>
  /** Atomic rename within one file system. */
  rename(from: string, to: string): Promise<void>
  remove(path: string): Promise<void>
  close(): Promise<void>
}

/**
 * This machine: the kit's LocalHost has exactly the Transport shape. Commands run here are
 * the user's hooks, so they see the job's own environment (what the workflow set with `env:`)
 * plus our `SLIPWAY_*` values — never our inputs or the runner's tokens (`hookEnvironment`).
 */
export class LocalTransport extends LocalHost implements Transport {
  constructor(private readonly outputRedactor?: Redactor) {
    super(outputRedactor)
  }

  override async exec(
    command: string,
    env: Record<string, string>,
    timeoutMs: number
  ): Promise<ExecResult> {
    const result = await run('bash', scriptArgs(command), {
      baseEnv: hookEnvironment(),
      env,
      timeoutMs,
      redactor: this.outputRedactor
    })
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut: result.timedOut
    }
  }
}

/** Reads a local file or returns undefined (for optional key files). */
export function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
