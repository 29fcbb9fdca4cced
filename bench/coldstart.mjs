#!/usr/bin/env node
// Benchmark: cold start of every Slipway bundle against other actions' bundles, measured in
// the same run with the same harness. Each bundle runs as the runner runs it (`node <bundle>`,
// a fresh process) with the environment the runner gives a step (PATH, RUNNER_*, GITHUB_*) and
// no INPUT_* at all, which stops every bundle measured here at its first input error: the time
// to that error is what loading the bundle costs before it does any work. The GitHub API URL
// points at a loopback server that counts connections: a bundle that reached the network did
// not stop at its input error and fails the benchmark.
//
//   npm run build && node bench/coldstart.mjs [--runs 11] [--warmups 2] [--write] \
//     [--variant label=<dist dir>] [owner/name@commit=]<peer bundle>...
//
// A peer is named `owner/name@commit=<path to its entry file>`; without a name, the folder
// holding its action.yml gives it (`owner+name` becomes owner/name). Node's compile cache is
// switched off: every job on GitHub starts on a fresh machine without one.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { BUNDLES as OURS } from '../scripts/bundles.mjs'

const root = new URL('..', import.meta.url).pathname
const TARGET_RATIO = 0.65

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`)
  if (at < 0) return fallback
  const value = Number(args[at + 1])
  args.splice(at, 2)
  return value
}
const flag = name => {
  const at = args.indexOf(`--${name}`)
  if (at >= 0) args.splice(at, 1)
  return at >= 0
}
// --variant label=dir measures another build of our bundles in the same rounds (a build with a
// bundler setting under consideration, say), its rows named `slipway <action> (label)`.
const variants = []
for (let at = args.indexOf('--variant'); at >= 0; at = args.indexOf('--variant')) {
  const [label, dir] = args[at + 1].split('=')
  variants.push({ label, dir: resolve(dir) })
  args.splice(at, 2)
}
const RUNS = option('runs', 11)
const WARMUPS = option('warmups', 2)
const WRITE = flag('write')
const distDir = process.env.SLIPWAY_BENCH_DIST ?? join(root, 'dist')

function peerOf(spec) {
  const at = spec.indexOf('=')
  const [label, path] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [undefined, spec]
  const file = resolve(path)
  if (!existsSync(file)) throw new Error(`No such bundle: ${path}`)
  if (label) {
    const [repo, commit] = label.split('@')
    return { name: repo, repo, commit, file }
  }
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'action.yml'))) {
      const repo = basename(dir).replace('+', '/')
      return { name: repo, repo, commit: undefined, file }
    }
  }
  return { name: basename(file), repo: undefined, commit: undefined, file }
}

const peers = args.map(peerOf)
if (peers.length === 0) {
  console.error('Name at least one peer bundle: node bench/coldstart.mjs <peer bundle>...')
  process.exit(2)
}
const ours = [{ label: undefined, dir: distDir }, ...variants].flatMap(({ label, dir }) =>
  OURS.map(name => ({
    name: `slipway ${name}${label ? ` (${label})` : ''}`,
    file: join(dir, name, 'index.js'),
    variant: label
  }))
)
const missing = ours.filter(bundle => !existsSync(bundle.file))
if (missing.length > 0) {
  console.error(`Build first (npm run build): missing ${missing.map(b => b.file).join(', ')}`)
  process.exit(2)
}

/** Counts connections to the fake API: a bundle stopped at an input error opens none. */
async function apiTrap() {
  const server = createServer(socket => {
    server.connections += 1
    socket.destroy()
  })
  server.connections = 0
  await new Promise(done => server.listen(0, '127.0.0.1', done))
  return server
}

function runnerEnvironment(dir, apiUrl) {
  const workspace = join(dir, 'workspace')
  const event = join(dir, 'event.json')
  writeFileSync(event, '{}')
  const files = ['output', 'step_summary', 'env', 'path', 'state']
  for (const file of files) writeFileSync(join(dir, file), '')
  return {
    PATH: process.env.PATH,
    HOME: dir,
    CI: 'true',
    NODE_DISABLE_COMPILE_CACHE: '1',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'bench',
    RUNNER_TEMP: join(dir, 'temp'),
    RUNNER_TOOL_CACHE: join(dir, 'toolcache'),
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__run',
    GITHUB_ACTOR: 'octocat',
    GITHUB_ACTOR_ID: '1',
    GITHUB_API_URL: apiUrl,
    GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/octo-app',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_REPOSITORY_ID: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'bench',
    GITHUB_JOB: 'bench',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'step_summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
    GITHUB_STATE: join(dir, 'state')
  }
}

/** One cold run: wall time from spawn to exit, the exit code and the first error line. */
// CPU time (user + system) of each run, read by the process itself as it exits: on a busy
// machine it moves less than wall time, so its ratios are the steadier figure. The preload
// costs every bundle, the floor included, the same.
const cpuPreload = `const { writeFileSync } = require('node:fs')
process.on('exit', () => {
  const { user, system } = process.cpuUsage()
  writeFileSync(process.env.SLIPWAY_BENCH_CPU_LOG, String(user + system))
})
`

function runOnce(file, env, cwd) {
  return new Promise((done, fail) => {
    writeFileSync(env.SLIPWAY_BENCH_CPU_LOG, '')
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, file ? [file] : ['-e', '0'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', chunk => (output += chunk))
    child.stderr.on('data', chunk => (output += chunk))
    child.on('error', fail)
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      const cpuMs = Number(readFileSync(env.SLIPWAY_BENCH_CPU_LOG, 'utf8')) / 1000
      const error = output.split('\n').find(line => line.startsWith('::error'))
      done({ ms, cpuMs, code, error, output })
    })
  })
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const dir = mkdtempSync(join(tmpdir(), 'slipway-coldstart-'))
const trap = await apiTrap()
const env = runnerEnvironment(dir, `http://127.0.0.1:${trap.address().port}`)
writeFileSync(join(dir, 'cpu-preload.cjs'), cpuPreload)
env.NODE_OPTIONS = `--require ${join(dir, 'cpu-preload.cjs')}`
env.SLIPWAY_BENCH_CPU_LOG = join(dir, 'cpu')
const workspace = env.GITHUB_WORKSPACE
for (const sub of [workspace, env.RUNNER_TEMP, env.RUNNER_TOOL_CACHE]) {
  mkdirSync(sub, { recursive: true })
}

