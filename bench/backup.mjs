#!/usr/bin/env node
// Benchmark: the backup action (dist/backup, run as the runner runs it) against plain
// `pg_dump -Fc` to a file, on the same PostgreSQL database (pgbench -i -s SCALE, ≥ 200 MB),
// plus restore times (action vs pg_restore). Writes bench/results/backup.md.
//
//   node bench/backup.mjs [--scale 15] [--runs 3] [--text-runs 3] [--rss-scale 50]
//
// --rss-scale: a second pgbench database of that scale, backed up twice, to show that the
// action's peak memory does not grow with the database (0 skips it).
//
// Runs as root: initdb/postgres run as the `postgres` user in a temp dir, on a free 127.0.0.1 port.
import { readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { exec, median, option, root, runBundle, startPostgres, timed } from './lib/postgres.mjs'

const arg = (name, fallback) => Number(option(name, fallback))
const SCALE = arg('scale', 15)
const RUNS = arg('runs', 3)
const TEXT_RUNS = arg('text-runs', 3)
const RSS_SCALE = arg('rss-scale', 50)
/** Untimed runs under /usr/bin/time for the peak-memory figures. */
const RSS_RUNS = 3

const { work, pgEnv, url, psql, stop } = await startPostgres('slipway-bench-backup-')

console.log(`pgbench -i -s ${SCALE} …`)
psql('create database bench')
let t = Date.now()
exec('pgbench', ['-i', '-q', '-s', String(SCALE), 'bench'], { env: pgEnv('bench') })
const dbBytes = Number(psql("select pg_database_size('bench')"))
console.log(`  ${(dbBytes / 1e6).toFixed(0)} MB in ${((Date.now() - t) / 1000).toFixed(0)} s`)

// Timed runs start node as pg_dump is started; runs that measure memory put /usr/bin/time in
// front (it reports the Node process's peak RSS, evidence that nothing is buffered whole), which
// costs its own exec, so they are not timed.
function runAction(inputs, { rss = false } = {}) {
  const { outputs, stderr } = runBundle('backup', inputs, {
    work,
    wrap: rss ? ['/usr/bin/time', '-f', 'maxrss=%M'] : []
  })
  const manifest = outputs.manifest
  return {
    id: outputs['backup-id'],
    size: Number(outputs.size),
    rss: Number(/maxrss=(\d+)/.exec(stderr)?.[1] ?? 0) * 1024,
    inner: manifest ? JSON.parse(manifest).durationMs : undefined
  }
}

const store = join(work, 'store')
const dumpFile = join(work, 'plain.dump')
// Warm the page cache once so every timed run reads the same way.
exec('pg_dump', ['-Fc', '-f', dumpFile, 'bench'], { env: pgEnv('bench') })

const rows = {
  pgdump: [],
  direct: [],
  shell: [],
  zstd: [],
  gzip: [],
  zstdAge: [],
  dry: [],
  node: []
}

// On Debian and Ubuntu \`pg_dump\` is pg_wrapper (Perl), which the action passes over: the same
// version's own binary is timed too, so the ratio can be read both ways.
const directPgDump = (() => {
  const onPath = exec('sh', ['-c', 'command -v pg_dump']).trim()
  if (!realpathSync(onPath).endsWith('/postgresql-common/pg_wrapper')) return undefined
  const newest = readdirSync('/usr/lib/postgresql')
    .filter(v => /^\d+\.?\d+$/.test(v))
    .sort((a, b) => Number(a) - Number(b))
    .pop()
  return newest && `/usr/lib/postgresql/${newest}/bin/pg_dump`
})()
const inner = []
const peak = {}
let sizes = {}
let rawDump = 0
let lastIds = {}
const recipient = exec('age-keygen', ['-y'], {
  input: exec('age-keygen', [])
    .split('\n')
    .find(l => l.startsWith('AGE-SECRET-KEY'))
})
const VARIANTS = [
  ['zstd', { compression: 'zstd' }],
  ['gzip', { compression: 'gzip' }],
  ['zstdAge', { compression: 'zstd', 'encrypt-recipients': recipient }]
]
for (let i = 0; i < RUNS; i++) {
  rmSync(dumpFile, { force: true })
  rows.pgdump.push(
    timed(() => exec('pg_dump', ['-Fc', '-f', dumpFile, 'bench'], { env: pgEnv('bench') })).ms
  )
  sizes.pgdump = statSync(dumpFile).size
  if (directPgDump) {
    rmSync(dumpFile, { force: true })
    rows.direct.push(
      timed(() => exec(directPgDump, ['-Fc', '-f', dumpFile, 'bench'], { env: pgEnv('bench') })).ms
    )
  }
  rawDump ||= Number(exec('bash', ['-c', 'pg_dump -Fc -Z0 bench | wc -c'], { env: pgEnv('bench') }))
  // The same pipeline without Node (and, like the action, without pg_wrapper): the floor for
  // what the action does.
  rows.shell.push(
    timed(() =>
      exec(
        'bash',
        [
          '-c',
          `${directPgDump ?? 'pg_dump'} -Fc -Z0 bench | zstd -q -1 -T0 > ${join(work, 'shell.dump.zst')}`
        ],
        { env: pgEnv('bench') }
      )
    ).ms
  )
  sizes.shell = statSync(join(work, 'shell.dump.zst')).size
  rows.dry.push(
    timed(() => runAction({ 'database-url': url('bench'), path: store, 'dry-run': true })).ms
  )
  // Node itself, loading nothing: the part of the start-up no bundle can remove.
  rows.node.push(timed(() => exec(process.execPath, ['-e', '0'])).ms)
  for (const [key, inputs] of VARIANTS) {
    const r = timed(() =>
      runAction({ 'database-url': url('bench'), path: store, name: key, ...inputs })
    )
    rows[key].push(r.ms)
    sizes[key] = r.value.size
    lastIds[key] = r.value.id
    if (key === 'zstd') inner.push(r.value.inner)
  }
  console.log(
    `  run ${i + 1}: pg_dump ${rows.pgdump[i].toFixed(0)} ms, action zstd ${rows.zstd[i].toFixed(0)} ms, gzip ${rows.gzip[i].toFixed(0)} ms, zstd+age ${rows.zstdAge[i].toFixed(0)} ms`
  )
}

for (let i = 0; i < RSS_RUNS; i++) {
  for (const [key, inputs] of VARIANTS) {
    const { rss } = runAction(
      { 'database-url': url('bench'), path: store, name: key, ...inputs },
      { rss: true }
    )
    peak[key] = Math.max(peak[key] ?? 0, rss)
  }
}

// Restore: pg_restore of the plain dump vs the action's restore of its zstd backup, each into a fresh database.
const restores = { pgrestore: [], action: [] }
for (let i = 0; i < RUNS; i++) {
  psql(`drop database if exists r1`)
  psql(`create database r1`)
  restores.pgrestore.push(
    timed(() =>
      exec('pg_restore', ['--single-transaction', '--exit-on-error', '-d', 'r1', dumpFile], {
        env: pgEnv('r1')
      })
    ).ms
  )
  psql(`drop database if exists r2`)
  psql(`create database r2`)
  restores.action.push(
    timed(() =>
      runAction({
        operation: 'restore',
        'backup-id': lastIds.zstd,
        'database-url': url('bench'),
        target: url('r2'),
        path: store
      })
    ).ms
  )
  console.log(
    `  restore ${i + 1}: pg_restore ${restores.pgrestore[i].toFixed(0)} ms, action ${restores.action[i].toFixed(0)} ms`
  )
}

// A second database whose data compresses like real data (random hex text, ~2:1), where
// compression, not the pipe, decides the time.
console.log('random-text database …')
psql('create database textdb')
psql(
  'create table events (id bigint primary key, payload text, at timestamptz default now()); insert into events (id, payload) select i, md5(random()::text) || md5(random()::text) || md5(random()::text) from generate_series(1, 2000000) i',
  'textdb'
)
const textBytes = Number(psql("select pg_database_size('textdb')"))
const textRows = { pgdump: [], zstd: [], gzip: [] }
const textSizes = {}
const textFile = join(work, 'text.dump')
exec('pg_dump', ['-Fc', '-f', textFile, 'textdb'], { env: pgEnv('textdb') })
for (let i = 0; i < TEXT_RUNS; i++) {
  rmSync(textFile, { force: true })
  textRows.pgdump.push(
    timed(() => exec('pg_dump', ['-Fc', '-f', textFile, 'textdb'], { env: pgEnv('textdb') })).ms
  )
  textSizes.pgdump = statSync(textFile).size
  for (const key of ['zstd', 'gzip']) {
    const r = timed(() =>
      runAction({
        'database-url': url('textdb'),
        path: store,
        name: `text-${key}`,
        compression: key
      })
    )
    textRows[key].push(r.ms)
    textSizes[key] = r.value.size
  }
  console.log(
    `  run ${i + 1}: pg_dump ${textRows.pgdump[i].toFixed(0)} ms, action zstd ${textRows.zstd[i].toFixed(0)} ms, gzip ${textRows.gzip[i].toFixed(0)} ms`
  )
}
const check = psql('select count(*) from pgbench_accounts', 'r2')
if (check !== String(SCALE * 100000)) throw new Error(`restored ${check} rows`)

// The same backup of a larger database: peak memory must stay where it was (streamed). An odd
// number of runs, so the median is a run's time and not the slower of two.
const BIG_RUNS = 5
const memory = [{ scale: SCALE, dbBytes, rawDump, rss: peak.zstd }]
if (RSS_SCALE > 0) {
  console.log(`pgbench -i -s ${RSS_SCALE} (memory check) …`)
  psql('create database big')
  exec('pgbench', ['-i', '-q', '-s', String(RSS_SCALE), 'big'], { env: pgEnv('big') })
  const bigBytes = Number(psql("select pg_database_size('big')"))
  const bigRaw = Number(exec('bash', ['-c', 'pg_dump -Fc -Z0 big | wc -c'], { env: pgEnv('big') }))
  const big = { pgdump: [], zstd: [], rss: 0 }
  for (let i = 0; i < BIG_RUNS; i++) {
    rmSync(dumpFile, { force: true })
    big.pgdump.push(
      timed(() => exec('pg_dump', ['-Fc', '-f', dumpFile, 'big'], { env: pgEnv('big') })).ms
    )
    const r = timed(() => runAction({ 'database-url': url('big'), path: store, name: 'big' }))
    big.zstd.push(r.ms)
  }
  for (let i = 0; i < RSS_RUNS; i++) {
    const { rss } = runAction(
      { 'database-url': url('big'), path: store, name: 'big' },
      { rss: true }
    )
    big.rss = Math.max(big.rss, rss)
  }
  memory.push({
    scale: RSS_SCALE,
    dbBytes: bigBytes,
    rawDump: bigRaw,
    rss: big.rss,
    pgdump: median(big.pgdump),
    zstd: median(big.zstd)
  })
  console.log(`  scale ${RSS_SCALE}: peak RSS ${(big.rss / 1e6).toFixed(1)} MB`)
}
stop()

const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]))
const r = Object.fromEntries(Object.entries(restores).map(([k, v]) => [k, median(v)]))
const tm = Object.fromEntries(Object.entries(textRows).map(([k, v]) => [k, median(v)]))
const mb = n => `${(n / 1e6).toFixed(1)} MB`
const s = ms => `${(ms / 1000).toFixed(2)} s`
const cpu = cpus()[0]?.model ?? 'unknown'
const report = `# Backup benchmark

Machine: ${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, PostgreSQL ${psqlVersion()}; shared with other
engineers' work (load average at the end: ${loadavg()
  .map(x => x.toFixed(1))
  .join(' / ')}), so treat differences under ~15 % as noise.
Date: ${new Date().toISOString()}. Command: \`node bench/backup.mjs --scale ${SCALE} --runs ${RUNS} --text-runs ${TEXT_RUNS} --rss-scale ${RSS_SCALE}\`.

Database: \`pgbench -i -s ${SCALE}\` — ${mb(dbBytes)} on disk (${SCALE * 100000} rows in pgbench_accounts).
Each figure is the median of ${RUNS} runs, wall time. The action runs as the runner runs it
(\`node dist/backup/index.js\`, including Node start-up, loading the bundle and the manifest).

## Backup

| Method | Median | Ratio to pg_dump -Fc | Backup size | Runs |
| --- | ---: | ---: | ---: | --- |
| \`pg_dump -Fc -f file\` (baseline, zlib inside pg_dump) | ${s(m.pgdump)} | 1.00 | ${mb(sizes.pgdump)} | ${rows.pgdump.map(s).join(', ')} |
${directPgDump ? `| \`${directPgDump} -Fc -f file\` (the same, without pg_wrapper) | ${s(m.direct)} | ${(m.direct / m.pgdump).toFixed(2)} | ${mb(sizes.pgdump)} | ${rows.direct.map(s).join(', ')} |\n` : ''}| shell \`pg_dump -Fc -Z0 \\| zstd -1 -T0 > file\` (no Node, no pg_wrapper; the floor) | ${s(m.shell)} | ${(m.shell / m.pgdump).toFixed(2)} | ${mb(sizes.shell)} | ${rows.shell.map(s).join(', ')} |
| \`node -e 0\` (Node's own start-up, nothing loaded) | ${s(m.node)} | — | — | ${rows.node.map(s).join(', ')} |
| action, \`dry-run\` (Node start-up, loading the bundle, input parsing, no database work) | ${s(m.dry)} | — | — | ${rows.dry.map(s).join(', ')} |
| action, \`compression: zstd\` (auto) | ${s(m.zstd)} | **${(m.zstd / m.pgdump).toFixed(2)}** | ${mb(sizes.zstd)} | ${rows.zstd.map(s).join(', ')} |
| action, \`compression: gzip\` | ${s(m.gzip)} | ${(m.gzip / m.pgdump).toFixed(2)} | ${mb(sizes.gzip)} | ${rows.gzip.map(s).join(', ')} |
| action, zstd + age encryption | ${s(m.zstdAge)} | ${(m.zstdAge / m.pgdump).toFixed(2)} | ${mb(sizes.zstdAge)} | ${rows.zstdAge.map(s).join(', ')} |

Peak RSS of the action's Node process (${RSS_RUNS} untimed runs each under \`/usr/bin/time\`): zstd ${mb(peak.zstd)}, gzip ${mb(peak.gzip)} (the whole
uncompressed dump, ≈ ${mb(rawDump)}, flows through Node here), zstd + age ${mb(peak.zstdAge)} — streamed, never held whole.

Memory against database size (\`compression: zstd\`, peak RSS of the Node process over the runs):

| pgbench scale | On disk | Uncompressed dump | Peak RSS |
| ---: | ---: | ---: | ---: |
${memory.map(row => `| ${row.scale} | ${mb(row.dbBytes)} | ${mb(row.rawDump)} | ${mb(row.rss)} |`).join('\n')}
${memory[1] ? `\nAt scale ${memory[1].scale}: \`pg_dump -Fc\` ${s(memory[1].pgdump)}, the action ${s(memory[1].zstd)} (${(memory[1].zstd / memory[1].pgdump).toFixed(2)} ×; medians of ${BIG_RUNS}).\n` : ''}
Inside the action (manifest \`durationMs\`: dump, manifest — without Node start-up), the zstd
backup took ${s(median(inner))} (median; ${(median(inner) / m.pgdump).toFixed(2)} × pg_dump).

Each run times pg_dump and the action back to back, so the ratio within a run is less exposed to
the machine's load changing between runs: median of the per-run ratios, zstd
${median(rows.zstd.map((ms, i) => ms / rows.pgdump[i])).toFixed(2)} (${rows.zstd.map((ms, i) => (ms / rows.pgdump[i]).toFixed(2)).join(', ')}).${
  directPgDump
    ? `
Against the same version's own binary (\`pg_dump -Fc\` without pg_wrapper, as the action starts it):
${median(rows.zstd.map((ms, i) => ms / rows.direct[i])).toFixed(2)} (${rows.zstd.map((ms, i) => (ms / rows.direct[i]).toFixed(2)).join(', ')}).`
    : ''
}

Target: ratio ≤ 1.10 for the default (auto = zstd). The action runs \`pg_dump --format=custom --compress=0\`
and compresses in a separate process (zstd -1 -T0) or in Node's zlib thread pool (gzip level 6), so
compression overlaps with pg_dump's work instead of running inside it.

## Restore (into a fresh database)

| Method | Median | Ratio | Runs |
| --- | ---: | ---: | --- |
| \`pg_restore --single-transaction\` of the plain dump file | ${s(r.pgrestore)} | 1.00 | ${restores.pgrestore.map(s).join(', ')} |
| action \`operation: restore\` (sha256 check, zstd -d, pg_restore --single-transaction from a pipe) | ${s(r.action)} | ${(r.action / r.pgrestore).toFixed(2)} | ${restores.action.map(s).join(', ')} |

## A database that compresses like real data

\`events\`: 2,000,000 rows of random hex text (${mb(textBytes)} on disk; compresses about 2:1), ${TEXT_RUNS} runs.

| Method | Median | Ratio to pg_dump -Fc | Backup size | Runs |
| --- | ---: | ---: | ---: | --- |
| \`pg_dump -Fc -f file\` | ${s(tm.pgdump)} | 1.00 | ${mb(textSizes.pgdump)} | ${textRows.pgdump.map(s).join(', ')} |
| action, \`compression: zstd\` (auto) | ${s(tm.zstd)} | **${(tm.zstd / tm.pgdump).toFixed(2)}** | ${mb(textSizes.zstd)} | ${textRows.zstd.map(s).join(', ')} |
| action, \`compression: gzip\` | ${s(tm.gzip)} | ${(tm.gzip / tm.pgdump).toFixed(2)} | ${mb(textSizes.gzip)} | ${textRows.gzip.map(s).join(', ')} |

## Where the time goes (zstd, medians)

Target ≤ 1.10 × \`pg_dump -Fc\`, start-up included: ${m.zstd / m.pgdump <= 1.1 ? 'met' : 'not met'} on this run (${(m.zstd / m.pgdump).toFixed(2)}).
The action takes ${s(m.zstd - m.pgdump)} longer than \`pg_dump -Fc\`:

- ${s(m.shell - m.pgdump)}: the data path itself — the shell floor \`pg_dump -Z0 | zstd\` (no pg_wrapper) against
  \`pg_dump -Fc\` (through pg_wrapper, as typed);
- ${s(m.node)}: Node's own start-up (\`node -e 0\`);
- ${s(m.dry - m.node)}: loading the bundle and parsing the inputs (dry-run minus Node);
- ${m.zstd - m.shell - m.dry > 0 ? s(m.zstd - m.shell - m.dry) : `none measurable (${s(m.zstd - m.shell - m.dry)}, within the noise)`}: the rest — spawning pg_dump and zstd from Node, hashing,
  reading the archive header and zstd's version banner, the manifest, process exit.

## Reading these numbers

- pgbench data is extremely compressible (≈ ${mb(rawDump)} of uncompressed dump → 1–4 MB), so \`pg_dump -Fc\` spends
  little time compressing and the baseline is short; the action's fixed costs (Node start-up and
  loading its bundle) weigh more here than on a database whose dump takes minutes.
- pg_dump starts as soon as the inputs are parsed: its own connection is the probe. The server's
  and pg_dump's versions are read from the archive's header (decompressing only its first 64 KiB
  of the zstd stream); \`psql\` runs only when the dump fails, to turn an unreachable database, a
  wrong password or a missing database into the same input error. No \`pg_dump --version\` runs:
  on Debian and Ubuntu \`pg_dump\` is a Perl wrapper (\`pg_wrapper\`) whose start costs more CPU
  than Node's, and two of them beside the dump cost the action about 0.05 s here. For the same
  reason the action starts \`/usr/lib/postgresql/<newest>/bin/pg_dump\` itself where the wrapper
  would pick exactly that (a database URL with a host: docs/backup-guarantees.md); the baseline
  row is \`pg_dump\` as a user types it, through the wrapper, and the row below it the binary.
  age-encryption, \`@actions/glob\` and the artifact client are loaded only by the runs that use them.
- The "shell" row is the same data path without Node (\`pg_dump -Z0 | zstd\`): moving the
  uncompressed dump through a pipe to a second process costs about what zlib saves when two
  shared cores are already busy. The uncompressed bytes never pass through Node (zstd reads
  pg_dump's pipe directly; on restore, Node feeds zstd the compressed file — counting it for the
  progress lines — and pg_restore reads zstd's pipe directly), and the sha256 is computed as the
  backup is written, never by reading it again.
- On data that compresses like real data (the second table), compression is the cost that
  matters: \`pg_dump -Fc\` compresses with single-threaded zlib inside pg_dump, while the action
  runs zstd on both cores beside it. gzip in Node's thread pool matches \`pg_dump -Fc\`.
- Memory does not grow with the database: ${memory
  .map(row => `${mb(row.rss)} at scale ${row.scale}`)
  .join(
    ', '
  )} (peak RSS), while the dump grows ${memory[1] ? (memory[1].rawDump / memory[0].rawDump).toFixed(1) : 1}×.
- Both sides wait on the server: \`COPY pgbench_accounts TO STDOUT\` alone (psql to /dev/null)
  takes as long as \`pg_dump -Fc\`, so the dump's own work hides behind the server's, and what
  the action adds is its start (Node, the bundle, the spawns) and its end. That is a fixed cost:
  its share shrinks as the database grows (see scale ${RSS_SCALE} above).
- The machine is shared with other work (see the load average): the same command varies by
  tens of percent between runs. Compare medians, and re-run on a quiet machine before drawing
  conclusions within ~15 %.
`
function psqlVersion() {
  try {
    return exec('psql', ['--version']).replace(/^psql \(PostgreSQL\) /, '')
  } catch {
    return '?'
  }
}
writeFileSync(join(root, 'bench/results/backup.md'), report)
console.log(report)
