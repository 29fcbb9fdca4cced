import { describeFailure, InputError, run } from '@slipway/kit'
import { runWithInput, startProgram, toolVersion } from '../programs.js'
import type { Connection, TableFingerprint } from '../types.js'
import type { Driver, DriverContext } from './driver.js'
import { readArchiveHeader } from './pg-header.js'
import { pgClient } from './pg-wrapper.js'

/** libpq settings travel as environment variables: the password never appears in argv. */
function libpqEnv(
  connection: Connection,
  database = connection.database
): Record<string, string | undefined> {
  return {
    PGHOST: connection.socket ?? connection.host,
    PGPORT: connection.port ? String(connection.port) : undefined,
    PGUSER: connection.user,
    PGPASSWORD: connection.password,
    PGDATABASE: database,
    PGSSLMODE: connection.sslMode,
    PGCONNECT_TIMEOUT: '10',
    PGAPPNAME: 'slipway-backup'
  }
}

/** `dbname='…'` conninfo, so a database name containing `=` is never read as a connection string. */
function conninfo(database: string): string {
  return `dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`

export function postgresDriver(connection: Connection, context: DriverContext): Driver {
  const database = connection.database!
  const env = libpqEnv(connection)
  const common = {
    env,
    baseEnv: context.env,
    redactor: context.redactor,
    timeoutMs: context.timeoutMs
  }

  // Past Debian's and Ubuntu's Perl wrapper when it would only pick the newest version.
  const client = (name: string, clientEnv = env) => {
    const started = pgClient(name, clientEnv, context.env)
    return { command: started.command, options: { ...common, env: started.env, label: name } }
  }

  const psql = async (sql: string, db = database): Promise<string> => {
    const { command, options } = client('psql', libpqEnv(connection, db))
    const result = await run(
      command,
      ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-d', conninfo(db), '-c', sql],
      { ...options, maxOutputBytes: 16 * 1024 * 1024 }
    )
    // Named as the user knows it, whichever path started it.
    if (result.exitCode !== 0) throw new Error(describeFailure({ ...result, command: 'psql' }))
    return result.stdout.trim()
  }

  const driver: Driver = {
    engine: 'postgres',
    connection,
    format: 'pg_dump-custom',
    extension: '.dump',
    // pg_dump reads the same PG* variables and conninfo as the probe's psql.
    fromDumpHeader(head) {
      const header = readArchiveHeader(head)
      if (!header) return undefined
      const { serverVersion, dumpVersion } = header
      // The same words `pg_dump --version` prints.
      return dumpVersion
        ? { serverVersion, tools: { pg_dump: `pg_dump (PostgreSQL) ${dumpVersion}` } }
        : { serverVersion }
    },
    async probe() {
      try {
        return await psql('show server_version')
      } catch (error) {
        throw new InputError(
          connection.input,
          'a reachable PostgreSQL database',
          `${connection.display} (${(error as Error).message})`
        )
      }
    },
    async tools() {
      return { pg_dump: await toolVersion('pg_dump', undefined, context.env) }
    },
    plan: () => [
      'pg_dump --format=custom --no-password (connection through PG* environment variables)'
    ],
    async dump({ compressed }) {
      // Our pipeline compresses (zstd/gzip in parallel with pg_dump), so pg_dump's own
      // single-threaded zlib is turned off; with compression none, pg_dump compresses.
      const args = [
        '--format=custom',
        '--no-password',
        ...(compressed ? ['--compress=0'] : []),
        '-d',
        conninfo(database)
      ]
      const { command, options } = client('pg_dump')
      const program = startProgram(command, args, options)
      program.stdin.end()
      return {
        stream: program.stdout,
        pipe: true,
        done: program.done,
        cleanup: async () => undefined
      }
    },
    async isEmpty() {
      const count = await psql(
        "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r','p','v','m','S','f') and n.nspname not in ('pg_catalog','information_schema') and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'"
      )
      return count === '0'
    },
    async restore(input, { clean }) {
      // One transaction: a failed or truncated restore leaves the target as it was.
      const args = [
        '--no-password',
        '--exit-on-error',
        '--single-transaction',
        ...(clean ? ['--clean', '--if-exists'] : []),
        '-d',
        conninfo(database)
      ]
      const { command, options } = client('pg_restore')
      await runWithInput(command, args, options, input)
    },
    async fingerprint() {
      const tables = (
        await psql(
          "select format('%I.%I', schemaname, tablename) from pg_tables where schemaname not in ('pg_catalog','information_schema') order by 1"
        )
      )
        .split('\n')
        .filter(Boolean)
      if (tables.length === 0) return []
      // Order by the row's text form: independent of physical order, so a restored copy compares equal.
      const query = tables
        .map(
          table =>
            `select ${literal(table)} as name, count(*) as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as sum from ${table} t`
        )
        .join(' union all ')
      const rows = (await psql(`${query} order by 1`)).split('\n').filter(Boolean)
      return rows.map(row => {
        const [name, n, sum] = row.split('|')
        return { name, rows: Number(n), checksum: sum } satisfies TableFingerprint
      })
    },
    async scratch() {
      const name = `slipway_verify_${process.getBuiltinModule('node:crypto').randomBytes(5).toString('hex')}`
      await psql(`create database ${quoteIdent(name)}`)
      const scratchConnection: Connection = {
        ...connection,
        database: name,
        display: connection.display.replace(/\/[^/]*$/, `/${name}`)
      }
      return {
        driver: postgresDriver(scratchConnection, context),
        drop: async () => {
          await psql(`drop database if exists ${quoteIdent(name)} with (force)`)
        }
      }
    },
    close: async () => undefined
  }
  return driver
}

const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`
