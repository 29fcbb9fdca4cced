#!/usr/bin/env node
// Benchmark of the preflight-check action, run as the runner runs it (`node dist/preflight-check/index.js`
// with INPUT_* variables, fresh process each time):
//   1. cold start: a dry run of 10 declared checks (parse inputs, validate, write summary and outputs),
//      beside `node -e ''` as the floor that no Node action can go below;
//   2. 50 HTTP checks against a local server that answers after 50 ms: all in parallel
//      (max-parallel 50), and one at a time (max-parallel 1) to show what parallelism buys.
//
//   npm run build -- preflight-check && node bench/preflight.mjs [--runs 15]
//
// Writes bench/results/preflight.md. Only 127.0.0.1 is contacted; every loop is bounded.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const bundle = join(root, 'dist', 'preflight-check', 'index.js')
const at = process.argv.indexOf('--runs')
const RUNS = Math.min(Math.max(at > 0 ? Number(process.argv[at + 1]) : 15, 10), 100)
const CHECKS = 50
const DELAY_MS = 50
const work = mkdtempSync(join(tmpdir(), 'slipway-bench-preflight-'))

/** One fresh process of the bundle; resolves with wall time and the parsed `report` output. */
function runAction(inputs) {
  const output = join(work, 'output')
  const summary = join(work, 'summary')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: work
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [bundle], {
      cwd: work,
      env,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', chunk => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('close', code => {
      clearTimeout(timer)
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) return reject(new Error(`exit ${code}: ${stderr}`))
      const match = /^report<<(.+)\n([\s\S]*?)\n\1$/m.exec(readFileSync(output, 'utf8'))
      resolve({ ms, report: match ? JSON.parse(match[2]) : undefined })
    })
  })
}

function runNode() {
  return new Promise(resolve => {
    const started = process.hrtime.bigint()
    spawn(process.execPath, ['-e', ''], { stdio: 'ignore' }).on('close', () =>
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6 })
    )
  })
}

async function measure(label, once) {
  await once() // warm-up: file system cache
  const runs = []
  for (let i = 0; i < RUNS; i++) runs.push(await once())
  const times = runs.map(run => run.ms).sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)]
  console.log(
    `${label}: median ${median.toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times.at(-1).toFixed(0)})`
  )
  return { label, runs, times, median }
}

const server = createServer((req, res) => setTimeout(() => res.end('{"status":"ok"}'), DELAY_MS))
server.keepAliveTimeout = 5000
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
const { port } = server.address()
let requests = 0
server.on('request', () => requests++)

const dryRunInputs = {
  'dry-run': 'true',
  'http-url': `http://127.0.0.1:${port}/health`,
  tcp: 'db.internal:5432, cache.internal:6379',
  dns: 'api.example.com',
  tls: 'api.example.com',
  'required-vars': 'DB_PASSWORD, DEPLOY_KEY',
  checks: [
    '- {type: disk, path: /, min-free: 2GiB}',
    '- {type: command, run: "true"}',
    '- {type: freeze, windows: [{cron: "0 18 * * 5", duration: 62h, timezone: Europe/Berlin}]}',
    '- {type: config-schema, file: c.yml, schema: s.json}'
  ].join('\n')
}
const httpChecks = Array.from(
  { length: CHECKS },
  (_, i) => `- {type: http, url: "http://127.0.0.1:${port}/health/${i}", expect-status: 200}`
).join('\n')

const results = []
results.push(await measure('node -e "" (floor)', runNode))
results.push(await measure('dry run, 10 checks', () => runAction(dryRunInputs)))
const before = requests
const parallel = await measure(`${CHECKS} HTTP checks, max-parallel ${CHECKS}`, () =>
  runAction({ checks: httpChecks, 'max-parallel': String(CHECKS) })
)
results.push(parallel)
const parallelRequests = requests - before
const sequential = await measure(`${CHECKS} HTTP checks, max-parallel 1`, () =>
  runAction({ checks: httpChecks, 'max-parallel': '1' })
)
results.push(sequential)
server.close()
server.closeAllConnections()
rmSync(work, { recursive: true, force: true })

const inner = run => run.report?.durationMs
const medianOf = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const row = (result, what) => {
  const checksMs = result.runs.map(inner).filter(value => value !== undefined)
  const checksCell = checksMs.length > 0 ? `${medianOf(checksMs)} ms` : '—'
  return `| ${result.label} | ${what} | ${result.median.toFixed(0)} ms | ${checksCell} | ${result.times.map(t => t.toFixed(0)).join(', ')} |`
}
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${process.platform}`
const markdown = `# preflight-check benchmark

Machine: ${machine}. The machine is shared with other jobs (other engineers' builds and tests ran
at the same time), so single runs vary; medians are the figures to compare.

Every row is a fresh \`node dist/preflight-check/index.js\` process with \`INPUT_*\` variables, as
the runner starts it: wall time from spawn to exit, median of ${RUNS} runs after one warm-up.
"Checks" is the report's \`durationMs\` — parsing inputs to the last result, without Node's start-up.
The HTTP server is on 127.0.0.1 and answers every request after ${DELAY_MS} ms.

| run | what | median wall time | median checks time | runs (ms, sorted) |
| --- | --- | ---: | ---: | --- |
${row(results[0], 'Node start-up alone: the floor for any JavaScript action')}
${row(results[1], 'cold start: parse and validate 10 checks, plan, summary, outputs; nothing runs')}
${row(parallel, `${CHECKS} HTTP checks at once (${parallelRequests / (RUNS + 1)} requests per run)`)}
${row(sequential, `the same ${CHECKS} checks one at a time`)}

Parallel speed-up on the checks themselves: ${(medianOf(sequential.runs.map(inner)) / medianOf(parallel.runs.map(inner))).toFixed(1)}× (${CHECKS} × ${DELAY_MS} ms of server time).

Reproduce: \`npm run build -- preflight-check && node bench/preflight.mjs\`.
`
writeFileSync(join(root, 'bench', 'results', 'preflight.md'), markdown)
console.log(`\nwrote bench/results/preflight.md`)
