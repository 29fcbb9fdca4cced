import { join } from 'node:path'
import { onCleanup } from '@slipway/kit'
import { privateTempDir } from '../context.js'
import type { DriverContext } from '../engines/index.js'
import type { Connection } from '../types.js'
import { catalogClient, libpqEnv } from './client.js'

/** A scratch database the rehearsal restores into, and how the migration reaches it. */
export interface ScratchDatabase {
  connection: Connection
  /** The database name (PostgreSQL, MySQL) or the file (SQLite) that catalog queries take. */
  database: string
  /** A URL with the credentials, for the migration only (the redactor knows the password). */
  url: string
  /** Variables the migration gets besides the URL (libpq's, the SQLite path). */
  env: Record<string, string>
  /** Removes it; runs once however often it is called (the normal path or a cancellation). */
  drop(): Promise<void>
}

const pgIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`
const myIdent = (name: string): string => `\`${name.replace(/`/g, '``')}\``

/**
 * Creates an empty scratch database beside the production one — a new database on the same
 * PostgreSQL server, a schema on the same MySQL/MariaDB server, a file in a private temp
 * directory for SQLite — and registers its removal with the kit's cleanups, so a cancelled
 * run drops it too.
 */
export async function createScratch(
  production: Connection,
  context: DriverContext
): Promise<ScratchDatabase> {
  const name = `slipway_rehearsal_${process.getBuiltinModule('node:crypto').randomBytes(5).toString('hex')}`
  if (production.engine === 'sqlite') {
    const dir = privateTempDir('slipway-rehearsal-', context.env)
    const path = join(dir.path, 'scratch.sqlite')
    return {
      connection: { ...production, path, display: `sqlite://${path}`, input: 'scratch' },
      database: path,
      url: `sqlite://${path}`,
      env: { SLIPWAY_DATABASE_PATH: path },
      drop: async () => dir.remove()
    }
  }
  const client = catalogClient(production, context)
  const postgres = production.engine === 'postgres'
  await client.exec(
    postgres ? `create database ${pgIdent(name)}` : `create database ${myIdent(name)}`
  )
  let dropping: Promise<void> | undefined
  let forget = (): void => undefined
  const drop = (): Promise<void> =>
    (dropping ??= client
      .exec(
        postgres
          ? `drop database if exists ${pgIdent(name)} with (force)`
          : `drop database if exists ${myIdent(name)}`
      )
      .finally(() => forget()))
  forget = onCleanup(drop)
  const connection: Connection = {
    ...production,
    database: name,
    display: production.display.replace(/\/[^/]*$/, `/${name}`),
    input: 'scratch'
  }
  return {
    connection,
    database: name,
    url: serverUrl(connection),
    env: postgres ? libpqEnv(connection) : {},
    drop
  }
}

/** `scheme://user:password@host:port/database`, with the socket and TLS mode the connection has. */
function serverUrl(connection: Connection): string {
  const scheme = connection.engine === 'postgres' ? 'postgres' : connection.engine
  const auth = connection.user
    ? `${encodeURIComponent(connection.user)}${connection.password !== undefined ? `:${encodeURIComponent(connection.password)}` : ''}@`
    : ''
  const host = connection.host
    ? `${connection.host.includes(':') ? `[${connection.host}]` : connection.host}${connection.port ? `:${connection.port}` : ''}`
    : ''
  const query = new URLSearchParams()
  if (connection.socket)
    query.set(connection.engine === 'postgres' ? 'host' : 'socket', connection.socket)
  if (connection.sslMode)
    query.set(connection.engine === 'postgres' ? 'sslmode' : 'ssl-mode', connection.sslMode)
  const search = query.size ? `?${query.toString()}` : ''
  return `${scheme}://${auth}${host}/${encodeURIComponent(connection.database!)}${search}`
}