const bundles = [{ name: '`node -e 0` (floor)', file: undefined }, ...peers, ...ours]
const problems = []
// Round-robin: each round runs every bundle once, so a burst of load elsewhere on the machine
// falls on all of them alike instead of on whichever bundle happened to run then.
const times = new Map(bundles.map(bundle => [bundle, []]))
const cpuTimes = new Map(bundles.map(bundle => [bundle, []]))
const first = new Map()
for (let round = 0; round < WARMUPS + RUNS; round++) {
  for (const bundle of bundles) {
    const before = trap.connections
    const result = await runOnce(bundle.file, env, workspace)
    if (bundle.file) {
      if (!first.has(bundle)) first.set(bundle, result)
      if (result.code === 0 || !result.error)
        problems.push(`${bundle.name} did not fail at an input error (exit ${result.code})`)
      if (trap.connections > before)
        problems.push(`${bundle.name} reached the API before failing: not an input error`)
    }
    if (round >= WARMUPS) {
      times.get(bundle).push(result.ms)
      cpuTimes.get(bundle).push(result.cpuMs)
    }
  }
}
trap.close()
rmSync(dir, { recursive: true, force: true })

const peerMedian = median(peers.map(peer => median(times.get(peer))))
const peerCpuMedian = median(peers.map(peer => median(cpuTimes.get(peer))))
const fmt = ms => `${Math.round(ms)} ms`
const rows = bundles.map(bundle => {
  const ms = median(times.get(bundle))
  const ratio = ms / peerMedian
  const cpuMs = median(cpuTimes.get(bundle))
  const cpuRatio = cpuMs / peerCpuMedian
  const message = first.get(bundle)?.error?.replace(/^::error[^:]*::/, '') ?? ''
  const clipped = message.length > 110 ? `${message.slice(0, 110)}…` : message
  const ourOwn = bundle.name.startsWith('slipway ')
  const markOf = value => (ourOwn ? (value <= TARGET_RATIO ? ' ✓' : ' ✗') : '')
  return {
    bundle,
    ms,
    ratio,
    cpuMs,
    cpuRatio,
    clipped,
    ourOwn,
    mark: markOf(ratio),
    cpuMark: markOf(cpuRatio)
  }
})

