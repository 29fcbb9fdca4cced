import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { UserError } from '@slipway/kit'
import type { Transport } from '../transport.js'

// node:fs/promises is loaded when env files are written, not with the module: a start that stops
// at an input error writes none.
const fs = () => process.getBuiltinModule('node:fs/promises')

export interface EnvFiles {
  /** The user's env file on this machine (KEY=VALUE lines). */
  envFile?: string
  /** Secret KEY=VALUE pairs: written 0600, used by one `docker run`, removed. */
  secretEnv?: Record<string, string>
  /** RUNNER_TEMP, else the OS temp dir. */
  tempDir?: string
}

/** `docker run --env-file` text: one KEY=VALUE per line (values were checked to be one line). */
export function renderEnvFile(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')
    .concat('\n')
}

const MAKE_PRIVATE_DIR = 'umask 077 && mktemp -d'
const REMOVE_DIR = 'rm -rf -- "$SLIPWAY_DIR"'

/**
 * Runs `work` with the paths of the env files as the Docker host sees them. Secret values never
 * reach an argument list: they sit in a 0600 file in a private (0700) directory, on this machine
 * and, for an SSH host, in a `mktemp -d` directory there, and both are removed when `work` ends,
 * whether it succeeded or not.
 */
export async function withEnvFiles<T>(
  transport: Transport,
  local: boolean,
  files: EnvFiles,
  work: (paths: string[]) => Promise<T>
): Promise<T> {
  const secret =
    files.secretEnv && Object.keys(files.secretEnv).length > 0 ? files.secretEnv : undefined
  if (!files.envFile && !secret) return work([])
  const localDir = secret
    ? await fs().mkdtemp(join(files.tempDir ?? tmpdir(), 'slipway-env-'))
    : undefined
  let remoteDir: string | undefined
  try {
    const localPaths: string[] = []
    if (files.envFile) localPaths.push(files.envFile)
    if (secret) {
      const path = join(localDir!, 'secret.env')
      await fs().writeFile(path, renderEnvFile(secret), { mode: 0o600 })
      localPaths.push(path)
    }
    if (local) return await work(localPaths)
    const made = await transport.exec(MAKE_PRIVATE_DIR, {}, 30_000)
    if (made.exitCode !== 0 || !made.stdout.trim().startsWith('/'))
      throw new UserError(
        `${transport.label}: cannot create a private directory for the env files: ${made.stderr.trim()}`,
        `check that the login on ${transport.label} can create a private directory with mktemp (rights and free space in its temporary directory).`
      )
    remoteDir = made.stdout.trim()
    const remotePaths: string[] = []
    for (const [index, path] of localPaths.entries()) {
      const remote = `${remoteDir}/${index}-${basename(path).replace(/[^A-Za-z0-9._-]/g, '_')}`
      await transport.putFile(path, remote)
      remotePaths.push(remote)
    }
    return await work(remotePaths)
  } finally {
    if (remoteDir)
      await transport.exec(REMOVE_DIR, { SLIPWAY_DIR: remoteDir }, 30_000).catch(() => undefined)
    if (localDir) await fs().rm(localDir, { recursive: true, force: true })
  }
}
