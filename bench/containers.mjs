#!/usr/bin/env node
// The docker provider, measured: cutover under load, MTTR three ways, deploy wall time over 1, 3
// and 10 hosts, and the same cutover done by hand for comparison.
//
//   - cutover: blue-green v1 → v2 on 2 hosts behind one HAProxy, under a non-retrying keep-alive
//     load: failed requests, and how long both versions answered (from the first answer of the
//     new version to the last of the old one).
//   - by hand, same hosts, same HAProxy settings, same load: `docker stop old && docker run new`
//     on the one published port — what teams do without a deploy tool: failed requests and
//     downtime (first failed request → last failed request).
//   - MTTR: from the moment the rollback step starts (the failure is known) to the last answer
//     that was not the good version, for (a) warm route-back (the previous container still runs,
//     keep-previous 30m), (b) a stopped container started again (keep-previous 0: no pull, no
//     load), (c) a version whose container and image are gone, loaded from its archive.
//   - deploy wall time: a deploy over 1, 3 and 10 hosts, each host receiving and loading the
//     image archive (none has it before), all hosts in parallel.
//
// Each step is the action as the runner runs it (INPUT_*, GITHUB_OUTPUT, the GitHub emulator):
// the bundles in SLIPWAY_BENCH_DIST=<dir> if set, else dist/ when its bundles know the docker
// provider, else the actions' sources through tsx (slower to start; said in the results).
// Hosts are network namespaces with their own sshd and dockerd (test/services/netns-hosts.ts);
// needs root, docker.io, containerd, runc, busybox-static, haproxy and openssh-server.
//
//   node bench/containers.mjs [--rate 300] [--write]   (--write: bench/results/containers-<machine>.{md,json})
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, freemem, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'
import { register } from 'tsx/esm/api'

register()
const { startEmulator } = await import('../test/github-emulator/index.ts')
const { startHosts } = await import('../test/services/netns-hosts.ts')
const { startDockerd, buildBaseImage } = await import('../test/services/docker.ts')
const { startHaproxy } = await import('../test/services/haproxy.ts')
const { startTaggedLoad } = await import('../test/services/load.ts')

