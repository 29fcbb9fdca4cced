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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { connect, createServer } from 'node:net'

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

// ---- process helpers (kept in this file so it can be copied or reused on its own) ----

/** A free TCP port on 127.0.0.1 (the kernel picks it; a race with another process is possible but rare). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Polls `probe` every 100ms until it returns true or the deadline passes (then throws with `what`). */
async function waitFor(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs: number
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await probe()) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`Timed out after ${timeoutMs}ms waiting for ${what}`)
}

function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise(resolve => {
    const socket = connect({ port, host })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.setTimeout(1000, () => done(false))
  })
}

/** Runs a program to completion with a deadline; rejects with its output unless it exits 0. */
function exec(
  command: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv
    uid?: number
    gid?: number
    timeoutMs?: number
    input?: string
    cwd?: string
  } = {}
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      uid: options.uid,
      gid: options.gid,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.stdin.on('error', () => undefined)
    child.stdin.end(options.input ?? '')
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', code => {
      clearTimeout(timer)
      if (code === 0) resolve(stdout)
      else
        reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr || stdout}`))
    })
  })
}

/** Stops a server process: `signal` first, SIGKILL after `graceMs`; resolves when it has exited. */
function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill(signal)
  })
}

/** Collects the last few KB of a server's output, to explain a failed start. */
function tail(child: ChildProcess): () => string {
  let text = ''
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return () => text
}
