#!/usr/bin/env node
// Benchmark: what rehearsing a migration costs. On pgbench databases (scale 10 and 50), the
// deploy-strategy bundle (dist/deploy-strategy, run as the runner runs it) with and without
// `rehearse-from`, against a plain restore of the same data (pg_restore of a pg_dump -Fc file
// into a new database) and against the migration itself run on production. Writes
// bench/results/rehearsal.md.
//
//   node bench/rehearsal.mjs [--scales 10,50] [--runs 1]
//
// Runs as root: initdb/postgres run as the `postgres` user in a temp dir, on a free 127.0.0.1 port.
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
import { cpus, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? process.argv[at + 1] : fallback
}
const SCALES = option('scales', '10,50').split(',').map(Number)
const RUNS = Number(option('runs', '1'))
const BIN = '/usr/lib/postgresql/15/bin'
const PASSWORD = 'bench-password-1'
// A migration that does real work on pgbench data: an index over 100,000 × scale rows and a
// column added to another table. Idempotent, so the deploy's own production run is a no-op
// once production has it; the rehearsal always runs it on the backup's (unmigrated) copy.
const MIGRATION =
  'create index if not exists pgbench_accounts_bid on pgbench_accounts (bid, abalance); alter table pgbench_history add column if not exists note text'

const [, , uid, gid] = readFileSync('/etc/passwd', 'utf8')
  .split('\n')
  .find(l => l.startsWith('postgres:'))
  .split(':')
  .map(Number)
const work = mkdtempSync(join(tmpdir(), 'slipway-bench-rehearsal-'))
chmodSync(work, 0o755)
const data = join(work, 'data')
const sock = join(work, 'sock')
mkdirSync(sock)
chownSync(work, uid, gid)
chownSync(sock, uid, gid)
writeFileSync(join(work, 'pw'), PASSWORD)
chownSync(join(work, 'pw'), uid, gid)

function exec(cmd, args, options = {}) {
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

const timed = fn => {
  const started = process.hrtime.bigint()
  const value = fn()
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value }
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const seconds = ms => `${(ms / 1000).toFixed(1)} s`

function runAction(name, inputs, extraEnv = {}) {
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
  const r = spawnSync(process.execPath, [join(root, `dist/${name}/index.js`)], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024
  })
  if (r.status !== 0) throw new Error(`${name} failed: ${r.stdout}\n${r.stderr}`)
  const text = readFileSync(out, 'utf8')
  return Object.fromEntries(
    [...text.matchAll(/^([a-z-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map(m => [m[1], m[3]])
  )
}

const results = []
for (const scale of SCALES) {
  const db = `bench_s${scale}`
  console.log(`pgbench -i -s ${scale} …`)
  psql(`create database ${db}`)
  exec('pgbench', ['-i', '-q', '-s', String(scale), db], { env: pgEnv(db) })
  const size = Number(psql(`select pg_database_size('${db}')`))
  const store = join(work, `store-${scale}`)
  const { 'backup-id': backupId } = runAction('backup', {
    operation: 'backup',
    'database-url': url(db),
    path: store
  })
  const dump = join(work, `plain-${scale}.dump`)
  exec('pg_dump', ['-Fc', '-f', dump, db], { env: pgEnv(db) })
  const plain = []
  const migration = []
  const withRehearsal = []
  const without = []
  const onCopy = []
  for (let run = 0; run < RUNS; run++) {
    // A plain restore of the same data into a new database: what testing a migration by hand starts with.
    psql(`drop database if exists plain_copy`)
    plain.push(
      timed(() => {
        psql('create database plain_copy')
        exec(
          'pg_restore',
          ['--no-password', '--exit-on-error', '--single-transaction', '-d', 'plain_copy', dump],
          { env: pgEnv('plain_copy') }
        )
      }).ms
    )
    // The migration itself, on that copy (the same data production has before it).
    migration.push(timed(() => psql(MIGRATION, 'plain_copy')).ms)
  }
  psql('drop database if exists plain_copy')
  // Production migrated once: the deploys' own migrate-command is then a no-op, so the
  // difference between the two deploys is the rehearsal.
  psql(MIGRATION, db)
  const deployInputs = {
    strategy: 'blue-green',
    version: 'v2',
    provider: 'script',
    targets: 'blue=127.0.0.1:1\ngreen=127.0.0.1:2',
    'current-command': 'echo blue v1 100',
    'prepare-command': 'true',
    'route-command': 'true',
    'retire-command': 'true',
    'health-check': 'command',
    'health-command': 'true',
    'keep-previous': '0',
    'record-deployment': 'false',
    'migrate-command': `psql "$DATABASE_URL" -X -v ON_ERROR_STOP=1 -c "${MIGRATION}"`
  }
  const jobEnv = { DATABASE_URL: url(db) }
  for (let run = 0; run < RUNS; run++) {
    without.push(timed(() => runAction('deploy-strategy', deployInputs, jobEnv)).ms)
    const rehearsed = timed(() =>
      runAction(
        'deploy-strategy',
        {
          ...deployInputs,
          'rehearse-from': backupId,
          'backup-path': store,
          'database-url': url(db),
          'rehearsal-database-url-env': 'DATABASE_URL'
        },
        jobEnv
      )
    )
    if (rehearsed.value['migration-verdict'] !== 'passed')
      throw new Error(`the rehearsal did not pass: ${JSON.stringify(rehearsed.value)}`)
    withRehearsal.push(rehearsed.ms)
    onCopy.push(Number(rehearsed.value['migration-rehearsal-duration']))
  }
  const overhead = median(withRehearsal) - median(without)
  results.push({
    scale,
    size,
    plain: median(plain),
    migration: median(migration),
    overhead,
    onCopy: median(onCopy),
    deploy: median(without)
  })
  console.log(results.at(-1))
  psql(`drop database ${db}`)
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, PostgreSQL ${psql('show server_version')}, Node ${process.version}`
const lines = [
  '# Migration rehearsal: what it costs',
  '',
  `Machine: ${machine}. Runs per figure: ${RUNS} (median). Written by \`node bench/rehearsal.mjs\`.`,
  '',
  `Migration: \`${MIGRATION}\`.`,
  '',
  '- **plain restore**: `pg_restore --single-transaction` of a `pg_dump -Fc` file into a new database — what testing a migration on a copy by hand starts with;',
  '- **migration**: the migration run on that copy (the data production has before it);',
  "- **rehearsal**: deploy-strategy's step time with `rehearse-from` minus the same deploy without it — the restore of the backup (checksum, zstd, pg_restore) into a scratch database, two catalog snapshots with exact row counts, the migration on the copy, the diff and the drop;",
  "- **migration on the copy**: the rehearsal's own measure of the migration (`migration-rehearsal-duration`), its forecast of the production run.",
  '',
  '| pgbench scale | database | plain restore | migration | rehearsal | rehearsal ÷ plain restore | rehearsal ÷ migration | migration on the copy | deploy without rehearsal |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.map(
    r =>
      `| ${r.scale} | ${(r.size / 1e6).toFixed(0)} MB | ${seconds(r.plain)} | ${seconds(r.migration)} | ${seconds(r.overhead)} | ${(r.overhead / r.plain).toFixed(2)} | ${(r.overhead / r.migration).toFixed(2)} | ${seconds(r.onCopy)} | ${seconds(r.deploy)} |`
  ),
  ''
]
writeFileSync(join(root, 'bench/results/rehearsal.md'), lines.join('\n'))
console.log(lines.join('\n'))
server.kill('SIGINT')
