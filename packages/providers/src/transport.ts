import { readFileSync } from 'node:fs'
import { LocalHost, type Redactor } from '@slipway/kit'

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
 * This machine: the kit's LocalHost, whose commands here are the user's hooks (the job's own
 * environment plus our `SLIPWAY_*` values; never our inputs or the runner's tokens).
 */
export class LocalTransport extends LocalHost implements Transport {
  constructor(redactor?: Redactor) {
    super(redactor, { userHooks: true })
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
