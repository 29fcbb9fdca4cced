#!/usr/bin/env node
// How long `slipway report` takes to read and measure a long Deployment history, and how many
// REST calls it makes: the CLI (the bundle) against its local ledger, so the figures include
// the HTTP round trips of every call (loopback) but no network latency. Run:
//   node packages/cli/build.mjs && node bench/report.mjs
// Not part of the test suite.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const bin = join(root, 'packages', 'cli', 'bin', 'slipway.mjs')
const MIN = 60_000

/** n deployments, one every 40 min up to now; every 50th fails, every 100th is rolled back. */
function ledger(n) {
  const data = {
    slipwayLedger: 1,
    nextId: 1,
    deployments: [],
    statuses: {},
    releases: [],
    assets: []
  }
  const start = Date.now() - n * 40 * MIN
  const iso = ms => new Date(ms).toISOString()
  const add = (at, payload, states) => {
    const id = data.nextId++
    data.deployments.push({
      id,
      ref: payload.version,
      sha: '0'.repeat(40),
      environment: 'production',
      payload,
      created_at: iso(at),
      task: 'deploy'
    })
    data.statuses[id] = states
      .map(([state, ms]) => ({ id: data.nextId++, state, description: '', created_at: iso(ms) }))
      .reverse()
    return id
  }
  for (let i = 0; i < n; i++) {
    const at = start + i * 40 * MIN
    const done = at + 10_000 + ((i % 10) + 1) * MIN
    const id = add(at, { version: `1.${i}.0`, strategy: 'canary' }, [
      ['in_progress', at + 10_000],
      [i % 50 === 7 ? 'failure' : 'success', done]
    ])
    if (i % 100 === 23)
      add(done + 5 * MIN, { version: `1.${i - 1}.0`, strategy: 'canary', rollback_of: id }, [
        ['in_progress', done + 5 * MIN + 10_000],
        ['success', done + 8 * MIN]
      ])
  }
  return data
}

const rows = []
for (const n of [100, 1000, 5000]) {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-report-'))
  mkdirSync(join(dir, '.slipway'))
  writeFileSync(join(dir, '.slipway', 'ledger.json'), JSON.stringify(ledger(n)))
  const started = process.hrtime.bigint()
  const run = spawnSync(
    process.execPath,
    [bin, 'report', '--window', 'all', '--max-deployments', '10000', '--json', '--quiet'],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME }
    }
  )
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  rmSync(dir, { recursive: true, force: true })
  if (run.status !== 0) throw new Error(run.stderr)
  const { outputs } = JSON.parse(run.stdout)
  const report = JSON.parse(outputs.report)
  rows.push([
    n,
    report.quality.deployments + report.quality.rollbacks,
    outputs['api-calls'],
    `${(ms / 1000).toFixed(2)} s`,
    `${outputs['success-rate']}%`
  ])
}
const table = [
  `# slipway report: reading a long history`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; the CLI bundle against its local ledger on loopback (\`node bench/report.mjs\`, ${new Date().toISOString().slice(0, 10)}). Wall time of the whole process (start-up, ~0.5 s, included).`,
  '',
  '| deployments | read (incl. rollbacks) | REST calls | wall time | success rate |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(r => `| ${r.join(' | ')} |`),
  '',
  'Calls are ceil(n/100) deployment pages + one status page per deployment (8 in parallel).',
  'Against api.github.com add its latency per call, divided by the 8-way parallelism.',
  ''
].join('\n')
console.log(table)
if (process.argv.includes('--write'))
  writeFileSync(join(root, 'bench', 'results', 'report.md'), table)
