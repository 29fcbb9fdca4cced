import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, run } from '@slipway/kit'
import { findProgram, runWithInput, startProgram, toolVersion } from '../programs.js'
import type { Connection, TableFingerprint } from '../types.js'
import type { Driver, DriverContext } from './driver.js'

/** Option-file value: quoted, with the escapes MySQL/MariaDB option files understand. */
function optionValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

const quoteIdent = (name: string): string => `\`${name.replace(/`/g, '``')}\``
const literal = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/**
 * MySQL and MariaDB through their client programs. Credentials go into a `[client]` option
 * file (0600, in a 0700 temp dir, deleted by `close`) passed as `--defaults-extra-file`:
 * MYSQL_PWD is deprecated and a `-p` argument would be visible in the process list.
 */
export function mysqlDriver(connection: Connection, context: DriverContext): Driver {
  const mariadb = connection.engine === 'mariadb'
  const client =
    (mariadb
      ? findProgram(['mariadb', 'mysql'], context.env)
      : findProgram(['mysql', 'mariadb'], context.env)) ?? 'mysql'
  const dumper =
    (mariadb
      ? findProgram(['mariadb-dump', 'mysqldump'], context.env)
      : findProgram(['mysqldump', 'mariadb-dump'], context.env)) ?? 'mysqldump'
  const database = connection.database!
  let optionDir: string | undefined
  const optionFile = (): string => {
    if (!optionDir) {
      optionDir = mkdtempSync(join(tmpdir(), 'slipway-my-')) // mkdtemp creates it 0700
      const lines = ['[client]']
      if (connection.user) lines.push(`user=${optionValue(connection.user)}`)
      if (connection.password !== undefined)
        lines.push(`password=${optionValue(connection.password)}`)
      if (connection.host) lines.push(`host=${optionValue(connection.host)}`)
      if (connection.port) lines.push(`port=${connection.port}`)
      if (connection.socket) lines.push(`socket=${optionValue(connection.socket)}`)
      if (connection.sslMode) lines.push(`ssl-mode=${optionValue(connection.sslMode)}`)
      writeFileSync(join(optionDir, 'client.cnf'), `${lines.join('\n')}\n`, { mode: 0o600 })
    }
    return join(optionDir, 'client.cnf')
  }
  // The deprecated variable must not reach the programs alongside the option file.
  const env = { MYSQL_PWD: undefined }
  const common = {
    env,
    baseEnv: context.env,
    redactor: context.redactor,
    timeoutMs: context.timeoutMs
  }

  const sql = async (query: string, db: string | null = database): Promise<string> => {
    const result = await run(
      client,
      [
        `--defaults-extra-file=${optionFile()}`,
        '--connect-timeout=10',
        '--batch',
        '--skip-column-names',
        ...(db ? ['--database', db] : []),
        '-e',
        query
      ],
      {
        ...common,
        maxOutputBytes: 16 * 1024 * 1024
      }
    )
    if (result.exitCode !== 0)
      throw new Error(
        `${client} failed: ${result.stderr.trim().split('\n').slice(-3).join(' ') || result.exitCode}`
      )
    return result.stdout.trim()
  }

  const driver: Driver = {
    engine: connection.engine,
    connection,
    format: 'sql',
    extension: '.sql',
    async probe(options = {}) {
      try {
        return await sql('select version()', options.target ? null : database)
      } catch (error) {
        throw new InputError(
          connection.input,
          `a reachable ${mariadb ? 'MariaDB' : 'MySQL'} database`,
          `${connection.display} (${(error as Error).message})`
        )
      }
    },
    async tools() {
      return {
        [dumper]: await toolVersion(dumper, undefined, context.env),
        [client]: await toolVersion(client, undefined, context.env)
      }
    },
    plan: () => [
      `${dumper} --defaults-extra-file=<0600 temp file> --single-transaction --quick --routines --triggers --hex-blob --no-tablespaces ${database}`
    ],
    async dump() {
      const args = [
        `--defaults-extra-file=${optionFile()}`,
        '--single-transaction', // a consistent InnoDB snapshot without locking writers
        '--quick',
        '--routines',
        '--triggers',
        '--hex-blob',
        '--no-tablespaces',
        '--default-character-set=utf8mb4',
        database
      ]
      const program = startProgram(dumper, args, { ...common, label: dumper })
      program.stdin.end()
      return {
        stream: program.stdout,
        pipe: true,
        done: program.done,
        cleanup: async () => undefined
      }
    },
    async isEmpty() {
      const count = await sql(
        `select count(*) from information_schema.tables where table_schema = ${literal(database)}`,
        null
      )
      return count === '0'
    },
    async restore(input, { clean }) {
      await sql(`create database if not exists ${quoteIdent(database)}`, null)
      if (clean) {
        // The dump drops and recreates its own tables; tables it does not contain are left alone.
        context.log(`clean: tables in the backup replace those in ${database}`)
      }
      await runWithInput(
        client,
        [`--defaults-extra-file=${optionFile()}`, '--batch', '--database', database],
        { ...common, label: client },
        input
      )
    },
    async fingerprint() {
      const tables = (
        await sql(
          `select table_name from information_schema.tables where table_schema = ${literal(database)} and table_type = 'BASE TABLE' order by 1`
        )
      )
        .split('\n')
        .filter(Boolean)
      if (tables.length === 0) return []
      const counts = new Map<string, number>()
      const countQuery = tables
        .map(table => `select ${literal(table)}, count(*) from ${quoteIdent(table)}`)
        .join(' union all ')
      for (const line of (await sql(countQuery)).split('\n').filter(Boolean)) {
        const [name, n] = line.split('\t')
        counts.set(name, Number(n))
      }
      const sums = new Map<string, string>()
      for (const line of (await sql(`checksum table ${tables.map(quoteIdent).join(', ')} extended`))
        .split('\n')
        .filter(Boolean)) {
        const [qualified, sum] = line.split('\t')
        sums.set(qualified.slice(qualified.indexOf('.') + 1), sum)
      }
      return tables.map(
        name =>
          ({
            name,
            rows: counts.get(name) ?? -1,
            checksum: sums.get(name) ?? 'missing'
          }) satisfies TableFingerprint
      )
    },
    async scratch() {
      const name = `slipway_verify_${randomBytes(5).toString('hex')}`
      await sql(`create database ${quoteIdent(name)}`, null)
      const scratchDriver = mysqlDriver(
        {
          ...connection,
          database: name,
          display: connection.display.replace(/\/[^/]*$/, `/${name}`)
        },
        context
      )
      return {
        driver: scratchDriver,
        drop: async () => {
          try {
            await sql(`drop database if exists ${quoteIdent(name)}`, null)
          } finally {
            await scratchDriver.close()
          }
        }
      }
    },
    async close() {
      if (optionDir) rmSync(optionDir, { recursive: true, force: true })
      optionDir = undefined
    }
  }
  return driver
}
