import { readdirSync, realpathSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { spawnEnvironment } from '@slipway/kit'
import { programPath } from '../programs.js'

/** A PostgreSQL client program to start: its path, and what its environment gains. */
export interface PgProgram {
  command: string
  env: Record<string, string>
}

/** Where Debian and Ubuntu install each PostgreSQL version's programs (PgCommon's binroot). */
export const PG_BINROOT = '/usr/lib/postgresql'

/**
 * Debian and Ubuntu (GitHub's runners included) install `pg_dump`, `pg_restore` and `psql` as
 * links to `pg_wrapper`, a Perl script that picks a PostgreSQL version and execs
 * `/usr/lib/postgresql/<version>/bin/<program>`. Starting Perl costs more than the rest of a
 * backup's start (about 40 ms beside a running dump, bench/results/backup.md), once per call.
 *
 * With PGHOST in the environment (the driver sets it whenever the URL names a host or a socket)
 * the wrapper ignores PGCLUSTER and the user's cluster map and always takes the newest
 * installed version that has the program, with PGSYSCONFDIR defaulting to
 * /etc/postgresql-common (pg_wrapper(1)). That choice is made here and the program started
 * directly. Anything else — no PGHOST, a `program` on PATH that is not the wrapper, no version
 * with the program — starts `program` as PATH finds it, the wrapper deciding as before.
 */
export function resolvePgProgram(
  program: string,
  env: Record<string, string | undefined>,
  binroot = PG_BINROOT
): PgProgram {
  const asIs = { command: program, env: {} }
  if (env.PGHOST === undefined || !isWrapper(programPath(program, env.PATH))) return asIs
  const newest = newestVersionWith(program, binroot)
  if (!newest) return asIs
  return {
    command: join(binroot, newest, 'bin', program),
    env: env.PGSYSCONFDIR === undefined ? { PGSYSCONFDIR: '/etc/postgresql-common' } : {}
  }
}

function isWrapper(path: string | undefined): boolean {
  if (!path) return false
  try {
    const target = realpathSync(path)
    return basename(target) === 'pg_wrapper' && basename(dirname(target)) === 'postgresql-common'
  } catch {
    return false
  }
}

/** PgCommon's get_newest_version: version directories as it names them, compared as numbers. */
function newestVersionWith(program: string, binroot: string): string | undefined {
  let entries: string[]
  try {
    entries = readdirSync(binroot)
  } catch {
    return undefined
  }
  return entries
    .filter(
      entry =>
        /^\d+\.?\d+$/.test(entry) && programPath(program, join(binroot, entry, 'bin')) !== undefined
    )
    .sort((a, b) => Number(a) - Number(b))
    .pop()
}

/**
 * How to start PostgreSQL client `name` with `env` over `baseEnv` (the way `run` and
 * `startProgram` merge them): past pg_wrapper where `resolvePgProgram` allows, `env` gaining
 * what the wrapper would have set.
 */
export function pgClient(
  name: string,
  env: Record<string, string | undefined>,
  baseEnv?: NodeJS.ProcessEnv
): { command: string; env: Record<string, string | undefined> } {
  const resolved = resolvePgProgram(name, spawnEnvironment(env, baseEnv))
  return { command: resolved.command, env: { ...env, ...resolved.env } }
}
