import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { InputError, redactUrlPasswords } from '@slipway/kit'
import { ENGINES, type Connection, type Engine } from './types.js'

const SCHEMES: Record<string, Engine> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mariadb',
  'sqlite:': 'sqlite',
  'file:': 'sqlite'
}

/** The engine a URL names by its scheme, if any. */
export function engineFromUrl(url: string | undefined): Engine | undefined {
  if (!url) return undefined
  const match = /^([a-z][a-z0-9+.-]*:)/i.exec(url)
  return match ? SCHEMES[match[1].toLowerCase()] : undefined
}

export function checkEngine(value: string | undefined, input = 'engine'): Engine {
  if (!value || !(ENGINES as readonly string[]).includes(value))
    throw new InputError(input, `one of ${ENGINES.join(', ')}`, value)
  return value as Engine
}

export interface SourceSpec {
  engine?: string
  /** Connection URL or (sqlite) a path. Without it, the engines' environment variables are used. */
  url?: string
  /** The input name reported in errors (`database-url` by default). */
  input?: string
  /** files engine */
  paths?: string[]
  exclude?: string[]
  baseDir?: string
  /** Environment used for PG* / MYSQL_* defaults. */
  env?: NodeJS.ProcessEnv
}

/**
 * Turns a URL (or the usual environment variables) into a Connection. The password stays
 * in memory: client programs get it through PGPASSWORD or a 0600 option file, never argv.
 */
export function parseSource(spec: SourceSpec): Connection {
  const input = spec.input ?? 'database-url'
  const fromUrl = engineFromUrl(spec.url)
  const engine = spec.engine ? checkEngine(spec.engine) : fromUrl
  if (!engine) {
    throw new InputError(
      'engine',
      `one of ${ENGINES.join(', ')} (or a ${input} whose scheme names it)`,
      spec.engine
    )
  }
  const env = spec.env ?? process.env
  switch (engine) {
    case 'postgres':
      return parseServer(engine, spec.url, input, env, ['postgres:', 'postgresql:'])
    case 'mysql':
    case 'mariadb':
      return parseServer(engine, spec.url, input, env, ['mysql:', 'mariadb:'])
    case 'sqlite':
      return parseSqlite(spec.url, input)
    case 'files':
      return parseFiles(spec, input)
  }
}

function parseServer(
  engine: Engine,
  url: string | undefined,
  input: string,
  env: NodeJS.ProcessEnv,
  schemes: string[]
): Connection {
  const expected = `a URL like ${schemes[0]}//user:password@host:port/database`
  const connection: Connection = { engine, display: '', input }
  if (url) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new InputError(input, expected, redactUrlPasswords(url))
    }
    if (!schemes.includes(parsed.protocol))
      throw new InputError(input, expected, redactUrlPasswords(url))
    if (parsed.port && !/^\d+$/.test(parsed.port))
      throw new InputError(input, expected, redactUrlPasswords(url))
    connection.host = parsed.hostname
      ? decodeURIComponent(parsed.hostname).replace(/^\[|\]$/g, '')
      : undefined
    connection.port = parsed.port ? Number(parsed.port) : undefined
    connection.user = parsed.username ? decodeURIComponent(parsed.username) : undefined
    connection.password = parsed.password ? decodeURIComponent(parsed.password) : undefined
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
    connection.database = database || undefined
    const socket = parsed.searchParams.get(engine === 'postgres' ? 'host' : 'socket')
    if (socket) connection.socket = socket
    const ssl = parsed.searchParams.get(engine === 'postgres' ? 'sslmode' : 'ssl-mode')
    if (ssl) connection.sslMode = ssl
  } else if (engine === 'postgres') {
    connection.host = env.PGHOST
    connection.port = env.PGPORT ? Number(env.PGPORT) : undefined
    connection.user = env.PGUSER
    connection.password = env.PGPASSWORD
    connection.database = env.PGDATABASE
    connection.sslMode = env.PGSSLMODE
  } else {
    connection.host = env.MYSQL_HOST
    connection.port = env.MYSQL_TCP_PORT ? Number(env.MYSQL_TCP_PORT) : undefined
    connection.socket = env.MYSQL_UNIX_PORT
    connection.user = env.MYSQL_USER ?? env.USER
    // MYSQL_PWD is deprecated by MySQL; we read it but hand it over in an option file.
    connection.password = env.MYSQL_PWD ?? env.MYSQL_PASSWORD
    connection.database = env.MYSQL_DATABASE
  }
  if (!connection.database) {
    const variable = engine === 'postgres' ? 'PGDATABASE' : 'MYSQL_DATABASE'
    throw new InputError(
      input,
      `${expected} naming a database (or ${variable})`,
      url ? redactUrlPasswords(url) : undefined
    )
  }
  if (connection.database.startsWith('-') || connection.database.includes('\0'))
    throw new InputError(input, expected, redactUrlPasswords(url ?? ''))
  if (connection.port !== undefined && !(connection.port > 0 && connection.port < 65536)) {
    throw new InputError(
      input,
      `${expected} with a port from 1 to 65535`,
      url ? redactUrlPasswords(url) : String(connection.port)
    )
  }
  const scheme = engine === 'postgres' ? 'postgres' : engine
  const where = connection.host
    ? `${connection.host}${connection.port ? `:${connection.port}` : ''}`
    : (connection.socket ?? 'localhost')
  connection.display = `${scheme}://${connection.user ? `${connection.user}${connection.password ? ':***' : ''}@` : ''}${where}/${connection.database}`
  return connection
}

function parseSqlite(url: string | undefined, input: string): Connection {
  const expected = 'sqlite:///absolute/path.db or a path to a SQLite file'
  if (!url) throw new InputError(input, expected, url)
  let path = url
  if (/^(sqlite|file):/i.test(url)) {
    try {
      path = decodeURIComponent(new URL(url).pathname)
    } catch {
      throw new InputError(input, expected, url)
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new InputError(input, expected, redactUrlPasswords(url))
  }
  if (!path) throw new InputError(input, expected, url)
  path = isAbsolute(path) ? path : resolve(path)
  return { engine: 'sqlite', path, display: `sqlite://${path}`, input }
}

function parseFiles(spec: SourceSpec, input: string): Connection {
  const patterns = spec.paths ?? []
  if (patterns.length === 0)
    throw new InputError('paths', 'one or more paths or globs to archive', undefined)
  const baseDir = resolve(spec.baseDir ?? process.cwd())
  if (!existsSync(baseDir)) throw new InputError('base-dir', 'an existing directory', spec.baseDir)
  return {
    engine: 'files',
    patterns,
    exclude: spec.exclude ?? [],
    baseDir,
    display: `files:${patterns.join(',')}${spec.exclude?.length ? ` (excluding ${spec.exclude.join(',')})` : ''}`,
    input
  }
}