for (const row of rows) {
  console.log(
    `${row.bundle.name.padEnd(44)} ${fmt(row.ms).padStart(7)} ${row.ratio.toFixed(2)}×${row.mark || '  '}  cpu ${fmt(row.cpuMs).padStart(7)} ${row.cpuRatio.toFixed(2)}×${row.cpuMark || '  '}  ${row.clipped.slice(0, 60)}`
  )
}
console.log(
  `peers' median: ${fmt(peerMedian)} wall, ${fmt(peerCpuMedian)} CPU; target for ours: ≤ ${TARGET_RATIO} × that`
)
const unique = [...new Set(problems)]
for (const problem of unique) console.error(`✗ ${problem}`)

if (WRITE) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  const cell = text => text.replace(/\|/g, '\\|').replace(/`/g, "'")
  const table = rows.map(
    row =>
      `| ${row.bundle.name} | ${fmt(row.ms)} | ${row.ratio.toFixed(2)}${row.mark} | ${fmt(row.cpuMs)} | ${row.cpuRatio.toFixed(2)}${row.cpuMark} | ${row.bundle.file ? cell(row.clipped) : ''} |`
  )
  const peerList = peers.map(
    peer => `- ${peer.repo ?? peer.name}${peer.commit ? ` at \`${peer.commit}\`` : ''}`
  )
  const oursOver = rows.filter(
    row => row.ourOwn && !row.bundle.variant && Math.min(row.ratio, row.cpuRatio) > TARGET_RATIO
  )
  const variantNote =
    variants.length === 0
      ? ''
      : `\nRows marked \`(label)\` are another build of the same sources measured in the same rounds: ${variants.map(v => `\`${v.label}\``).join(', ')}.\n`
  const markdown = `# Cold start: time to the first input error

\`node bench/coldstart.mjs <peer bundles>\` runs every bundle as the runner does (\`node <bundle>\`,
a fresh process) with the runner's environment (PATH, RUNNER_*, GITHUB_*) and no \`INPUT_*\`, so
each stops at its first input error, and none reached the API (a loopback server counted
connections). ${RUNS} runs after ${WARMUPS} warm-ups, round-robin over the bundles. Wall: median
from spawn to exit. CPU: median user + system time the process reports as it exits (a preload
every bundle gets alike); on a shared machine it moves less than wall time. Ratio: the bundle's
median over the median of the peers' medians (${fmt(peerMedian)} wall, ${fmt(peerCpuMedian)}
CPU); the target for Slipway's bundles is ≤ ${TARGET_RATIO}.

Node's compile cache is off (\`NODE_DISABLE_COMPILE_CACHE=1\`): every job on GitHub starts on a
fresh machine, so no run there would have one.

Machine: ${cpus().length} cores, ${cpu}, Node ${process.version}.
${variantNote}
| bundle | wall | ratio | CPU | ratio | first error line |
|---|---|---|---|---|---|
${table.join('\n')}

Peers (their committed bundles):

${peerList.join('\n')}

${oursOver.length === 0 ? `Every Slipway bundle (the committed build) is within ${TARGET_RATIO} × the peers' median by wall or CPU time.` : `Over the target by both wall and CPU time: ${oursOver.map(row => row.bundle.name).join(', ')}.`}
${unique.length > 0 ? `\nProblems:\n\n${unique.map(p => `- ${p}`).join('\n')}\n` : ''}`
  writeFileSync(join(root, 'bench', 'results', 'coldstart.md'), markdown)
  console.log('Wrote bench/results/coldstart.md')
}
if (unique.length > 0) process.exit(1)