const root = new URL('..', import.meta.url).pathname
const argv = process.argv.slice(2)
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback
}
const RATE = Number(option('rate', '300'))
const HOST_COUNTS = [1, 3, 10]
const CONTAINER_PORT = 3000
const SERVER_CHECK = 'check inter 1s fastinter 250ms downinter 500ms rise 2 fall 3'
const started = Date.now()
const log = text =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${text}`)

if (process.getuid?.() !== 0) {
  console.error('bench/containers.mjs runs Docker Engine in network namespaces: run it as root.')
  process.exit(1)
}

// ---------- actions, run as the runner runs them ----------

const distDir = process.env.SLIPWAY_BENCH_DIST
const knowsDocker = file => existsSync(file) && readFileSync(file, 'utf8').includes('image-archive')
const from = distDir
  ? 'bundles built from this tree'
  : knowsDocker(join(root, 'dist', 'deploy-strategy', 'index.js'))
    ? 'the committed bundles (dist/)'
    : 'the actions’ sources through tsx'
function commandOf(action) {
  if (distDir) return [process.execPath, join(distDir, action, 'index.js')]
  const bundle = join(root, 'dist', action, 'index.js')
  if (knowsDocker(bundle)) return [process.execPath, bundle]
  return [
    join(root, 'node_modules', '.bin', 'tsx'),
    join(root, 'actions', action, 'src', 'index.ts')
  ]
}

const work = mkdtempSync(join(tmpdir(), 'slipway-bench-containers-'))
let runId = 9000
let gh
let sha

function readOutputs(file) {
  const outputs = {}
  const lines = readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (!heredoc) continue
    const body = []
    for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i])
    outputs[heredoc[1]] = body.join('\n')
  }
  return outputs
}

/** Runs one action; resolves with its exit code, outputs, start time and duration. */
function action(name, inputs) {
  const runner = mkdtempSync(join(work, `runner-${name}-`))
  const output = join(runner, 'output')
  const summary = join(runner, 'summary')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: work,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: runner,
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_API_URL: gh.url,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_SHA: sha,
    GITHUB_RUN_ID: String(++runId),
    GITHUB_RUN_ATTEMPT: '1',
    SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  }
  const [command, ...args] = commandOf(name)
  const startedAt = Date.now()
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    child.stdout.on('data', chunk => (text += chunk))
    child.stderr.on('data', chunk => (text += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({
        code,
        outputs: readOutputs(output),
        startedAt,
        ms: Date.now() - startedAt,
        log: text
      })
    })
  })
}

async function must(label, promise) {
  const run = await promise
  if (run.code !== 0) {
    const tail = run.log
      .split('\n')
      .filter(l => l && !l.startsWith('::add-mask::') && !l.startsWith('::debug::'))
      .slice(-25)
      .join('\n')
    throw new Error(`${label} failed (exit ${run.code}):\n${tail}`)
  }
  return run
}

// ---------- load: every answer with the time it was seen ----------

/** Non-retrying keep-alive load (node:http agent) and a 10 ms poll that timestamps answers. */
function observe(url) {
  const load = startTaggedLoad({ url, client: 'agent', rate: RATE, maxDurationMs: 300_000 })
  const answers = []
  const failures = []
  let seenA = 0
  let seenF = 0
  const take = () => {
    const now = Date.now()
    const a = load.answered()
    for (const x of a.slice(seenA)) answers.push({ ...x, at: now })
    seenA = a.length
    const f = load.failures()
    for (const x of f.slice(seenF)) failures.push({ ...x, at: now })
    seenF = f.length
  }
  const timer = setInterval(take, 10)
  return {
    load,
    answers,
    failures,
    async stop() {
      clearInterval(timer)
      take()
      const result = await load.stop()
      return result
    }
  }
}

const lastAt = (list, predicate) => list.filter(predicate).reduce((m, x) => Math.max(m, x.at), 0)
const firstAt = (list, predicate) =>
  list.filter(predicate).reduce((m, x) => Math.min(m, x.at), Infinity)
/** The longest time (ms) with no successful answer, between the first and the last one seen. */
function longestGap(answers) {
  const times = answers
    .filter(a => a.status >= 200 && a.status < 300)
    .map(a => a.at)
    .sort((a, b) => a - b)
  let gap = 0
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1])
  return gap
}
/** Failures that are the server's (not autocannon's write after `Connection: close`). */
const real = failures => failures.filter(f => f.kind !== 'after-close')

// ---------- setup ----------

const cleanups = []
const results = { machine: {}, cutover: {}, manual: {}, mttr: [], scale: [] }
let archiveMb
try {
  const maxHosts = Math.max(...HOST_COUNTS)
  log(`starting ${maxHosts} hosts (network namespaces, each with sshd + dockerd) and a builder`)
  const fleet = await startHosts(maxHosts)
  cleanups.push(() => fleet.stop())
  const builder = await startDockerd({ name: 'bench-builder' })
  cleanups.push(() => builder.stop())
  gh = await startEmulator({ owner: 'acme', repo: 'bench' })
  cleanups.push(() => gh.closeUnchecked())
  sha = gh.state.addCommit({ message: 'feat: bench' })

  // Four good versions of the example app, built from its Dockerfile and saved as archives.
  const base = await buildBaseImage(builder)
  const archives = {}
  mkdirSync(join(work, 'images'))
  for (const version of ['v1', 'v2', 'v3', 'v4']) {
    await builder.docker(
      [
        'build',
        '-q',
        '-f',
        join(root, 'examples', 'containers', 'Dockerfile'),
        '--build-arg',
        `BASE=${base}`,
        '--build-arg',
        `VERSION=${version}`,
        '-t',
        `shop:${version}`,
        join(root, 'examples', 'containers', 'app')
      ],
      { env: { DOCKER_BUILDKIT: '0' } }
    )
    archives[version] = join(work, 'images', `shop-${version}.tar`)
    await builder.docker(['save', '-o', archives[version], `shop:${version}`])
  }
  archiveMb = Math.round(readFileSync(archives.v1).length / 1e5) / 10
  log(`images shop:v1…v4 built and saved (${archiveMb} MB each, as a docker save tarball)`)

  /** HAProxy in front of `hosts`: a server per host and slot, as the docker provider names them. */
  async function router(hosts, hostPort) {
    const haproxy = await startHaproxy({
      name: 'slipway',
      lines: ['option httpchk GET /health'],
      servers: hosts.flatMap(host =>
        ['blue', 'green'].map(slot => ({
          name: `${host.name}-${slot}`,
          address: `${host.address}:${slot === 'blue' ? hostPort : hostPort + 1}`,
          options: SERVER_CHECK,
          weight: 0
        }))
      )
    })
    cleanups.push(() => haproxy.stop())
    return haproxy
  }

  function providerInputs(app, hosts, hostPort, haproxy) {
    return {
      environment: app,
      provider: 'docker',
      app,
      hosts: hosts.map(h => `${h.name} ssh=${h.ssh.destination} address=${h.address}`).join('\n'),
      port: String(CONTAINER_PORT),
      'host-port': String(hostPort),
      'publish-address': 'host',
      'health-timeout': '180s',
      'health-interval': '250ms',
      router: 'haproxy',
      'router-scope': 'fleet',
      'router-host': 'local',
      'haproxy-socket': haproxy.socket,
      'haproxy-config': haproxy.mainConfig,
      'haproxy-backend': 'slipway',
      'haproxy-backend-file': haproxy.backendFile,
      'haproxy-state-file': haproxy.stateFile,
      'haproxy-server-options': SERVER_CHECK,
      'haproxy-drain-timeout': '10s',
      'known-hosts': fleet.knownHosts,
      'ssh-private-key': fleet.privateKey,
      'github-token': gh.token
    }
  }
  const deploy = (base, version, extra = {}) =>
    action('deploy-strategy', {
      ...base,
      strategy: 'blue-green',
      version,
      'image-archive': archives[version],
      ...extra
    })

  // ---------- cutover, then MTTR (2 hosts) ----------

  const pair = fleet.hosts.slice(0, 2)
  const shopRouter = await router(pair, 8080)
  const shop = providerInputs('shop', pair, 8080, shopRouter)
  await must('deploy v1', deploy(shop, 'v1', { 'keep-previous': '30m' }))
  log('cutover: blue-green v1 → v2 on 2 hosts under load')
  {
    const seen = observe(shopRouter.url)
    await seen.load.waitForAnswers(0, 100, 30_000)
    const run = await must('deploy v2', deploy(shop, 'v2', { 'keep-previous': '30m' }))
    const mark = seen.load.mark()
    await seen.load.waitForAnswers(mark, 200, 30_000)
    await seen.stop()
    const firstNew = firstAt(seen.answers, a => a.version === 'v2')
    const lastOld = lastAt(seen.answers, a => a.version === 'v1')
    results.cutover = {
      requests: seen.answers.length + real(seen.failures).filter(f => f.kind !== 'status').length,
      failed: real(seen.failures).length,
      bothVersionsMs: Math.max(0, lastOld - firstNew),
      longestGapMs: longestGap(seen.answers),
      deployMs: run.ms,
      afterReturn: [...new Set(seen.answers.filter(a => a.seq >= mark).map(a => a.version))]
    }
    log(`  ${JSON.stringify(results.cutover)}`)
  }

  /** A rollback under load; MTTR = rollback start → last answer that was not `good`. */
  async function mttr(label, how, good, inputs, step = 'rollback') {
    const seen = observe(shopRouter.url)
    await seen.load.waitForAnswers(0, 100, 30_000)
    const run = await must(`${step} (${label})`, action(step, inputs))
    const mark = seen.load.mark()
    await seen.load.waitForAnswers(mark, 200, 30_000)
    await seen.stop()
    const bad = lastAt(seen.answers, a => a.version !== good)
    const lastFailure = lastAt(real(seen.failures), () => true)
    const recovered = Math.max(bad, lastFailure)
    const row = {
      step,
      case: label,
      how,
      mode: run.outputs.mode ?? '',
      mttrMs: Math.max(0, recovered - run.startedAt),
      rollbackStepMs: run.ms,
      failed: real(seen.failures).length,
      afterReturn: [...new Set(seen.answers.filter(a => a.seq >= mark).map(a => a.version))]
    }
    results.mttr.push(row)
    log(`  ${JSON.stringify(row)}`)
  }
  const rollbackInputs = extra => ({ ...shop, reason: 'bench', ...extra })

  if (!argv.includes('--no-mttr')) {
    log('MTTR (a): warm route-back to v1 (its container still runs)')
    await mttr(
      'warm route-back',
      'the previous container still runs (keep-previous 30m)',
      'v1',
      rollbackInputs({ version: 'v1' })
    )

    log('MTTR (b): a stopped container started again')
    await must('deploy v3', deploy(shop, 'v3', { 'keep-previous': '0' }))
    await mttr(
      'stopped container start',
      'its container was stopped and kept (keep-previous 0): docker start, no pull or load',
      'v1',
      rollbackInputs({ version: 'v1' })
    )

    log('MTTR (c): the container and the image are gone; load from the archive')
    await must('deploy v4', deploy(shop, 'v4', { 'keep-previous': '0' }))
    for (const host of pair) {
      const ids = (
        await host.docker([
          'ps',
          '-aq',
          '--filter',
          'label=slipway.app=shop',
          '--filter',
          'label=slipway.version=v1'
        ])
      )
        .split('\n')
        .filter(Boolean)
      if (ids.length) await host.docker(['rm', '-f', ...ids])
      await host.docker(['rmi', 'shop:v1'])
    }
    await mttr(
      'load from the archive',
      'no container, no image on the hosts: ship and load the archive, run, gate, route (measured as deploy-strategy of v1, see below)',
      'v1',
      // The rollback action runs the reference its Deployment recorded (shop:v1) and pulls it
      // rather than loading an image-archive it is given, and there is no registry here: the same
      // work (ship and load the archive, run, gate, switch) is measured as the deploy step that
      // redeploys v1 from its archive.
      { ...shop, strategy: 'blue-green', version: 'v1', 'image-archive': archives.v1 },
      'deploy-strategy'
    )
  }

  // ---------- by hand: docker stop old && docker run new, same load, HAProxy settings ----------

  log('by hand: docker stop && docker run on one published port, same HAProxy settings, same load')
  {
    const host = fleet.hosts[0]
    await host.docker(['load', '-q', '-i', archives.v1])
    await host.docker(['load', '-q', '-i', archives.v2])
    const port = 9090
    const haproxy = await startHaproxy({
      name: 'manual',
      lines: ['option httpchk GET /health'],
      servers: [
        { name: 'web', address: `${host.address}:${port}`, options: SERVER_CHECK, weight: 100 }
      ]
    })
    cleanups.push(() => haproxy.stop())
    const publish = `${host.address}:${port}:${CONTAINER_PORT}`
    await host.docker(['run', '-d', '--name', 'manual-v1', '-p', publish, 'shop:v1'])
    // wait until HAProxy routes to it (bounded)
    for (let i = 0; i < 200; i++) {
      const ok = await fetch(haproxy.url, { signal: AbortSignal.timeout(1000) })
        .then(r => r.ok)
        .catch(() => false)
      if (ok) break
      await new Promise(r => setTimeout(r, 100))
    }
    const seen = observe(haproxy.url)
    await seen.load.waitForAnswers(0, 100, 30_000)
    const t0 = Date.now()
    const code = await new Promise(resolve => {
      const child = spawn(
        'bash',
        [
          '--norc',
          '-c',
          'docker stop manual-v1 >/dev/null && docker run -d --name manual-v2 -p "$PUBLISH" shop:v2 >/dev/null'
        ],
        {
          env: {
            PATH: process.env.PATH,
            DOCKER_HOST: host.dockerHost,
            DOCKER_CONFIG: join(work, 'docker-cli'),
            PUBLISH: publish
          },
          stdio: 'inherit'
        }
      )
      child.on('close', resolve)
    })
    const scriptMs = Date.now() - t0
    if (code !== 0) throw new Error(`the manual docker stop && docker run exited ${code}`)
    // the gap lasts until HAProxy's check sees the new container UP: wait for its first answer
    // (bounded), then for 200 more, so the whole gap is inside the measurement
    for (let i = 0; i < 600 && !seen.answers.some(a => a.version === 'v2'); i++)
      await new Promise(r => setTimeout(r, 100))
    await seen.load.waitForAnswers(seen.load.mark(), 200, 60_000)
    await seen.stop()
    const failures = real(seen.failures)
    const firstNew = firstAt(seen.answers, a => a.version === 'v2')
    results.manual = {
      requests: seen.answers.length + failures.filter(f => f.kind !== 'status').length,
      failed: failures.length,
      longestGapMs: longestGap(seen.answers),
      downtimeMs: failures.length
        ? lastAt(failures, () => true) - firstAt(failures, () => true)
        : 0,
      toNewMs: firstNew - t0,
      scriptMs,
      kinds: failures.reduce(
        (m, f) => ({ ...m, [`${f.kind} ${f.code}`]: (m[`${f.kind} ${f.code}`] ?? 0) + 1 }),
        {}
      )
    }
    log(`  ${JSON.stringify(results.manual)}`)
  }

  // ---------- deploy wall time over 1, 3 and 10 hosts ----------

  for (const [i, n] of HOST_COUNTS.entries()) {
    const hosts = fleet.hosts.slice(0, n)
    // no host has the images before: each deploy ships and loads the archive everywhere
    for (const host of hosts) {
      const ids = (await host.docker(['ps', '-aq'])).split('\n').filter(Boolean)
      if (ids.length) await host.docker(['rm', '-f', ...ids])
      const images = (await host.docker(['images', '-q'])).split('\n').filter(Boolean)
      if (images.length) await host.docker(['rmi', '-f', ...new Set(images)])
    }
    const hostPort = 8200 + i * 10
    const haproxy = await router(hosts, hostPort)
    const app = `fleet${n}`
    const inputs = providerInputs(app, hosts, hostPort, haproxy)
    log(`deploy wall time: ${n} host(s)`)
    const first = await must(
      `deploy v1 to ${n} hosts`,
      deploy(inputs, 'v1', { 'keep-previous': '30m' })
    )
    const row = { hosts: n, deployMs: first.ms }
    results.scale.push(row)
    log(`  ${JSON.stringify(row)}`)
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined)
  rmSync(work, { recursive: true, force: true })
}

// ---------- results ----------

const version = program =>
  new Promise(resolve => {
    const child = spawn(program[0], program.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', c => (out += c))
    child.stderr.on('data', c => (out += c))
    child.on('close', () => resolve(out.split('\n')[0].trim()))
    child.on('error', () => resolve('?'))
  })
const osRelease = existsSync('/etc/os-release')
  ? (/^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux')
  : 'Linux'
results.machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model.trim(),
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  freeGiBAtStart: Math.round(freemem() / 2 ** 30),
  os: osRelease,
  node: process.version,
  docker: await version(['dockerd', '--version']),
  haproxy: (await version(['haproxy', '-v'])).replace(/ \d{4}\/\d{2}\/\d{2}.*$/, ''),
  actionsFrom: from,
  rate: RATE,
  seconds: Math.round((Date.now() - started) / 1000)
}

const s = ms => `${(ms / 1000).toFixed(1)} s`
const { cutover, manual, mttr, scale } = results
const ratio = (a, b) =>
  b === 0 ? (a === 0 ? 'equal (0 and 0)' : `${a} vs 0`) : `${(a / b).toFixed(1)}×`
const perHost =
  scale.length >= 2
    ? (scale.at(-1).deployMs - scale[0].deployMs) / (scale.at(-1).hosts - scale[0].hosts)
    : undefined
const m = results.machine
const md = [
  '# Containers: cutover, MTTR and deploy time with the docker provider',
  '',
  `\`node bench/containers.mjs --rate ${RATE} --write\` (${m.seconds} s). Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, ${m.docker}, ${m.haproxy}. Shared with other work while it ran. Actions ran from ${m.actionsFrom}.`,
  '',
  `Hosts are network namespaces on one machine, each with its own sshd and Docker Engine; Slipway reaches them over SSH (host keys verified) and moves traffic with HAProxy's runtime API (one HAProxy in front of the fleet, a server per host and slot, HAProxy's own HTTP check on /health). The image is the example app (\`examples/containers/Dockerfile\`), shipped as a \`docker save\` archive of ${archiveMb} MB. Load: ${RATE} requests/s over 16 keep-alive connections (node:http agent), **never retried**; every failed request is counted.`,
  '',
  '## Cutover: blue-green v1 → v2 on 2 hosts, and the same change by hand',
  '',
  '| how | requests | failed | failures from first to last | longest time without a successful answer | both versions answered for | wall time |',
  '|---|---:|---:|---:|---:|---:|---:|',
  `| Slipway, blue-green (HAProxy weights) | ${cutover.requests} | **${cutover.failed}** | — | ${cutover.longestGapMs} ms | ${cutover.bothVersionsMs} ms | ${s(cutover.deployMs)} (load archive, run, gate, switch) |`,
  `| by hand: \`docker stop old && docker run new\` on the same port | ${manual.requests} | **${manual.failed}** | ${manual.downtimeMs} ms | ${manual.longestGapMs} ms | — (a gap instead) | ${s(manual.scriptMs)} (first answer from v2 ${s(manual.toNewMs)} after the command started) |`,
  '',
  `Ratios, by hand ÷ Slipway: failed requests ${ratio(manual.failed, cutover.failed)}, longest time without a successful answer ${ratio(manual.longestGapMs, cutover.longestGapMs)} (${manual.longestGapMs} ms against ${cutover.longestGapMs} ms; at ${RATE} requests/s answers normally come every few ms). By hand, HAProxy holds and retries some requests while the port is closed, so the gap is longer than the span of failures. By hand the failures were ${
    Object.entries(manual.kinds ?? {})
      .map(([k, v]) => `${v} × ${k}`)
      .join(', ') || 'none'
  }. After Slipway's step returned, every answer came from ${cutover.afterReturn.join(', ')}.`,
  '',
  '## MTTR: rollback step started → 100 % of answers from the good version',
  '',
  '| case | what the rollback found | how it recovered | MTTR | rollback step (whole, incl. records and smoke) | failed requests |',
  '|---|---|---|---:|---:|---:|',
  ...mttr.map(
    r =>
      `| ${r.case} | ${r.how} | ${r.mode || r.step} | **${s(r.mttrMs)}** | ${s(r.rollbackStepMs)} | ${r.failed} |`
  ),
  '',
  'MTTR is measured from the moment the rollback step is started (the failure is known) to the last answer from any other version, on the same non-retrying load; it includes starting the action, reading the Deployment history, reading what runs on every host over SSH and the health gate. The archive case is measured with deploy-strategy redeploying v1 from its archive: the rollback action, given `image-archive`, runs the reference its Deployment recorded (`shop:v1`) and tries to pull it, which fails without a registry (reported as a defect).',
  '',
  '## Deploy wall time over 1, 3 and 10 hosts',
  '',
  '| hosts | deploy (ship and load the archive on every host, run, gate, route) | per host |',
  '|---:|---:|---:|',
  ...scale.map(r => `| ${r.hosts} | ${s(r.deployMs)} | ${s(r.deployMs / r.hosts)} |`),
  '',
  perHost !== undefined
    ? `Each additional host adds about ${s(perHost)} to a deploy here (hosts work in parallel, \`parallel: 0\`; on ${m.cores} shared cores the ${scale.at(-1).hosts} dockerds compete for CPU, so real hosts, each with its own CPU, grow more slowly).`
    : '',
  ''
].join('\n')
console.log(`\n${md}`)
if (argv.includes('--write')) {
  const slug = `${m.cores}cpu-${Math.round(totalmem() / 2 ** 30)}gb`
  writeFileSync(join(root, 'bench', 'results', `containers-${slug}.md`), md)
  writeFileSync(
    join(root, 'bench', 'results', `containers-${slug}.json`),
    JSON.stringify(results, null, 2) + '\n'
  )
  console.log(`written: bench/results/containers-${slug}.md and .json`)
}
