import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { run } from '@slipway/kit'
import type { Exec } from './channel.js'

/**
 * The machine HAProxy runs on, as far as Slipway needs it: run a fixed command (values in the
 * environment, never in the command text) and edit files. The providers' `Transport`
 * (local or SSH) has exactly this shape, so either can be passed.
 */
export interface FileHost extends Exec {
  readFile(path: string): Promise<string | undefined>
  writeFile(path: string, content: string): Promise<void>
  rename(from: string, to: string): Promise<void>
  remove(path: string): Promise<void>
}

/** This machine: commands run as `bash -c <fixed text>` with our values in the environment. */
export class LocalHost implements FileHost {
  readonly label = 'local'

  async exec(command: string, env: Record<string, string>, timeoutMs: number) {
    const result = await run('bash', ['-c', command], { env, timeoutMs })
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
    await writeFile(path, content, { mode: 0o640 })
  }

  async rename(from: string, to: string): Promise<void> {
    await rename(from, to)
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true })
  }
}
