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
import { connect, createServer } from 'node:net'

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
