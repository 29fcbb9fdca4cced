#!/usr/bin/env node
// Routers benchmark: failed requests and switch latency of blue-green, canary and rolling
// cutovers, through nginx (reload to change the upstream) and HAProxy (runtime API, no reload),
// side by side in one run, under load from two NON-retrying clients:
//   - autocannon (16 keep-alive connections, pipelining 1);
//   - node:http with a keep-alive Agent (16 sockets, paced): an HTTP-conforming client.
//
//   node bench/routers.mjs [--rate 2000] [--out bench/results/routers.md]
//
// The router helpers of test/services (HAProxy uses @slipway/haproxy) are bundled with ncc
// into a temp dir first (Node 20 cannot run TypeScript). Every run is bounded: about 2 minutes.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : fallback
}
const RATE = Number(option('rate', '2000'))
const OUT = option('out', join(root, 'bench/results/routers.md'))
const STEP_MS = 1000

// ---------- bundle the helpers ----------
const work = mkdtempSync(join(tmpdir(), 'slipway-bench-routers-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))
writeFileSync(
  join(work, 'tsconfig.json'),
  JSON.stringify({
    extends: join(root, 'tsconfig.json'),
    compilerOptions: { module: 'ES2022', moduleResolution: 'Bundler' },
    include: ['*.ts']
  })
)
writeFileSync(
  join(work, 'entry.ts'),
  [
    `export { startHaproxy } from '${join(root, 'test/services/haproxy.ts')}'`,
    `export { startWeightedNginx as startNginx } from '${join(root, 'test/services/nginx.ts')}'`,
    `export { startVersionServer } from '${join(root, 'test/services/version-server.ts')}'`,
    `export { startTimedLoad as startLoad, startTimedAgentLoad as startAgentLoad, cutoverMs, shares, sleep } from '${join(root, 'test/services/timed-load.ts')}'`
  ].join('\n') + '\n'
)
const built = spawnSync(
  join(root, 'node_modules/.bin/ncc'),
  ['build', join(work, 'entry.ts'), '-o', join(work, 'out'), '--transpile-only', '--quiet'],
  {
    cwd: root,
    stdio: 'inherit',
    timeout: 180_000
  }
)
if (built.status !== 0) {
  console.error('ncc could not bundle the router helpers of test/services')
  process.exit(1)
}
const imported = await import(join(work, 'out/index.js'))
const lib = imported.startHaproxy ? imported : imported.default
const {
  startHaproxy,
  startNginx,
  startVersionServer,
  startLoad,
  startAgentLoad,
  cutoverMs,
  shares,
  sleep
} = lib

// ---------- routers behind one small interface ----------
const routers = {
  'nginx (reload)': async servers => {
    const nginx = await startNginx({
      servers: Object.fromEntries(servers.map(s => [s.name, s.address])),
      weights: Object.fromEntries(servers.map(s => [s.name, s.weight]))
    })
    return {
      url: nginx.url,
      setWeights: weights => nginx.setWeights(weights),
      drain: name => nginx.setWeights({ [name]: 0 }),
      // nginx shows no per-server session count: give old workers time to finish requests.
      waitDrained: () => sleep(500),
      setAddress: (name, port) => nginx.setAddress(name, `127.0.0.1:${port}`),
      ready: (name, weight) => nginx.setWeights({ [name]: weight }),
      stop: () => nginx.stop()
    }
  },
  // A new connection per request: no idle keep-alive connection for a reload to close.
  // Only meaningful with a client that honours `Connection: close` (autocannon does not).
  'nginx (reload, keepalive_timeout 0)': async servers => {
    const nginx = await startNginx({
      servers: Object.fromEntries(servers.map(s => [s.name, s.address])),
      weights: Object.fromEntries(servers.map(s => [s.name, s.weight])),
      keepaliveTimeout: 0
    })
    return {
      url: nginx.url,
      setWeights: weights => nginx.setWeights(weights),
      drain: name => nginx.setWeights({ [name]: 0 }),
      waitDrained: () => sleep(500),
      setAddress: (name, port) => nginx.setAddress(name, `127.0.0.1:${port}`),
      ready: (name, weight) => nginx.setWeights({ [name]: weight }),
      stop: () => nginx.stop()
    }
  },
  'HAProxy (runtime API)': async servers => {
    const haproxy = await startHaproxy({ name: 'app', servers })
    return {
      url: haproxy.url,
      setWeights: weights => haproxy.router.setWeights(weights),
      drain: name => haproxy.router.drain(name),
      waitDrained: name => haproxy.router.waitDrained(name, Date.now() + 5000),
      setAddress: (name, port) => haproxy.router.setAddress(name, '127.0.0.1', port),
      ready: name => haproxy.router.ready(name),
      stop: () => haproxy.stop()
    }
  }
}

const clients = ['autocannon', 'node:http agent']

function load(client, url, durationMs) {
  return client === 'autocannon'
    ? startLoad({ url, durationMs, rate: RATE })
    : startAgentLoad({ url, durationMs, rate: RATE })
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0
}

// ---------- strategies ----------
async function blueGreen(makeRouter, client) {
  const blue = await startVersionServer('v1')
  const green = await startVersionServer('v2')
  const router = await makeRouter([
    { name: 'blue', address: blue.address, weight: 100 },
    { name: 'green', address: green.address, weight: 0 }
  ])
  try {
    const switches = 3
    const run = load(client, router.url, (switches + 1) * STEP_MS)
    await sleep(600)
    const calls = []
    const cutovers = []
    for (let i = 0; i < switches; i++) {
      const to = i % 2 === 0 ? 'v2' : 'v1'
      const at = run.now()
      const t0 = Date.now()
      await router.setWeights(to === 'v2' ? { blue: 0, green: 100 } : { blue: 100, green: 0 })
      calls.push(Date.now() - t0)
      await sleep(STEP_MS - 100)
      cutovers.push(cutoverMs(run.samples(), at, to))
    }
    const result = await run.done
    return { result, changes: switches, calls, cutovers, note: '' }
  } finally {
    await router.stop()
    await blue.close()
    await green.close()
  }
}

async function canary(makeRouter, client) {
  const stable = await startVersionServer('v1')
  const next = await startVersionServer('v2')
  const router = await makeRouter([
    { name: 'stable', address: stable.address, weight: 100 },
    { name: 'canary', address: next.address, weight: 0 }
  ])
  try {
    const steps = [5, 25, 50, 100]
    const run = load(client, router.url, steps.length * STEP_MS + 600)
    await sleep(400)
    const calls = []
    const windows = []
    let lastAt = 0
    for (const step of steps) {
      lastAt = run.now()
      const t0 = Date.now()
      await router.setWeights({ canary: step, stable: 100 - step })
      calls.push(Date.now() - t0)
      const from = run.now() + 200
      await sleep(STEP_MS)
      windows.push({ step, from, to: run.now() })
    }
    const result = await run.done
    const measured = windows.map(w => `${w.step}→${shares(result.samples, w.from, w.to).v2 ?? 0}`)
    return {
      result,
      changes: steps.length,
      calls,
      cutovers: [cutoverMs(result.samples, lastAt, 'v2')],
      note: `share of v2 per step: ${measured.join(', ')} %`
    }
  } finally {
    await router.stop()
    await stable.close()
    await next.close()
  }
}

async function rolling(makeRouter, client) {
  const olds = await Promise.all([1, 2, 3].map(() => startVersionServer('r1')))
  const news = []
  const router = await makeRouter(
    olds.map((s, i) => ({ name: `web${i + 1}`, address: s.address, weight: 10 }))
  )
  try {
    const run = load(client, router.url, 6000)
    await sleep(500)
    const first = run.now()
    const calls = []
    for (let i = 0; i < 3; i++) {
      const name = `web${i + 1}`
      const t0 = Date.now()
      await router.drain(name)
      await router.waitDrained(name)
      await olds[i].close()
      const fresh = await startVersionServer('r2')
      news.push(fresh)
      await router.setAddress(name, fresh.port)
      await router.ready(name, 10)
      calls.push(Date.now() - t0)
      await sleep(300)
    }
    const result = await run.done
    return {
      result,
      changes: 3,
      calls,
      cutovers: [cutoverMs(result.samples, first, 'r2')],
      note: 'drain → wait drained → new version → ready, per server; latency = first drain → all responses new'
    }
  } finally {
    await router.stop()
    await Promise.all([...olds, ...news].map(s => s.close()))
  }
}

// ---------- run ----------
const strategies = {
  'blue-green (3 switches)': blueGreen,
  'canary 5/25/50/100': canary,
  'rolling, 3 servers': rolling
}
const rows = []
const started = Date.now()
for (const [strategyName, strategy] of Object.entries(strategies)) {
  for (const clientName of clients) {
    for (const [routerName, makeRouter] of Object.entries(routers)) {
      if (clientName === 'autocannon' && routerName.includes('keepalive_timeout 0')) continue
      const { result, changes, calls, cutovers, note } = await strategy(makeRouter, clientName)
      const row = {
        strategy: strategyName,
        client: clientName,
        router: routerName,
        rps: result.requestsPerSecond,
        responses: result.responses,
        failed: result.failed,
        detail: `${result.errors} errors ${JSON.stringify(result.errorCodes)}, ${result.lost} lost, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
        perChange: (result.failed / changes).toFixed(1),
        callMs: median(calls),
        cutoverMs: Math.max(...cutovers),
        afterClose: result.sentAfterClose,
        note
      }
      rows.push(row)
      console.log(JSON.stringify(row))
    }
  }
}
rmSync(work, { recursive: true, force: true })

// ---------- results table ----------
const version = (cmd, flag) => {
  const r = spawnSync(cmd, [flag], { encoding: 'utf8' })
  return `${r.stdout}${r.stderr}`.split('\n')[0].trim()
}
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${version('nginx', '-v')}, ${version('haproxy', '-v')}`
const lines = [
  '# Routers: failed requests and switch latency',
  '',
  `Machine: ${machine}. Shared with other work while it ran.`,
  `Run: \`node bench/routers.mjs --rate ${RATE}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round((Date.now() - started) / 1000)} s.`,
  '',
  `Load: 16 keep-alive connections, ${RATE} requests/s offered, NO retries. Backends: node HTTP servers answering their version.`,
  'nginx changes its upstream by rewriting the include, `nginx -t`, and a graceful reload (SIGHUP); HAProxy by `set server … weight/state/addr`',
  'on its admin socket (no reload), then writes the backend file (`haproxy -c`, rename) and the server-state file.',
  '',
  '- **failed** = connection errors + timeouts + non-2xx + requests lost when a connection closed under them (autocannon silently starts over on a new connection: counted here).',
  '- **written after close**: autocannon writes the next request on a connection whose response said `Connection: close` (a conforming client does not); not counted as failed, shown for honesty.',
  '- **switch call** = median time of one router change (HAProxy includes `haproxy -c` and writing the state file; nginx includes `nginx -t` and sending the reload).',
  '- **all-new after** = from the start of the change until the last response from an old version (worst change).',
  '- **failed per change**: a change is one switch (blue-green), one step (canary) or one server (rolling: nginx reloads twice per server, HAProxy sends drain, addr and ready on the socket).',
  '',
  '| strategy | client | router | req/s | responses | failed | failed per change | switch call (ms) | all-new after (ms) | written after close | failures |',
  '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|'
]
for (const r of rows) {
  lines.push(
    `| ${r.strategy} | ${r.client} | ${r.router} | ${r.rps} | ${r.responses} | **${r.failed}** | ${r.perChange} | ${r.callMs} | ${r.cutoverMs} | ${r.afterClose} | ${r.detail} |`
  )
}
const notes = [
  ...new Set(
    rows.filter(r => r.note).map(r => `- ${r.strategy}, ${r.client}, ${r.router}: ${r.note}`)
  )
]
lines.push('', '## Notes per run', '', ...notes, '')
writeFileSync(OUT, `${lines.join('\n')}\n`)
console.log(readFileSync(OUT, 'utf8'))
process.exit(0)
