import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describeFailure, run } from '@slipway/kit'
import { privateTempDir } from '../context.js'
import { pgClient } from '../engines/pg-wrapper.js'
import type { DriverContext } from '../engines/index.js'
import { findProgram } from '../programs.js'
import type { Connection } from '../types.js'

/** Field and record separators no catalog value holds: rows split without guessing at escapes. */
const FIELD = '\x1f'
const RECORD = '\x1e'

/**
 * Catalog queries and scratch-database housekeeping for one server, through the engines'
 * client programs (argument arrays, never a shell). Every call is self-contained — its own
 * credentials file for MySQL/MariaDB — so a cleanup running during a cancellation can still
 * drop the scratch database after the other temporary files are gone.
 */
export interface CatalogClient {
  /** Rows of a query, each a list of fields (NULL as null). */
  rows(sql: string, database?: string): Promise<(string | null)[][]>
  /** Runs statements whose output does not matter. */
  exec(sql: string, database?: string): Promise<void>
}

export function catalogClient(connection: Connection, context: DriverContext): CatalogClient {
  switch (connection.engine) {
    case 'postgres':
      return postgresClient(connection, context)
    case 'mysql':
    case 'mariadb':
      return mysqlClient(connection, context)
    case 'sqlite':
      return sqliteClient(connection, context)
    case 'files':
      throw new Error('a files backup holds no database to rehearse a migration on')
  }
}

const split = (output: string, nullMark: string): (string | null)[][] =>
  output
    .replace(/\n$/, '')
    .split(RECORD)
    .filter(record => record !== '')
    .map(record => record.split(FIELD).map(field => (field === nullMark ? null : field)))

/** A NULL as psql and sqlite3 print it: a marker no catalog value equals. */
const NULL_MARK = '\x07NULL\x07'

/** libpq settings as environment variables: the password never appears in argv. */
export function libpqEnv(connection: Connection, database?: string): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PGHOST: connection.socket ?? connection.host,
    PGPORT: connection.port ? String(connection.port) : undefined,
    PGUSER: connection.user,
    PGPASSWORD: connection.password,
    PGDATABASE: database ?? connection.database,
    PGSSLMODE: connection.sslMode,
    PGCONNECT_TIMEOUT: '10'
  }
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >
}

function postgresClient(connection: Connection, context: DriverContext): CatalogClient {
  const psql = async (sql: string, database?: string): Promise<string> => {
    const { command, env } = pgClient(
      'psql',
      { ...libpqEnv(connection, database), PGAPPNAME: 'slipway-rehearsal' },
      context.env
    )
    const result = await run(
      command,
      [
        '-X',
        '-A',
        '-t',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-P',
        `null=${NULL_MARK}`,
        '-F',
        FIELD,
        '-R',
        RECORD,
        '-c',
        sql
      ],
      {
        env,
        baseEnv: context.env,
        redactor: context.redactor,
        timeoutMs: context.timeoutMs,
        maxOutputBytes: 64 * 1024 * 1024
      }
    )
    if (result.exitCode !== 0) throw new Error(describeFailure({ ...result, command: 'psql' }))
    return result.stdout
  }
  return {
    rows: async (sql, database) => split(await psql(sql, database), NULL_MARK),
    exec: async (sql, database) => void (await psql(sql, database))
  }
}

function sqliteClient(connection: Connection, context: DriverContext): CatalogClient {
  const sqlite = async (sql: string, path = connection.path!): Promise<string> => {
    const result = await run(
      'sqlite3',
      [
        '-bail',
        '-batch',
        '-list',
        '-nullvalue',
        NULL_MARK,
        '-separator',
        FIELD,
        '-newline',
        RECORD,
        '-cmd',
        '.timeout 10000',
        path,
        sql
      ],
      {
        baseEnv: context.env,
        redactor: context.redactor,
        timeoutMs: context.timeoutMs,
        maxOutputBytes: 64 * 1024 * 1024
      }
    )
    if (result.exitCode !== 0) throw new Error(describeFailure(result))
    return result.stdout
  }
  return {
    rows: async (sql, path) => split(await sqlite(sql, path), NULL_MARK),
    exec: async (sql, path) => void (await sqlite(sql, path))
  }
}

/** Option-file value: quoted, with the escapes MySQL/MariaDB option files understand. */
const optionValue = (value: string): string =>
  `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`

/** The `[client]` option file a MySQL/MariaDB program reads the connection from (0600). */
export function writeOptionFile(connection: Connection, dir: string, database?: string): string {
  const lines = ['[client]']
  if (connection.user) lines.push(`user=${optionValue(connection.user)}`)
  if (connection.password !== undefined) lines.push(`password=${optionValue(connection.password)}`)
  if (connection.host) lines.push(`host=${optionValue(connection.host)}`)
  if (connection.port) lines.push(`port=${connection.port}`)
  if (connection.socket) lines.push(`socket=${optionValue(connection.socket)}`)
  if (connection.sslMode) lines.push(`ssl-mode=${optionValue(connection.sslMode)}`)
  if (database) lines.push(`database=${optionValue(database)}`)
  const path = join(dir, 'client.cnf')
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 })
  return path
}

/** The batch output's escapes (tabs, newlines, NULs, backslashes) undone. */
const unescapeField = (field: string): string | null =>
  field === 'NULL'
    ? null
    : field.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '0': '\0' })[c] ?? c)

function mysqlClient(connection: Connection, context: DriverContext): CatalogClient {
  const client =
    (connection.engine === 'mariadb'
      ? findProgram(['mariadb', 'mysql'], context.env)
      : findProgram(['mysql', 'mariadb'], context.env)) ?? 'mysql'
  const sql = async (query: string, database?: string): Promise<string> => {
    // Removed when the program exits, or at process exit — not by a cancellation's cleanups,
    // one of which may be this very query (dropping the scratch schema).
    const dir = privateTempDir('slipway-rehearsal-my-', context.env, { untilExit: true })
    try {
      const file = writeOptionFile(connection, dir.path)
      const result = await run(
        client,
        [
          `--defaults-extra-file=${file}`,
          '--connect-timeout=10',
          '--batch',
          '--skip-column-names',
          '--default-character-set=utf8mb4',
          ...(database ? ['--database', database] : []),
          '-e',
          query
        ],
        {
          env: { MYSQL_PWD: undefined },
          baseEnv: context.env,
          redactor: context.redactor,
          timeoutMs: context.timeoutMs,
          maxOutputBytes: 64 * 1024 * 1024
        }
      )
      if (result.exitCode !== 0) throw new Error(describeFailure(result))
      return result.stdout
    } finally {
      dir.remove()
    }
  }
  return {
    rows: async (query, database) =>
      (await sql(query, database))
        .split('\n')
        .filter(line => line !== '')
        .map(line => line.split('\t').map(unescapeField)),
    exec: async (query, database) => void (await sql(query, database))
  }
}
