import { readFileSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile, copyFile, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { run } from '@slipway/kit'
import type { Redactor } from '@slipway/kit'

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

export class LocalTransport implements Transport {
  readonly label = 'local'

  constructor(private readonly redactor?: Redactor) {}

  async exec(command: string, env: Record<string, string>, timeoutMs: number): Promise<ExecResult> {
    const result = await run('bash', ['-c', command], { env, timeoutMs, redactor: this.redactor })
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut: result.timedOut
    }
  }

  async readFile(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  async writeFile(path: string, content: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, content)
  }

  async putFile(localPath: string, remotePath: string): Promise<void> {
    await mkdir(dirname(remotePath), { recursive: true })
    await copyFile(localPath, remotePath)
  }

  async rename(from: string, to: string): Promise<void> {
    await rename(from, to)
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true })
  }

  async close(): Promise<void> {}
}

/** Reads a local file or returns undefined (for optional key files). */
export function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}
