#!/usr/bin/env node
// Benchmarks deploy-strategy as the runner runs it (node dist/deploy-strategy/index.js):
//   - cutover latency: the switch call (route-command / nginx config test+reload) → the last
//     response from the old version (every later response is the new one);
//   - route-back latency: blue-green back to the still-warm previous slot (what rollback does);
//   - failed requests under load (autocannon, 10 keep-alive connections, no retries) for
//     blue-green, canary (25,50,100) and rolling (3 hosts, batch 1);
// through two routers: a weight-switching proxy driven by the script provider (no reload) and
// a real nginx (reload). Writes bench/results/deploy.md. Needs root (nginx), curl, `npm run build -- deploy-strategy`.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import http from 'node:http'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'

const root = new URL('..', import.meta.url).pathname
const bundle = join(root, 'dist', 'deploy-strategy', 'index.js')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const work = mkdtempSync(join(tmpdir(), 'slipway-bench-deploy-'))
const sleep = ms => new Promise(r => setTimeout(r, ms))

const APP = `import http from 'node:http'
const version = process.env.VERSION
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(version + '\\n') })
server.keepAliveTimeout = 5000
server.listen(Number(process.env.PORT), '127.0.0.1')
process.on('SIGTERM', () => { server.close(() => process.exit(0)); server.closeIdleConnections(); setTimeout(() => process.exit(0), 3000).unref() })
`
const appFile = join(work, 'app.mjs')
writeFileSync(appFile, APP)

const START = [
  'set -e',
  'port=${SLIPWAY_ADDRESS##*:}',
  'pidfile="$STATE_DIR/$SLIPWAY_TARGET.pid"',
  'if [ -f "$pidfile" ]; then old=$(cat "$pidfile"); kill "$old" 2>/dev/null || true; for i in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.05; done; fi',
  'VERSION="$SLIPWAY_VERSION" PORT="$port" nohup node "$APP" >/dev/null 2>&1 &',
  'echo $! > "$pidfile"',
  'printf %s "$SLIPWAY_VERSION" > "$STATE_DIR/$SLIPWAY_TARGET.version"'
].join('\n')
const STOP =
  'pidfile="$STATE_DIR/$SLIPWAY_TARGET.pid"; [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; rm -f "$pidfile" "$STATE_DIR/$SLIPWAY_TARGET.version"; true'
const STAMP = 'date +%s%3N >> "$STATE_DIR/switch-times"'

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** A proxy whose weights change atomically on PUT /weights (smooth weighted round-robin). */
async function startProxy(backends, stateDir) {
  let weights = Object.fromEntries(Object.keys(backends).map(n => [n, 0]))
  let current = {}
  const pick = () => {
    let total = 0
    let best
    for (const [n, w] of Object.entries(weights)) {
      if (w <= 0) continue
      current[n] = (current[n] ?? 0) + w
      total += w
      if (best === undefined || current[n] > current[best]) best = n
    }
    if (best !== undefined) current[best] -= total
    return best
  }
  const proxy = http.createServer((req, res) => {
    const name = pick()
    if (!name) return res.writeHead(503).end()
    const [host, port] = backends[name].split(':')
    const up = http.request(
      { host, port, path: req.url, method: req.method, headers: req.headers, agent: false },
      a => {
        res.writeHead(a.statusCode, a.headers)
        a.pipe(res)
      }
    )
    up.on('error', () => (res.headersSent ? res.end() : res.writeHead(502).end()))
    req.pipe(up)
  })
  const control = http.createServer((req, res) => {
    if (req.method === 'PUT') {
      let body = ''
      req.on('data', c => (body += c))
      req.on('end', () => {
        for (const part of body.trim().split(',')) {
          const [n, w] = part.split('=')
          weights[n] = Number(w)
        }
        current = {}
        res.writeHead(204).end()
      })
      return
    }
    const lines = Object.keys(backends).map(n => {
      const f = join(stateDir, `${n}.version`)
      return `${n} ${existsSync(f) ? readFileSync(f, 'utf8') : '-'} ${weights[n]}`
    })
    res.writeHead(200).end(lines.join('\n') + '\n')
  })
  await new Promise(r => proxy.listen(0, '127.0.0.1', r))
  await new Promise(r => control.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${proxy.address().port}/`,
    control: `http://127.0.0.1:${control.address().port}`,
    close: () => {
      proxy.closeAllConnections()
      control.closeAllConnections()
      proxy.close()
      control.close()
    }
  }
}

