import { dirname } from 'node:path'
import { hookEnvironment } from './child-env.js'
import { fileError } from './file-errors.js'
import { run, scriptArgs, type RunResult } from './exec.js'
import type { Redactor } from './redact.js'

// node:fs/promises is loaded by the first file operation, not with the module: a start that
// stops at an input error does none.
const fs = () => process.getBuiltinModule('node:fs/promises')

/**
 * This machine, as the providers and the HAProxy router see a host: run a fixed command or
 * a user hook under `bash -c` with our values only in the environment, and edit files. The
 * SSH transport offers the same methods for a remote host. `userHooks`: the commands are the
 * user's hooks, so they see the job's own environment (what the workflow set with `env:`), never
 * our inputs or the runner's tokens (`hookEnvironment`); otherwise the minimal environment.
 */
export class LocalHost {
  readonly label = 'local'

  constructor(
    private readonly redactor?: Redactor,
    private readonly options: { userHooks?: boolean } = {}
  ) {}

  async exec(
    command: string,
    env: Record<string, string>,
    timeoutMs: number
  ): Promise<Pick<RunResult, 'exitCode' | 'stdout' | 'stderr' | 'timedOut'>> {
    const result = await run('bash', scriptArgs(command), {
      baseEnv: this.options.userHooks ? hookEnvironment() : undefined,
      env,
      timeoutMs,
      redactor: this.redactor
    })
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut: result.timedOut
    }
  }

  /** The file's text, or undefined when it does not exist. */
  async readFile(path: string): Promise<string | undefined> {
    try {
      return await fs().readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw fileError(error)
    }
  }

  /** Writes a file, creating its directory; not world-readable, as router configs may hold addresses and secrets. */
  async writeFile(path: string, content: string): Promise<void> {
    try {
      await fs().mkdir(dirname(path), { recursive: true })
      await fs().writeFile(path, content, { mode: 0o640 })
    } catch (error) {
      throw fileError(error)
    }
  }

  /** Copies a local file to `remotePath` (here: another path on this machine). */
  async putFile(localPath: string, remotePath: string): Promise<void> {
    try {
      await fs().mkdir(dirname(remotePath), { recursive: true })
      await fs().copyFile(localPath, remotePath)
    } catch (error) {
      throw fileError(error)
    }
  }

  /** Atomic within one file system. */
  async rename(from: string, to: string): Promise<void> {
    await fs()
      .rename(from, to)
      .catch((error: unknown) => {
        throw fileError(error)
      })
  }

  async remove(path: string): Promise<void> {
    await fs().rm(path, { force: true })
  }

  async close(): Promise<void> {}
}
