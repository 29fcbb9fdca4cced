// `npm run demo:containers`: the whole Slipway procedure with the sample app as containers.
//
//   Two hosts (network namespaces, each with its own sshd and Docker Engine) behind one HAProxy.
//   The app's Dockerfile (examples/containers/Dockerfile) is built as v1, v2 and a broken v3 and
//   each saved as an image archive (no registry). Then, step by step as a workflow runs them:
//   preflight → backup (SQLite) → deploy v1 → blue-green v2 under load (failed requests
//   counted) → a canary of v3 whose analysis fails: Slipway puts the traffic back on v2 before
//   the step fails, and the rollback step records it. It ends with a report.
//
// Each step is the action itself (its committed bundle in dist/ when that bundle knows the docker
// provider, else its source through tsx), run as the Actions runner runs it: INPUT_* variables,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, and GITHUB_API_URL pointing at the GitHub emulator from
// test/github-emulator (this machine has no network). The hosts, the images and HAProxy come
// from test/services, the helpers the test suite uses.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../../test/github-emulator/index.js'
import { buildBaseImage } from '../../test/services/docker.js'
import { startHaproxy, type HaproxyInstance } from '../../test/services/haproxy.js'
import { startTaggedLoad, type TaggedLoad } from '../../test/services/load.js'
import { startHosts, type NetnsHosts } from '../../test/services/netns-hosts.js'

