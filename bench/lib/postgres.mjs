// What the PostgreSQL benchmarks share: a throwaway server run as the `postgres` user in a temp
// dir on a free 127.0.0.1 port, the way to run an action's bundle as the runner runs it, and
// timing. Benchmarks run as root (initdb refuses to run as root, hence the uid/gid switch).
import { spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const root = new URL('../..', import.meta.url).pathname
const BIN = '/usr/lib/postgresql/15/bin'
export const PASSWORD = 'bench-password-1'

/** The value after `--name` on the command line, as a string, or `fallback`. */
export const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? process.argv[at + 1] : fallback
}

export function exec(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, ...options.env }
  })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`)
  return r.stdout.trim()
}

const freePort = () =>
  new Promise(resolve => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

export const timed = fn => {
  const started = process.hrtime.bigint()
  const value = fn()
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value }
}
export const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * Starts PostgreSQL 15 tuned for throughput over durability (fsync off: the data is thrown
 * away) and waits until it answers. The work dir and the server go when the process exits.
 */
export async function startPostgres(prefix) {
  const [, , uid, gid] = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find(l => l.startsWith('postgres:'))
    .split(':')
    .map(Number)
  const work = mkdtempSync(join(tmpdir(), prefix))
  chmodSync(work, 0o755)
  const data = join(work, 'data')
  const sock = join(work, 'sock')
  mkdirSync(sock)
  chownSync(work, uid, gid)
  chownSync(sock, uid, gid)
  writeFileSync(join(work, 'pw'), PASSWORD)
  chownSync(join(work, 'pw'), uid, gid)

  const asPostgres = { uid, gid, env: { HOME: work } }
  exec(
    `${BIN}/initdb`,
    [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      `--pwfile=${join(work, 'pw')}`,
      '--no-sync'
    ],
    asPostgres
  )
  const port = await freePort()
  const server = spawn(
    `${BIN}/postgres`,
    [
      '-D',
      data,
      '-k',
      sock,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_wal_size=2GB'
    ],
    { ...asPostgres, stdio: 'ignore' }
  )
  process.on('exit', () => {
    try {
      server.kill('SIGKILL')
    } catch {
      // already gone
    }
    rmSync(work, { recursive: true, force: true })
  })
  const pgEnv = db => ({
    PGHOST: '127.0.0.1',
    PGPORT: String(port),
    PGUSER: 'postgres',
    PGPASSWORD: PASSWORD,
    PGDATABASE: db
  })
  const url = db => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${db}`
  const psql = (sql, db = 'postgres') =>
    exec('psql', ['-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env: pgEnv(db) })
  const deadline = Date.now() + 30_000
  for (;;) {
    try {
      psql('select 1')
      break
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise(r => setTimeout(r, 200))
    }
  }
  return { work, port, pgEnv, url, psql, stop: () => server.kill('SIGINT') }
}

/**
 * Runs dist/<name>/index.js as the runner runs it: inputs as INPUT_* env vars, outputs read
 * back from GITHUB_OUTPUT. `wrap` puts a command in front of node (e.g. /usr/bin/time).
 * Returns the outputs and the process's stderr.
 */
export function runBundle(name, inputs, { work, env: extraEnv = {}, wrap = [] }) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: work,
    GITHUB_WORKSPACE: work,
    ...extraEnv
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = String(v)
  const out = join(work, 'gh-output')
  writeFileSync(out, '')
  env.GITHUB_OUTPUT = out
  const [cmd, ...args] = [...wrap, process.execPath, join(root, `dist/${name}/index.js`)]
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`${name} failed: ${r.stdout}\n${r.stderr}`)
  const text = readFileSync(out, 'utf8')
  const outputs = Object.fromEntries(
    [...text.matchAll(/^([a-z-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map(m => [m[1], m[3]])
  )
  return { outputs, stderr: r.stderr }
}
