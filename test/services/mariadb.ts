/**
 * A real MariaDB server for tests: `mariadb-install-db` into a temp dir, `mariadbd` on a free
 * 127.0.0.1 port with its socket in the temp dir (`--no-defaults`: the machine's my.cnf is
 * never read), stopped and removed by `stop()`. root logs in over the socket (unix_socket
 * auth); a password user (`slipway` by default, all privileges) logs in over TCP.
 *
 *   const db = await startMariadb()
 *   await db.sql('create database app')
 *   db.url('app')   // mysql://slipway:<password>@127.0.0.1:<port>/app
 *   await db.stop()
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { exec, freePort, stopProcess, tail, tcpOpen, waitFor } from './process.js'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'

export interface MariadbServer {
  host: string
  port: number
  socket: string
  user: string
  password: string
  dataDir: string
  /** A connection URL with the password, for `database` (none by default). */
  url(database?: string, scheme?: 'mysql' | 'mariadb'): string
  /** Runs SQL as root over the socket (batch mode, tab-separated, no column names). */
  sql(query: string, database?: string): Promise<string>
  stop(): Promise<void>
}

export interface MariadbOptions {
  user?: string
  password?: string
  startTimeoutMs?: number
}

export async function startMariadb(options: MariadbOptions = {}): Promise<MariadbServer> {
  const root = mkdtempSync(join(tmpdir(), 'slipway-mariadb-'))
  const dataDir = join(root, 'data')
  const socket = join(root, 'mysqld.sock')
  const user = options.user ?? 'slipway'
  const password = options.password ?? `pw-${randomBytes(9).toString('hex')}`
  await exec(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--user=root',
      '--skip-test-db',
      '--skip-name-resolve',
      '--auth-root-authentication-method=socket'
    ],
    { timeoutMs: 90_000 }
  )
  const errorLog = join(root, 'error.log')
  const sql = (query: string, database?: string): Promise<string> =>
    exec(
      'mariadb',
      [
        '--no-defaults',
        `--socket=${socket}`,
        '-uroot',
        '--batch',
        '--skip-column-names',
        ...(database ? [database] : []),
        '-e',
        query
      ],
      { timeoutMs: 60_000 }
    ).then(out => out.trim())
  let port = 0
  let child: ChildProcess | undefined
  const stop = async (): Promise<void> => {
    if (child) await stopProcess(child, 'SIGTERM', 20_000)
    rmSync(root, { recursive: true, force: true })
  }
  const log = (): string => {
    try {
      return readFileSync(errorLog, 'utf8').slice(-4000)
    } catch {
      return ''
    }
  }
  // Another test may take the free port between our probe and mariadbd binding it: retry.
  for (let attempt = 1; ; attempt++) {
    port = await freePort()
    const started: ChildProcess = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--socket=${socket}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--user=root',
        `--pid-file=${join(root, 'mysqld.pid')}`,
        '--skip-name-resolve',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=64M',
        '--innodb-log-file-size=16M',
        '--innodb-flush-log-at-trx-commit=0',
        `--log-error=${errorLog}`
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
    child = started
    const output = tail(started)
    try {
      await waitFor(
        `mariadbd on port ${port}`,
        async () => {
          if (started.exitCode !== null) throw new Error(`mariadbd exited: ${output()}${log()}`)
          if (!(await tcpOpen(port))) return false
          return sql('select 1').then(
            () => true,
            () => false
          )
        },
        options.startTimeoutMs ?? 60_000
      )
      break
    } catch (error) {
      await stopProcess(started, 'SIGTERM', 20_000)
      if (attempt < 3 && /already in use|Bind on TCP\/IP port/i.test(log())) continue
      await stop()
      throw error
    }
  }
  try {
    const quoted = password.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
    await sql(
      `create user '${user}'@'127.0.0.1' identified by '${quoted}'; grant all privileges on *.* to '${user}'@'127.0.0.1' with grant option`
    )
  } catch (error) {
    await stop()
    throw error
  }
  return {
    host: '127.0.0.1',
    port,
    socket,
    user,
    password,
    dataDir,
    url: (database = '', scheme = 'mysql') =>
      `${scheme}://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    sql,
    stop
  }
}
