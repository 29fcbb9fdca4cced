/**
 * A real PostgreSQL server for tests: initdb into a temp dir owned by the `postgres` user
 * (initdb and postgres refuse to run as root), started on a free 127.0.0.1 port with its
 * socket in the temp dir, stopped and removed by `stop()`. Host connections need a password
 * (scram-sha-256), the socket is trusted, so tests can exercise password handling.
 *
 *   const pg = await startPostgres()
 *   await pg.sql('select 1')          // psql as the superuser, returns unaligned output
 *   pg.url('app')                      // postgres://postgres:<password>@127.0.0.1:<port>/app
 *   await pg.stop()
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { exec, freePort, stopProcess, tail, tcpOpen, waitFor } from './process.js'
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'

export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin'

export interface PostgresServer {
  host: string
  port: number
  user: string
  password: string
  socketDir: string
  dataDir: string
  /** A connection URL with the password, for `database` (default `postgres`). */
  url(database?: string): string
  /** libpq environment variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE). */
  env(database?: string): Record<string, string>
  /** Runs SQL with psql (-At, ON_ERROR_STOP) and returns its output. */
  sql(query: string, database?: string): Promise<string>
  createDatabase(name: string): Promise<void>
  /** Fills `database` with pgbench tables (`pgbench -i -s <scale>`). */
  pgbench(database: string, scale: number): Promise<void>
  stop(): Promise<void>
}

export interface PostgresOptions {
  password?: string
  startTimeoutMs?: number
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>
}

function postgresIds(): { uid: number; gid: number } {
  // Node has no getpwnam; /etc/passwd is the source on Debian.
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find(entry => entry.startsWith('postgres:'))
  if (!line) throw new Error('no postgres user on this machine (apt-get install postgresql)')
  const [, , uid, gid] = line.split(':')
  return { uid: Number(uid), gid: Number(gid) }
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const { uid, gid } = postgresIds()
  const root = mkdtempSync(join(tmpdir(), 'slipway-pg-'))
  chmodSync(root, 0o755)
  const dataDir = join(root, 'data')
  const socketDir = join(root, 'sock')
  const password = options.password ?? `pw-${randomBytes(9).toString('hex')}`
  const pwfile = join(root, 'pwfile')
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
  for (const path of [root, pwfile]) chownSync(path, uid, gid)
  const asPostgres = { uid, gid, env: { HOME: root, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } }
  await exec(
    `${POSTGRES_BIN}/initdb`,
    [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${pwfile}`,
      '-E',
      'UTF8',
      '--no-sync'
    ],
    { ...asPostgres, timeoutMs: 60_000 }
  )
  rmSync(pwfile)
  mkdirSync(socketDir)
  chownSync(socketDir, uid, gid)
  const settings = {
    listen_addresses: '127.0.0.1',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '30',
    ...options.settings
  }
  const host = '127.0.0.1'
  let port = 0
  let child: ChildProcess | undefined
  const env = (database = 'postgres'): Record<string, string> => ({
    PGHOST: host,
    PGPORT: String(port),
    PGUSER: 'postgres',
    PGPASSWORD: password,
    PGDATABASE: database,
    PGCONNECT_TIMEOUT: '5'
  })
  const stop = async (): Promise<void> => {
    if (child) await stopProcess(child, 'SIGINT') // fast shutdown
    rmSync(root, { recursive: true, force: true })
  }
  // Another test may take the free port between our probe and postgres binding it: retry.
  for (let attempt = 1; ; attempt++) {
    port = await freePort()
    const args = ['-D', dataDir, '-k', socketDir, '-p', String(port)]
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`)
    const started: ChildProcess = spawn(`${POSTGRES_BIN}/postgres`, args, {
      ...asPostgres,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    child = started
    const output = tail(started)
    try {
      await waitFor(
        `postgres on port ${port}`,
        async () => {
          if (started.exitCode !== null) throw new Error(`postgres exited: ${output()}`)
          if (!(await tcpOpen(port))) return false
          return exec('psql', ['-At', '-c', 'select 1'], { env: env(), timeoutMs: 5000 }).then(
            () => true,
            () => false
          )
        },
        options.startTimeoutMs ?? 30_000
      )
      break
    } catch (error) {
      await stopProcess(started, 'SIGINT')
      if (attempt < 3 && /could not bind|already in use/i.test(output())) continue
      await stop()
      throw error
    }
  }
  const sql = (query: string, database = 'postgres'): Promise<string> =>
    exec('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query], {
      env: env(database),
      timeoutMs: 60_000
    }).then(out => out.trim())
  return {
    host,
    port,
    user: 'postgres',
    password,
    socketDir,
    dataDir,
    url: (database = 'postgres') =>
      `postgres://postgres:${encodeURIComponent(password)}@${host}:${port}/${database}`,
    env,
    sql,
    createDatabase: async name => {
      await sql(`create database "${name.replace(/"/g, '""')}"`)
    },
    pgbench: async (database, scale) => {
      await exec('pgbench', ['-i', '-q', '-s', String(scale), database], {
        env: env(database),
        timeoutMs: 600_000
      })
    },
    stop
  }
}