async function startNginx() {
  const prefix = mkdtempSync(join(tmpdir(), 'slipway-bench-nginx-'))
  mkdirSync(join(prefix, 'tmp'))
  const port = await freePort()
  const upstream = join(prefix, 'upstream.conf')
  writeFileSync(
    upstream,
    'upstream slipway {\n    server 127.0.0.1:9 down;\n    server 127.0.0.1:10;\n}\n'
  )
  const conf = join(prefix, 'nginx.conf')
  writeFileSync(
    conf,
    `user root; worker_processes 1; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path ${prefix}/tmp/b; proxy_temp_path ${prefix}/tmp/p; fastcgi_temp_path ${prefix}/tmp/f; uwsgi_temp_path ${prefix}/tmp/u; scgi_temp_path ${prefix}/tmp/s;
  include ${upstream};
  server { listen 127.0.0.1:${port}; location / { proxy_pass http://slipway; } } }
`
  )
  const child = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' })
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/`).then(
        () => true,
        () => false
      )
    )
      break
    await sleep(50)
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    inputs: {
      provider: 'nginx',
      'nginx-upstream-file': upstream,
      'nginx-test-command': `${STAMP}; nginx -t -q -p '${prefix}' -c '${conf}'`,
      'nginx-reload-command': `nginx -s reload -p '${prefix}' -c '${conf}'`,
      'nginx-pid-file': join(prefix, 'nginx.pid'),
      'release-dir': join(prefix, 'releases'),
      'start-command': START,
      'stop-command': STOP
    },
    close: () => {
      child.kill('SIGTERM')
      setTimeout(() => rmSync(prefix, { recursive: true, force: true }), 1000)
    }
  }
}

function runDeploy(inputs, env) {
  const vars = {
    ...process.env,
    ...env,
    GITHUB_OUTPUT: join(work, 'out'),
    GITHUB_STEP_SUMMARY: join(work, 'summary')
  }
  for (const [k, v] of Object.entries(inputs)) vars[`INPUT_${k.toUpperCase()}`] = String(v)
  writeFileSync(vars.GITHUB_OUTPUT, '')
  const started = Date.now()
  return new Promise(resolve => {
    const child = spawn(process.execPath, [bundle], {
      env: vars,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', c => (out += c))
    child.stderr.on('data', c => (out += c))
    child.on('close', code => resolve({ code, out, ms: Date.now() - started }))
  })
}

function startLoad(url) {
  const samples = []
  let instance
  const done = new Promise((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: 10,
        duration: 120,
        timeout: 5,
        requests: [
          {
            method: 'GET',
            onResponse: (status, body) =>
              samples.push({ at: Date.now(), status, version: String(body).trim() })
          }
        ]
      },
      (error, result) => (error ? reject(error) : resolve(result))
    )
  })
  const started = Date.now()
  return {
    async stop() {
      instance.stop()
      const r = await done
      const seconds = (Date.now() - started) / 1000
      return {
        samples,
        requests: r.requests.total,
        failed: r.errors + r.timeouts + r.non2xx,
        rps: Math.round(r.requests.total / seconds)
      }
    }
  }
}

/** Last response from a version other than `to` after the switch stamp (ms). */
function cutover(samples, switchAt, to) {
  const late = samples.filter(s => s.at >= switchAt && s.version !== to && s.status < 300)
  return late.length ? late[late.length - 1].at - switchAt : 0
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const rows = []

async function benchRouter(label, router, slots, hosts, stateDir, baseInputs, hostInputs, env) {
  const stamps = () =>
    existsSync(join(stateDir, 'switch-times'))
      ? readFileSync(join(stateDir, 'switch-times'), 'utf8').trim().split('\n').map(Number)
      : []
  const targets = obj =>
    Object.entries(obj)
      .map(([n, a]) => `${n}=${a}`)
      .join('\n')
  const deploy = (inputs, addrs = slots) =>
    runDeploy(
      { ...(addrs === hosts ? hostInputs : baseInputs), targets: targets(addrs), ...inputs },
      env
    )
  const check = r => {
    if (r.code !== 0) throw new Error(`${label}: deploy failed:\n${r.out.slice(-2000)}`)
    return r
  }
  check(await deploy({ strategy: 'blue-green', version: 'v0', 'keep-previous': '30m' }))
  const bg = { cut: [], back: [], backStep: [], failed: 0, requests: 0, rps: [] }
  let live = 'v0'
  for (let i = 1; i <= ROUNDS; i++) {
    const next = `v${i}`
    const load = startLoad(router.url)
    await sleep(1000)
    check(await deploy({ strategy: 'blue-green', version: next, 'keep-previous': '30m' }))
    const switchAt = stamps().at(-1)
    await sleep(1000)
    const back = await deploy({ strategy: 'blue-green', version: live, 'keep-previous': '30m' }) // route back to the warm slot
    check(back)
    const backAt = stamps().at(-1)
    await sleep(1000)
    const r = await load.stop()
    bg.cut.push(
      cutover(
        r.samples.filter(s => s.at < backAt),
        switchAt,
        next
      )
    )
    bg.back.push(cutover(r.samples, backAt, live))
    bg.backStep.push(back.ms)
    bg.failed += r.failed
    bg.requests += r.requests
    bg.rps.push(r.rps)
    // leave the new version live for the next round
    check(await deploy({ strategy: 'blue-green', version: next, 'keep-previous': '30m' }))
    live = next
  }
  rows.push([
    label,
    'blue-green',
    `${median(bg.rps)}`,
    `${bg.failed} / ${bg.requests}`,
    `${median(bg.cut)} (max ${Math.max(...bg.cut)})`,
    `${median(bg.back)} (max ${Math.max(...bg.back)}); step ${(median(bg.backStep) / 1000).toFixed(1)} s`
  ])

  const ca = { cut: [], failed: 0, requests: 0, rps: [] }
  for (let i = 1; i <= ROUNDS; i++) {
    const next = `c${i}`
    const load = startLoad(router.url)
    await sleep(1000)
    check(
      await deploy({ strategy: 'canary', version: next, steps: '25,50,100', 'keep-previous': '0' })
    )
    const switchAt = stamps().at(-1)
    await sleep(1000)
    const r = await load.stop()
    ca.cut.push(cutover(r.samples, switchAt, next))
    ca.failed += r.failed
    ca.requests += r.requests
    ca.rps.push(r.rps)
  }
  rows.push([
    label,
    'canary 25→50→100',
    `${median(ca.rps)}`,
    `${ca.failed} / ${ca.requests}`,
    `${median(ca.cut)} (max ${Math.max(...ca.cut)}) at the final 100% step`,
    '—'
  ])

  check(await deploy({ strategy: 'rolling', version: 'r0' }, hosts))
  const ro = { failed: 0, requests: 0, rps: [], ms: [] }
  for (let i = 1; i <= ROUNDS; i++) {
    const load = startLoad(router.hostsUrl)
    await sleep(1000)
    const r0 = check(
      await deploy({ strategy: 'rolling', version: `r${i}`, 'batch-size': '1' }, hosts)
    )
    await sleep(1000)
    const r = await load.stop()
    ro.failed += r.failed
    ro.requests += r.requests
    ro.rps.push(r.rps)
    ro.ms.push(r0.ms)
  }
  rows.push([
    label,
    'rolling 3 hosts, batch 1',
    `${median(ro.rps)}`,
    `${ro.failed} / ${ro.requests}`,
    `— (rollout ${(median(ro.ms) / 1000).toFixed(1)} s)`,
    '—'
  ])
}

const started = Date.now()
try {
  // 1. script provider + weight-switching proxy (no reload)
  {
    const stateDir = join(work, 'script')
    mkdirSync(stateDir)
    const slots = { blue: `127.0.0.1:${await freePort()}`, green: `127.0.0.1:${await freePort()}` }
    const hosts = {
      web1: `127.0.0.1:${await freePort()}`,
      web2: `127.0.0.1:${await freePort()}`,
      web3: `127.0.0.1:${await freePort()}`
    }
    const slotProxy = await startProxy(slots, stateDir)
    const hostProxy = await startProxy(hosts, stateDir)
    // one router object per target set: the rolling round hits the host proxy
    const inputsFor = control => ({
      provider: 'script',
      'prepare-command': START,
      'retire-command': STOP,
      'route-command': `${STAMP}; curl -fsS -X PUT --data "$SLIPWAY_WEIGHTS" "${control}/weights"`,
      'current-command': `curl -fsS "${control}/current"`,
      'health-command': 'curl -fsS --max-time 1 "http://$SLIPWAY_ADDRESS/"',
      'health-interval': '50ms',
      'drain-delay': '500ms',
      'record-deployment': 'false'
    })
    const env = { STATE_DIR: stateDir, APP: appFile }
    // slots through slotProxy; rolling through hostProxy (separate control endpoint)
    const router = { url: slotProxy.url, hostsUrl: hostProxy.url }
    await benchRouter(
      'script + weight proxy (no reload)',
      router,
      slots,
      hosts,
      stateDir,
      inputsFor(slotProxy.control),
      inputsFor(hostProxy.control),
      env
    )
    slotProxy.close()
    hostProxy.close()
    spawnSync('bash', [
      '-c',
      `for f in "${stateDir}"/*.pid; do kill $(cat "$f") 2>/dev/null; done; true`
    ])
  }
  // 2. nginx provider (reload)
  {
    const stateDir = join(work, 'nginx')
    mkdirSync(stateDir)
    const nginx = await startNginx()
    const slots = { blue: `127.0.0.1:${await freePort()}`, green: `127.0.0.1:${await freePort()}` }
    const hosts = {
      web1: `127.0.0.1:${await freePort()}`,
      web2: `127.0.0.1:${await freePort()}`,
      web3: `127.0.0.1:${await freePort()}`
    }
    const env = { STATE_DIR: stateDir, APP: appFile }
    const base = {
      ...nginx.inputs,
      'health-path': '/',
      'health-interval': '50ms',
      'drain-delay': '500ms',
      'record-deployment': 'false'
    }
    await benchRouter(
      'nginx (reload per change)',
      { url: nginx.url, hostsUrl: nginx.url },
      slots,
      hosts,
      stateDir,
      base,
      base,
      env
    )
    nginx.close()
    spawnSync('bash', [
      '-c',
      `for f in "${stateDir}"/*.pid; do kill $(cat "$f") 2>/dev/null; done; true`
    ])
  }
} finally {
  setTimeout(() => rmSync(work, { recursive: true, force: true }), 1500)
}

const nginxVersion = spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim()
const table = [
  '| router | strategy | load (req/s, median) | failed / total requests | cutover ms: switch call → last old response (median) | route-back ms (median) |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(r => `| ${r.join(' | ')} |`)
].join('\n')
const md = `# deploy-strategy benchmark

\`node bench/deploy.mjs\` (${ROUNDS} rounds per scenario), ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared with other jobs; Node ${process.version}; ${nginxVersion}.
Load: autocannon, 10 keep-alive connections, loopback, **no retries** — every failure is counted.
Run time: ${((Date.now() - started) / 1000).toFixed(0)} s.

${table}

How to read it:

- **cutover** is measured from the moment the router is told to switch (the \`route-command\`
  call; for nginx the config test that immediately precedes the reload) to the last response
  still answered by the old version. For nginx it includes the reload and the old workers finishing.
- **route-back** is a blue-green deploy of the previous version while its slot is still warm
  (\`keep-previous\`): no prepare, one health check, one switch — what rollback does. The
  "step" time is the whole action run (node start, plan, health gate, switch).
- **router changes per scenario** (${ROUNDS} rounds): blue-green ${3 * ROUNDS} switches (deploy, route back,
  deploy again per round), canary ${3 * ROUNDS} weight changes, rolling ${6 * ROUNDS} (drain + re-enable per host).
  With nginx each change is one reload, so divide the failures by these counts for "per reload".
- **failed requests**: with the weight-switching proxy (no reload) the expected number is 0.
  With nginx every weight change is a reload, which closes idle keep-alive connections; a
  client reusing one at that instant gets a reset. Those failures are reported as measured,
  not retried away. HAProxy's runtime API (weights without reload) removes them.
`
writeFileSync(join(root, 'bench', 'results', 'deploy.md'), md)
console.log(md)
process.exit(0)