const root = new URL('../..', import.meta.url).pathname
const here = join(root, 'examples', 'containers')
const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text)
const bold = (t: string) => paint('1', t)
const dim = (t: string) => paint('2', t)
const green = (t: string) => paint('32', t)
const red = (t: string) => paint('31', t)
const yellow = (t: string) => paint('33', t)
const started = Date.now()
const clock = () => dim(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s]`)
const say = (text: string) => console.log(`${clock()} ${text}`)
const section = (text: string) => console.log(`\n${clock()} ${bold(`━━ ${text}`)}`)

const APP = 'shop'
const ENVIRONMENT = 'demo'
const CONTAINER_PORT = 3000
const HOST_PORT = 8080
/**
 * HAProxy checks each server itself (HTTP GET /health): traffic moves to a container only once
 * HAProxy, too, reports it UP — the gate's last step, through the path traffic takes.
 */
const SERVER_CHECK = 'check inter 1s fastinter 250ms downinter 500ms rise 2 fall 3'
/** Requests per second through HAProxy during the cutovers: enough to see a drop, light on 2 cores. */
const LOAD_RATE = 200

const releases = {
  v1: { greeting: 'Hello', broken: false },
  v2: { greeting: 'Hello and welcome', broken: false },
  v3: { greeting: 'Hi', broken: true }
} as const
type Version = keyof typeof releases

// ---------- resources, and their cleanup (also on Ctrl-C) ----------

const work =
  process.env.SLIPWAY_DEMO_WORK ?? mkdtempSync(join(tmpdir(), 'slipway-demo-containers-'))
const children: ChildProcess[] = []
let hosts: NetnsHosts | undefined
let haproxy: HaproxyInstance | undefined
let emulator: Emulator | undefined
const loads: TaggedLoad[] = []
let cleaning: Promise<void> | undefined

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
    for (const load of loads) await load.stop().catch(() => undefined)
    await haproxy?.stop().catch(() => undefined)
    await hosts?.stop().catch(() => undefined)
    await emulator?.closeUnchecked().catch(() => undefined)
    if (process.env.SLIPWAY_DEMO_KEEP === '1') say(`kept ${work}`)
    else rmSync(work, { recursive: true, force: true })
  })()
  return cleaning
}

// for the shell's safety net (scripts/demo-containers.sh), should tsx, our parent, be killed
if (process.env.SLIPWAY_DEMO_WORK) writeFileSync(join(work, 'demo.pid'), String(process.pid))

let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    interrupted = true
    console.log(`\n${signal}: stopping the hosts, HAProxy and the emulator…`)
    void cleanup().finally(() => process.exit(130))
  })

// ---------- running an action as the runner does ----------

interface StepRun {
  action: string
  exitCode: number | null
  outputs: Record<string, string>
  summaryFile: string
  seconds: number
}

/** The bundle when it was built with the docker provider, else the action's source via tsx. */
function commandOf(action: string): { argv: string[]; from: 'dist' | 'source' } {
  const bundle = join(root, 'dist', action, 'index.js')
  const forced = process.env.SLIPWAY_DEMO_FROM
  const bundleKnowsDocker =
    existsSync(bundle) && readFileSync(bundle, 'utf8').includes('image-archive')
  if (forced === 'dist' || (forced !== 'source' && bundleKnowsDocker))
    return { argv: [process.execPath, bundle], from: 'dist' }
  return {
    argv: [
      join(root, 'node_modules', '.bin', 'tsx'),
      join(root, 'actions', action, 'src', 'index.ts')
    ],
    from: 'source'
  }
}

function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const body: string[] = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i])
      outputs[heredoc[1]] = body.join('\n')
      continue
    }
    const plain = /^([^=]+)=(.*)$/.exec(lines[i])
    if (plain) outputs[plain[1]] = plain[2]
  }
  return outputs
}

function show(line: string): void {
  if (line.startsWith('::add-mask::') || line.startsWith('::debug::') || line.trim() === '') return
  const error = /^::error(?: [^:]*)?::(.*)$/.exec(line)
  if (error) return console.log(`          ${red(`✗ ${error[1].replace(/%0A/g, ' ')}`)}`)
  const warning = /^::warning(?: [^:]*)?::(.*)$/.exec(line)
  if (warning) return console.log(`          ${yellow(`! ${warning[1].replace(/%0A/g, ' ')}`)}`)
  const text = line.startsWith('✓')
    ? green(line)
    : line.startsWith('✗')
      ? red(line)
      : line.startsWith('▶')
        ? bold(line)
        : dim(line)
  console.log(`          ${text}`)
}

let runNumber = 200
let head = ''

async function step(
  action: string,
  label: string,
  inputs: Record<string, string>,
  gh: Emulator
): Promise<StepRun> {
  const runner = mkdtempSync(join(work, `runner-${action}-`))
  const files = { output: join(runner, 'output'), summary: join(runner, 'summary') }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: work,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: runner,
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_SHA: head,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: String(++runNumber),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'push',
    SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  }
  const { argv } = commandOf(action)
  console.log(`        ${bold(`▷ ${action}`)} ${dim(label)}`)
  const t0 = Date.now()
  const child = spawn(argv[0], argv.slice(1), {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  children.push(child)
  let buffer = ''
  const feed = (chunk: Buffer): void => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    lines.forEach(show)
  }
  child.stdout!.on('data', feed)
  child.stderr!.on('data', feed)
  const deadline = setTimeout(() => child.kill('SIGKILL'), 240_000)
  const exitCode = await new Promise<number | null>(resolve => child.on('close', resolve))
  clearTimeout(deadline)
  if (buffer) show(buffer)
  const summaryFile = join(work, 'summaries', `${runNumber}-${action}.md`)
  writeFileSync(summaryFile, readFileSync(files.summary, 'utf8'))
  return {
    action,
    exitCode,
    outputs: readOutputs(files.output),
    summaryFile,
    seconds: (Date.now() - t0) / 1000
  }
}

// ---------- load through HAProxy, with failures timed by when they were seen ----------

interface Observed {
  load: TaggedLoad
  /** ms (demo clock) when the first / last non-2xx or failed request was seen. */
  firstFailureAt?: number
  lastFailureAt?: number
  /** ms when the first / last answer of `watch` was seen. */
  firstWatchedAt?: number
  lastWatchedAt?: number
  stop(): Promise<void>
}

/** Starts the non-retrying load and a 20 ms poll that notes when failures and a version appear. */
function observe(url: string, watch?: string): Observed {
  const load = startTaggedLoad({ url, client: 'agent', rate: LOAD_RATE, maxDurationMs: 240_000 })
  loads.push(load)
  const seen = { answers: 0, failures: 0 }
  const observed: Observed = { load, stop: async () => undefined }
  const poll = setInterval(() => {
    const now = Date.now() - started
    const answers = load.answered()
    for (const answer of answers.slice(seen.answers)) {
      if (watch && answer.version === watch) {
        observed.firstWatchedAt ??= now
        observed.lastWatchedAt = now
      }
    }
    seen.answers = answers.length
    const failures = load.failures()
    if (failures.length > seen.failures) {
      observed.firstFailureAt ??= now
      observed.lastFailureAt = now
    }
    seen.failures = failures.length
  }, 20)
  observed.stop = async () => {
    clearInterval(poll)
    await load.stop()
  }
  return observed
}

// ---------- the demo ----------

interface Report {
  ok: boolean
  from: 'dist' | 'source'
  hosts: string[]
  router: string
  steps: {
    action: string
    label: string
    exitCode: number | null
    status: string
    seconds: number
  }[]
  live: string
  cutover: {
    version: string
    requests: number
    failed: number
    afterSwitch: Record<string, number>
  }
  canary: {
    version: string
    requests: number
    answeredByCanary: number
    failedStatus: number
    failedConnections: number
    mttrMs?: number
    afterFailure: Record<string, number>
  }
  rollback: { status: string; to: string; mode: string; seconds: number }
  backup: { id?: string; verified: boolean }
  containers: Record<string, string[]>
  deployments: { id: number; version: string; state: string }[]
  validationErrors: number
  seconds: number
}

const shares = (versions: string[]): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const v of versions) counts[v] = (counts[v] ?? 0) + 1
  return Object.fromEntries(
    Object.entries(counts).map(([v, n]) => [v, Math.round((n * 1000) / versions.length) / 10])
  )
}

async function main(): Promise<Report> {
  for (const dir of ['summaries', 'images', 'data', 'backups'])
    mkdirSync(join(work, dir), { recursive: true })
  const actions = ['preflight-check', 'backup', 'deploy-strategy', 'rollback']
  const from = actions.every(a => commandOf(a).from === 'dist') ? 'dist' : 'source'

  section('Setting up (two namespace hosts, HAProxy and the GitHub emulator; removed at the end)')
  hosts = await startHosts(2)
  // for the shell's safety net, should this process be killed before it cleans up
  writeFileSync(join(work, 'netns'), hosts.hosts.map(h => h.netns).join('\n') + '\n')
  writeFileSync(join(work, 'links'), `${hosts.bridge}\n`)
  for (const host of hosts.hosts)
    say(
      `Host ${host.name}: ${host.address}, sshd (host key in known_hosts) + its own Docker Engine`
    )
  emulator = await startEmulator({ owner: 'acme', repo: APP })
  const gh = emulator
  say(
    `GitHub: Slipway's emulator at ${gh.url} (no network here), checking every request against GitHub's OpenAPI description`
  )

  // The images: the team's Dockerfile, built once per version. No registry is reachable, so the
  // base is imported from this machine's node binary and busybox; the build runs on host1's
  // engine (standing in for the CI runner) and each image is saved as an archive — the artifact
  // Slipway ships — then removed from host1, so both hosts start without it.
  const builder = hosts.hosts[0]
  const base = await buildBaseImage(builder.dockerd)
  const archives = {} as Record<Version, string>
  for (const [version, facts] of Object.entries(releases) as [
    Version,
    (typeof releases)[Version]
  ][]) {
    const tag = `${APP}:${version}`
    await builder.docker(
      [
        'build',
        '-q',
        '-f',
        join(here, 'Dockerfile'),
        '--build-arg',
        `BASE=${base}`,
        '--build-arg',
        `VERSION=${version}`,
        '--build-arg',
        `GREETING=${facts.greeting}`,
        '--build-arg',
        `BROKEN=${facts.broken}`,
        '-t',
        tag,
        join(here, 'app')
      ],
      { env: { DOCKER_BUILDKIT: '0' } }
    )
    const file = join(work, 'images', `${APP}-${version}.tar`)
    await builder.docker(['save', '-o', file, tag])
    await builder.docker(['rmi', tag])
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex')
    writeFileSync(`${file}.sha256`, `${sha}  ${APP}-${version}.tar\n`)
    archives[version] = file
  }
  say(
    `Images: ${Object.keys(releases)
      .map(v => `${APP}:${v}`)
      .join(
        ', '
      )} built from examples/containers/Dockerfile and saved as archives (${yellow('v3 answers 500 on its page while /health stays 200')})`
  )

  // HAProxy in front of the fleet: a server per host and slot, named as the docker provider names
  // them (<host>-<slot>); containers publish on each host's address (publish-address: host).
  const servers = hosts.hosts.flatMap(host =>
    (['blue', 'green'] as const).map(slot => ({
      name: `${host.name}-${slot}`,
      address: `${host.address}:${slot === 'blue' ? HOST_PORT : HOST_PORT + 1}`,
      weight: 0,
      options: SERVER_CHECK
    }))
  )
  haproxy = await startHaproxy({ name: 'slipway', servers, lines: ['option httpchk GET /health'] })
  say(
    `Router: HAProxy ${haproxy.url}, servers ${servers.map(s => s.name).join(', ')}; Slipway changes their weights through the runtime API (no reload)`
  )

  const db = join(work, 'data', 'shop.db')
  const sql = (statement: string): string =>
    spawnSync('sqlite3', [db, statement], { encoding: 'utf8' }).stdout.trim()
  sql(
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, qty INTEGER NOT NULL); INSERT INTO orders (item, qty) VALUES ('tea', 2), ('coffee', 1), ('scones', 6);"
  )
  say(`Data: SQLite ${db} with ${sql('SELECT count(*) FROM orders')} orders`)
  head = gh.state.addCommit({ message: 'feat: the shop in a container' })

  // The docker provider's settings: the same for every deploy and for the rollback.
  const provider: Record<string, string> = {
    environment: ENVIRONMENT,
    provider: 'docker',
    app: APP,
    hosts: hosts.hosts
      .map(h => `${h.name} ssh=${h.ssh.destination} address=${h.address}`)
      .join('\n'),
    port: String(CONTAINER_PORT),
    'host-port': String(HOST_PORT),
    'publish-address': 'host',
    'health-timeout': '60s',
    'health-interval': '250ms',
    'keep-previous': '30m',
    router: 'haproxy',
    'router-scope': 'fleet',
    'router-host': 'local',
    'haproxy-socket': haproxy.socket,
    'haproxy-config': haproxy.mainConfig,
    'haproxy-backend': 'slipway',
    'haproxy-backend-file': haproxy.backendFile,
    'haproxy-state-file': haproxy.stateFile,
    'haproxy-drain-timeout': '10s',
    'haproxy-server-options': SERVER_CHECK,
    'known-hosts': hosts.knownHosts,
    'ssh-private-key': hosts.privateKey,
    'github-token': gh.token
  }
  const steps: (StepRun & { label: string })[] = []
  const run = async (action: string, label: string, inputs: Record<string, string>) => {
    const result = await step(action, label, inputs, gh)
    steps.push({ ...result, label })
    return result
  }
  const live = async (): Promise<string> => {
    try {
      const response = await fetch(haproxy!.url, { signal: AbortSignal.timeout(3000) })
      return `${response.status} ${(await response.text()).trim().split('\n').slice(1).join(' ')}`
    } catch (error) {
      return String(error)
    }
  }

  section('1/4  preflight and backup')
  await run('preflight-check', 'hosts reachable, the image archive intact, no deploy in progress', {
    tcp: hosts.hosts.map(h => `${h.address}:22`).join('\n'),
    artifact: archives.v1,
    'disk-path': work,
    'disk-min-free': '100MB',
    'deployment-lock': 'true',
    environment: ENVIRONMENT,
    token: gh.token
  })
  const backup = await run('backup', 'SQLite online backup, verified by a restore', {
    'database-url': `sqlite://${db}`,
    path: join(work, 'backups'),
    verify: 'true'
  })

  section('2/4  v1 — first deployment (both hosts load the archive, start blue, gate, route)')
  await run('deploy-strategy', 'blue-green v1', {
    ...provider,
    strategy: 'blue-green',
    version: 'v1',
    'image-archive': archives.v1,
    'backup-id': backup.outputs['backup-id'] ?? ''
  })
  say(`curl ${haproxy.url} → ${await live()}`)

  section(
    `3/4  v2 — blue-green under load (${LOAD_RATE} requests/s through HAProxy, never retried)`
  )
  const cut = observe(haproxy.url)
  await cut.load.waitForAnswers(0, 50, 30_000)
  const v2 = await run('deploy-strategy', 'blue-green v2', {
    ...provider,
    strategy: 'blue-green',
    version: 'v2',
    'image-archive': archives.v2
  })
  const afterV2 = cut.load.mark()
  await cut.load.waitForAnswers(afterV2, 100, 30_000).catch(() => undefined)
  await cut.stop()
  const cutResult = await cut.load.stop()
  const cutover = {
    version: 'v2',
    requests: cutResult.answers.length + cutResult.failures.filter(f => f.kind !== 'status').length,
    failed: cutResult.failures.filter(f => f.kind !== 'after-close').length,
    afterSwitch: shares(cutResult.answers.filter(a => a.seq >= afterV2).map(a => a.version))
  }
  say(
    `Load during the v2 cutover: ${cutover.requests} requests, ${cutover.failed === 0 ? green('0 failed') : red(`${cutover.failed} failed`)}; after the switch returned: ${JSON.stringify(cutover.afterSwitch)}`
  )
  say(`curl ${haproxy.url} → ${await live()}`)

  section('4/4  v3 — canary 25 → 50 → 100 with analysis; v3 is broken')
  const can = observe(haproxy.url, 'v3')
  await can.load.waitForAnswers(0, 50, 30_000)
  const v3 = await run('deploy-strategy', 'canary v3 (analysis: error rate through HAProxy ≤ 1%)', {
    ...provider,
    strategy: 'canary',
    version: 'v3',
    'image-archive': archives.v3,
    steps: '25,50,100',
    interval: '5s',
    'measure-every': '1s',
    'analysis-url': haproxy.url,
    'analysis-requests': '40',
    'max-error-rate': '1%'
  })
  const afterV3 = can.load.mark()
  await can.load.waitForAnswers(afterV3, 100, 30_000).catch(() => undefined)
  say(`curl ${haproxy.url} → ${await live()}`)
  // What the workflow's `if: failure()` step does next: the rollback action.
  const rollback = await run('rollback', 'the rollback step of the workflow (if: failure())', {
    ...provider,
    'deployment-id': v3.outputs['deployment-id'] ?? '',
    reason: 'canary analysis failed',
    'smoke-url': haproxy.url,
    'smoke-expect-body': 'from sample-app'
  })
  await can.stop()
  const canResult = await can.load.stop()
  const canary = {
    version: 'v3',
    requests: canResult.answers.length,
    answeredByCanary: canResult.answers.filter(a => a.version === 'v3').length,
    failedStatus: canResult.failures.filter(f => f.kind === 'status').length,
    failedConnections: canResult.failures.filter(
      f => f.kind !== 'status' && f.kind !== 'after-close'
    ).length,
    mttrMs:
      can.firstFailureAt !== undefined && can.lastWatchedAt !== undefined
        ? can.lastWatchedAt - can.firstFailureAt
        : undefined,
    afterFailure: shares(canResult.answers.filter(a => a.seq >= afterV3).map(a => a.version))
  }
  say(
    `Load during the v3 canary: ${canary.requests} answers, ${canary.answeredByCanary} by v3 (${canary.failedStatus} of them 500s: the canary's exposure), ${canary.failedConnections === 0 ? green('0 connection failures') : red(`${canary.failedConnections} connection failures`)}; after the step failed: ${JSON.stringify(canary.afterFailure)}`
  )

  const containers: Record<string, string[]> = {}
  for (const host of hosts.hosts)
    containers[host.name] = (
      await host.docker([
        'ps',
        '-a',
        '--filter',
        `label=slipway.app=${APP}`,
        '--format',
        '{{.Names}} {{.State}}'
      ])
    )
      .trim()
      .split('\n')
      .filter(Boolean)
      .sort()
  const nowLive = await live()
  const rollbackTimeline = rollback.outputs.duration ?? ''
  const report: Report = {
    ok: false,
    from,
    hosts: hosts.hosts.map(h => `${h.name} ${h.address}`),
    router: haproxy.url,
    steps: steps.map(s => ({
      action: s.action,
      label: s.label,
      exitCode: s.exitCode,
      status: s.outputs.status ?? (s.outputs.passed ? `passed=${s.outputs.passed}` : ''),
      seconds: s.seconds
    })),
    live: nowLive,
    cutover,
    canary,
    rollback: {
      status: rollback.outputs.status ?? '',
      to: rollback.outputs['rolled-back-to'] ?? '',
      mode: rollback.outputs.mode ?? '',
      seconds: rollback.seconds
    },
    backup: { id: backup.outputs['backup-id'], verified: backup.outputs.verified === 'true' },
    containers,
    deployments: gh.state.deployments.map(d => ({
      id: Number(d.id),
      version: String((d.payload as { version?: string }).version ?? d.ref),
      state: String(gh.state.deploymentStatuses(Number(d.id))[0]?.state ?? '')
    })),
    validationErrors: gh.validationErrors.length,
    seconds: (Date.now() - started) / 1000
  }
  const [preflight, , first, second] = steps
  report.ok =
    preflight.exitCode === 0 &&
    backup.exitCode === 0 &&
    report.backup.verified &&
    first.exitCode === 0 &&
    second.exitCode === 0 &&
    v2.exitCode === 0 &&
    cutover.failed === 0 &&
    JSON.stringify(cutover.afterSwitch) === '{"v2":100}' &&
    v3.exitCode === 1 &&
    JSON.stringify(canary.afterFailure) === '{"v2":100}' &&
    canary.failedConnections === 0 &&
    rollback.exitCode === 0 &&
    report.rollback.to === 'v2' &&
    nowLive.includes('from sample-app v2') &&
    report.validationErrors === 0

  section('Report')
  const row = (label: string, value: string) => console.log(`   ${label.padEnd(24)} ${value}`)
  row('Hosts', `${report.hosts.join(', ')} (each: sshd + Docker Engine), HAProxy ${haproxy.url}`)
  row(
    'Actions ran from',
    from === 'dist'
      ? 'the committed bundles (dist/)'
      : 'their sources (tsx): a bundle in dist/ does not include the docker provider yet'
  )
  for (const s of steps)
    row(
      `${s.action}`,
      `${s.exitCode === 0 ? green('ok') : s.action === 'deploy-strategy' && s === steps[steps.length - 2] ? yellow('failed (as intended)') : red(`exit ${s.exitCode}`)} ${s.label} — ${s.seconds.toFixed(1)}s`
    )
  row(
    'Backup',
    `${report.backup.id ?? '—'} ${report.backup.verified ? green('verified') : red('NOT verified')}`
  )
  row(
    'v2 cutover under load',
    `${cutover.requests} requests, ${cutover.failed === 0 ? green('0 failed') : red(`${cutover.failed} failed`)}, then ${JSON.stringify(cutover.afterSwitch)}`
  )
  row(
    'v3 canary',
    `${canary.answeredByCanary} of ${canary.requests} requests reached v3 (${canary.failedStatus} answered 500), ${canary.failedConnections} connection failures`
  )
  row(
    'MTTR (v3)',
    canary.mttrMs !== undefined
      ? `${(canary.mttrMs / 1000).toFixed(1)}s from the first failed request to the last answer from v3`
      : '—'
  )
  row('Traffic after v3', JSON.stringify(canary.afterFailure))
  row(
    'Rollback',
    `${report.rollback.status || 'failed'} → ${report.rollback.to || '—'} (${report.rollback.mode === 'none' ? 'none needed: the failed canary had already put every request back on v2' : report.rollback.mode || '—'}) in ${report.rollback.seconds.toFixed(1)}s${rollbackTimeline ? ` (${rollbackTimeline}s by its own clock)` : ''}; v3 marked rolled back`
  )
  row('Live now', nowLive)
  for (const [name, list] of Object.entries(containers))
    row(`Containers on ${name}`, list.join(', '))
  row(
    'GitHub Deployments',
    report.deployments.map(d => `#${d.id} ${d.version} ${d.state}`).join(', ')
  )
  row('API requests', `${gh.requests.length}, ${report.validationErrors} failed OpenAPI validation`)
  row(
    'Summaries',
    join(work, 'summaries') +
      (process.env.SLIPWAY_DEMO_KEEP === '1'
        ? ''
        : ' (removed at exit; SLIPWAY_DEMO_KEEP=1 keeps them)')
  )
  row('Total time', `${report.seconds.toFixed(1)}s`)
  console.log(
    `\n${report.ok ? green(bold('✔ Container demo passed: v2 is live with 0 failed requests through its cutover; the broken v3 canary was turned back and rolled back.')) : red(bold('✘ Container demo did not end as expected (see above).'))}`
  )
  if (process.env.SLIPWAY_DEMO_REPORT)
    writeFileSync(process.env.SLIPWAY_DEMO_REPORT, JSON.stringify(report, null, 2))
  return report
}

let exitCode = 1
try {
  const report = await main()
  exitCode = report.ok ? 0 : 1
} catch (error) {
  // after Ctrl-C the programs it was running fail too: that is not the demo's error
  if (!interrupted)
    console.error(
      red(`Demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    )
} finally {
  await cleanup()
}
process.exit(exitCode)
