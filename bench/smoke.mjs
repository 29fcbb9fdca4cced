#!/usr/bin/env node
// Benchmark of the smoke-test action, run as the runner runs it (`node dist/smoke-test/index.js`
// with INPUT_* variables, a fresh process each time):
//   100 HTTP checks against a local server whose routes answer after 20–200 ms (a fixed spread,
//   the same every run), at concurrency 100, 25, 10 and 1. For each: the checks stage's time
//   (the report's durationMs), the slowest single check, the sum of all checks' latencies, and the
//   parallel efficiency = ideal time / measured time, where ideal = max(slowest, sum / concurrency).
//   Plus one short load check (3 s, 10 connections) for the load generator's own throughput here.
//
//   npm run build -- smoke-test && node bench/smoke.mjs [--runs 5]
//
// Writes bench/results/smoke.md. Only 127.0.0.1 is contacted; every loop is bounded.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const bundle = join(root, 'dist', 'smoke-test', 'index.js')
const at = process.argv.indexOf('--runs')
const RUNS = Math.min(Math.max(at > 0 ? Number(process.argv[at + 1]) : 5, 1), 50)
const CHECKS = 100
const delayOf = i => 20 + ((i * 37) % 181) // 20..200 ms, spread evenly
const work = mkdtempSync(join(tmpdir(), 'slipway-bench-smoke-'))

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
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.toUpperCase()}`] = String(value)
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, [bundle], {
      cwd: work,
      env,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', chunk => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('close', code => {
      clearTimeout(timer)
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6
      const match = /^report<<(.+)\n([\s\S]*?)\n\1$/m.exec(readFileSync(output, 'utf8'))
      if (code !== 0 || !match) return reject(new Error(`exit ${code}: ${stderr.slice(-500)}`))
      resolve({ wallMs, report: JSON.parse(match[2]) })
    })
  })
}

const server = createServer((req, res) => {
  const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 0)
  setTimeout(
    () => {
      res.setHeader('content-type', 'application/json')
      res.end('{"status":"ok"}')
    },
    Math.min(ms, 1000)
  )
})
server.keepAliveTimeout = 10_000
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${server.address().port}`
const checks = Array.from(
  { length: CHECKS },
  (_, i) => `- {name: c${i}, url: "/d?ms=${delayOf(i)}&i=${i}", expect-json: {"$.status": ok}}`
).join('\n')

const delays = Array.from({ length: CHECKS }, (_, i) => delayOf(i))
const maxDelay = Math.max(...delays)
const totalDelay = delays.reduce((a, b) => a + b, 0)
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const rows = []
try {
  await runAction({ 'base-url': base, checks, concurrency: 100 }) // warm-up (disk cache, JIT of the bundle)
  for (const concurrency of [100, 25, 10, 1]) {
    const runs = concurrency === 1 ? Math.min(RUNS, 3) : RUNS
    const samples = []
    for (let run = 0; run < runs; run++) {
      const { wallMs, report } = await runAction({
        'base-url': base,
        checks,
        concurrency,
        timeout: '2m'
      })
      if (!report.passed) throw new Error(`run failed: ${report.message}`)
      const latencies = report.checks.map(c => c.latencyMs)
      const slowest = Math.max(...latencies)
      const sum = latencies.reduce((a, b) => a + b, 0)
      const ideal = Math.max(slowest, sum / concurrency)
      // The same bound from the server's delays alone: what the checks would take with no client overhead.
      const serverIdeal = Math.max(maxDelay, totalDelay / concurrency)
      samples.push({
        wallMs,
        checksMs: report.durationMs,
        slowest,
        sum,
        ideal,
        efficiency: ideal / report.durationMs,
        serverEfficiency: serverIdeal / report.durationMs
      })
    }
    const pick = key => median(samples.map(s => s[key]))
    rows.push({
      concurrency,
      runs,
      wall: pick('wallMs'),
      checks: pick('checksMs'),
      slowest: pick('slowest'),
      sum: pick('sum'),
      ideal: pick('ideal'),
      efficiency: pick('efficiency'),
      serverEfficiency: pick('serverEfficiency'),
      all: samples.map(s => Math.round(s.checksMs))
    })
    console.log(
      `concurrency ${concurrency}: checks ${Math.round(pick('checksMs'))} ms, slowest ${Math.round(pick('slowest'))} ms, efficiency ${(pick('efficiency') * 100).toFixed(0)}%`
    )
  }
  const load = await runAction({
    url: `${base}/d?ms=0`,
    'load-duration': '3s',
    'load-connections': 10
  })
  const figures = load.report.load.figures
  console.log(`load: ${figures.requests} requests, ${figures.rps} req/s, p95 ${figures.p95Ms} ms`)

  const table = rows.map(
    r =>
      `| ${r.concurrency} | ${Math.round(r.checks)} ms | ${Math.round(r.slowest)} ms | ${Math.round(r.sum)} ms | ${Math.round(r.ideal)} ms | ${(r.efficiency * 100).toFixed(0)} % | ${Math.round(Math.max(maxDelay, totalDelay / r.concurrency))} ms | ${(r.serverEfficiency * 100).toFixed(0)} % | ${Math.round(r.wall)} ms | ${r.all.join(', ')} |`
  )
  const text = `# smoke-test benchmark

Machine: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${process.platform}. The machine is shared
with other engineers' builds and tests running at the same time, so single runs vary; medians are the figures to compare.

${CHECKS} HTTP checks (each also asserting \`$.status\` in the JSON body) against one local server on 127.0.0.1 whose
routes answer after 20–200 ms (the same spread every run; sum of server delays ${totalDelay} ms).
Every run is a fresh \`node dist/smoke-test/index.js\` process. "Checks stage" is the report's \`durationMs\` (first request to
last result, without Node's start-up); "slowest" and "sum" are over the checks' measured latencies. Ideal =
max(slowest, sum / concurrency): the time a perfect scheduler would need for the latencies as measured. Efficiency =
ideal / checks stage. The stricter "ideal from server delays" uses the server's own delays (max 200 ms, sum ${totalDelay} ms)
instead: the gap to it is client-side cost (100 connections opened at once, JSON parsing, 2 shared cores), which also
inflates the measured latencies at high concurrency.
Median of ${RUNS} runs (3 at concurrency 1) after one warm-up.

| concurrency | checks stage | slowest check | sum of latencies | ideal | parallel efficiency | ideal from server delays | efficiency vs server delays | process wall time | checks stage per run (ms) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${table.join('\n')}

Load check, same machine (autocannon in-process, 3 s, 10 connections, server answering at once):
${figures.requests} requests, ${figures.rps} req/s, p50 ${figures.p50Ms} ms, p95 ${figures.p95Ms} ms, p99 ${figures.p99Ms} ms, ${(figures.errorRate * 100).toFixed(1)} % errors.
The load generator and the server share the 2 cores, so this is the generator's ceiling here, not the server's.

Reproduce: \`npm run build -- smoke-test && node bench/smoke.mjs\`.
`
  writeFileSync(join(root, 'bench', 'results', 'smoke.md'), text)
  console.log('wrote bench/results/smoke.md')
} finally {
  server.closeAllConnections()
  server.close()
  rmSync(work, { recursive: true, force: true })
}
