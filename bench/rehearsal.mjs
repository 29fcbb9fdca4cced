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
import { writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { exec, median, option, root, runBundle, startPostgres, timed } from './lib/postgres.mjs'

const SCALES = option('scales', '10,50').split(',').map(Number)
const RUNS = Number(option('runs', '1'))
// A migration that does real work on pgbench data: an index over 100,000 × scale rows and a
// column added to another table. Idempotent, so the deploy's own production run is a no-op
// once production has it; the rehearsal always runs it on the backup's (unmigrated) copy.
const MIGRATION =
  'create index if not exists pgbench_accounts_bid on pgbench_accounts (bid, abalance); alter table pgbench_history add column if not exists note text'

const { work, pgEnv, url, psql, stop } = await startPostgres('slipway-bench-rehearsal-')
const seconds = ms => `${(ms / 1000).toFixed(1)} s`

const runAction = (name, inputs, env) => runBundle(name, inputs, { work, env }).outputs

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
stop()
