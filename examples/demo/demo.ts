// `npm run demo`: the whole Slipway procedure on this machine, in about half a minute.
//
//   v1.0.0 first deploy → v1.1.0 blue-green (backup of the SQLite data, smoke test, tag and
//   release) → v1.2.0, a broken build with a damaging migration: the smoke test fails and the
//   pipeline rolls back automatically (warm slot route-back + data restore).
//
// Everything runs on loopback: the sample app's two slots, a router (a tiny Node proxy that
// follows an atomically switched `live` symlink), and — since there is no network here — the
// GitHub API emulator from test/github-emulator as a stand-in for api.github.com. The pipeline
// itself is the committed bundle dist/pipeline/index.js, run exactly as the Actions runner runs it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { startEmulator, type Emulator } from '../../test/github-emulator/index.js'
import { startNginx } from '../../test/services/nginx.js'

const root = new URL('../..', import.meta.url).pathname
const appDir = join(root, 'examples', 'sample-app')
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

const has = (program: string, args: string[]): boolean =>
  spawnSync(program, args, { stdio: 'ignore' }).status === 0

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

interface PipelineRun {
  version: string
  exitCode: number | null
  outputs: Record<string, string>
  summaryFile: string
  seconds: number
}

interface Report {
  ok: boolean
  github: string
  router: string
  routerKind: 'nginx' | 'node'
  runs: {
    version: string
    status: string
    exitCode: number | null
    outputs: Record<string, string>
  }[]
  live: string
  liveSlot: string
  backup: { id?: string; verified: boolean }
  release?: { tag: string; url: string; exists: boolean }
  rollback?: { from: string; to: string; mode: string; seconds: number }
  data: { before: number; afterBadMigration?: number; afterRollback?: number }
  deployments: { id: number; version: string; state: string; rollbackOf?: number }[]
  validationErrors: number
  seconds: number
}

const work = mkdtempSync(join(tmpdir(), 'slipway-demo-'))
// The job summaries outlive the demo (everything else is removed at the end), so the paths the
// report prints can be opened afterwards; SLIPWAY_DEMO_SUMMARIES chooses where they go.
const summaries = process.env.SLIPWAY_DEMO_SUMMARIES
  ? process.env.SLIPWAY_DEMO_SUMMARIES
  : mkdtempSync(join(tmpdir(), 'slipway-summaries-'))
const children: ChildProcess[] = []
let emulator: Emulator | undefined
let stopNginx: (() => Promise<void>) | undefined

async function cleanup(): Promise<void> {
  const stateDir = join(work, 'state')
  if (existsSync(stateDir))
    for (const file of readdirSync(stateDir).filter(f => f.endsWith('.pid'))) {
      try {
        process.kill(Number(readFileSync(join(stateDir, file), 'utf8')), 'SIGTERM')
      } catch {
        // already stopped
      }
    }
  for (const child of children) child.kill('SIGTERM')
  if (stopNginx) await stopNginx().catch(() => undefined)
  if (emulator) await emulator.closeUnchecked().catch(() => undefined)
  if (process.env.SLIPWAY_DEMO_KEEP === '1') say(`kept ${work}`)
  else rmSync(work, { recursive: true, force: true })
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    void cleanup().finally(() => process.exit(130))
  })

async function main(): Promise<Report> {
  const withData = has('sqlite3', ['-version'])
  const withGit = has('git', ['--version'])
  const state = join(work, 'state')
  const dataDir = join(work, 'data')
  const backups = join(work, 'backups')
  const repo = join(work, 'repo')
  for (const dir of [state, dataDir, backups, repo, summaries]) mkdirSync(dir, { recursive: true })
  const db = join(dataDir, 'app.db')
  const sql = (statement: string): string =>
    spawnSync('sqlite3', [db, statement], { encoding: 'utf8' }).stdout.trim()
  const orders = (): number => Number(sql('SELECT count(*) FROM orders') || 0)

  section('Setting up (everything on 127.0.0.1, cleaned up at the end)')
  emulator = await startEmulator({ owner: 'acme', repo: 'sample-app' })
  const gh = emulator
  say(
    `GitHub: no network here, so the GitHub API is Slipway's emulator at ${gh.url} — a stand-in that checks every request against GitHub's OpenAPI description`
  )

  const slots = { blue: `127.0.0.1:${await freePort()}`, green: `127.0.0.1:${await freePort()}` }
  writeFileSync(join(state, 'slots.json'), JSON.stringify(slots))
  const hooks = `node "${join(appDir, 'hooks.mjs')}"`
  const targets = Object.entries(slots).map(([name, address]) => `${name}=${address}`)
  // The router: nginx when this machine has it (SLIPWAY_DEMO_ROUTER=node forces the portable
  // one), otherwise a tiny Node proxy following an atomically renamed `live` symlink.
  let routerUrl: string
  let deploy: Record<string, unknown>
  const nginxWanted = process.env.SLIPWAY_DEMO_ROUTER !== 'node' && has('nginx', ['-v'])
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined
  if (nginxWanted) {
    try {
      nginx = await startNginx()
      stopNginx = () => nginx!.stop()
    } catch (error) {
      say(
        yellow(
          `nginx is installed but did not start here (${String(error).split('\n')[0]}); using the Node router`
        )
      )
    }
  }
  if (nginx) {
    routerUrl = nginx.url
    deploy = {
      strategy: 'blue-green',
      provider: 'nginx',
      targets,
      'nginx-upstream-file': nginx.upstreamFile,
      'nginx-test-command': nginx.testCommand,
      'nginx-reload-command': nginx.reloadCommand,
      'nginx-pid-file': join(nginx.prefix, 'nginx.pid'),
      'release-dir': join(work, 'releases'),
      'start-command': `${hooks} start`,
      'stop-command': `${hooks} stop`,
      'health-path': '/health'
    }
    say(
      `Router: nginx ${routerUrl} (its own prefix ${nginx.prefix}); Slipway rewrites its upstream file and reloads it; slots blue ${slots.blue}, green ${slots.green}`
    )
  } else {
    const routerPort = await freePort()
    routerUrl = `http://127.0.0.1:${routerPort}/`
    const router = spawn(process.execPath, [join(appDir, 'router.mjs')], {
      env: { ...process.env, DEMO_STATE: state, PORT: String(routerPort) },
      stdio: 'ignore'
    })
    children.push(router)
    deploy = {
      strategy: 'blue-green',
      provider: 'script',
      targets,
      'prepare-command': `${hooks} prepare`,
      'retire-command': `${hooks} retire`,
      'route-command': `${hooks} route`,
      'current-command': `${hooks} current`,
      'health-command': `${hooks} health`
    }
    say(
      `Router: ${routerUrl} → the slot named by an atomically switched symlink (script provider); slots blue ${slots.blue}, green ${slots.green}`
    )
  }

  if (withData) {
    sql(
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, qty INTEGER NOT NULL); INSERT INTO orders (item, qty) VALUES ('tea', 2), ('coffee', 1), ('scones', 6), ('jam', 1);"
    )
    say(`Data: SQLite ${db} with ${orders()} orders`)
  } else say(yellow('Data: sqlite3 not found — the backup stage and data restore are skipped'))

  // Three builds of the sample app, each one file to ship; v1.2.0 carries a bug only a real request shows.
  const appSource = readFileSync(join(appDir, 'app.mjs'), 'utf8')
  const build = (version: string, extra: Record<string, unknown>): string => {
    const dir = join(work, 'builds')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `sample-app-${version}.mjs`)
    writeFileSync(
      file,
      `globalThis.__release = ${JSON.stringify({ version, ...extra })}\n${appSource}`
    )
    return file
  }
  const builds = {
    'v1.0.0': build('v1.0.0', { greeting: 'Hello' }),
    'v1.1.0': build('v1.1.0', { greeting: 'Hello and welcome' }),
    'v1.2.0': build('v1.2.0', { greeting: 'Hi', broken: true })
  }

  const config = {
    version: 1,
    defaults: {
      preflight: { 'disk-path': work, 'disk-min-free': '10MB' },
      ...(withData
        ? { backup: { 'database-url': `sqlite://${db}`, path: backups, verify: true } }
        : {}),
      deploy: {
        ...deploy,
        'health-interval': '200ms',
        'health-timeout': '15s',
        'keep-previous': '30m',
        'drain-delay': '200ms'
      },
      smoke: {
        url: routerUrl,
        'expect-status': '200',
        'expect-body': 'from sample-app',
        timeout: '3s',
        'retry-interval': '500ms'
      },
      ...(withGit ? { release: { 'tag-prefix': 'v', 'make-latest': 'true' } } : {}),
      rollback: { 'restore-data': withData, 'smoke-timeout': '10s' }
    },
    environments: { demo: {} }
  }
  const configFile = join(work, 'slipway.yml')
  writeFileSync(
    configFile,
    `# yaml-language-server: $schema=${join(root, 'slipway.schema.json')}\n${stringify(config)}`
  )
  say(`Config: ${configFile} (validated against slipway.schema.json)`)

  const git = (...args: string[]): string =>
    spawnSync(
      'git',
      [
        '-c',
        'user.name=Demo',
        '-c',
        'user.email=demo@example.com',
        '-c',
        'commit.gpgsign=false',
        ...args
      ],
      { cwd: repo, encoding: 'utf8' }
    ).stdout.trim()
  let head = gh.state.addCommit({ message: 'chore: start' })
  if (withGit) git('init', '-q', '-b', 'main')
  // Each version's commit, in the local checkout and mirrored (same SHA) into the emulator.
  const commit = (message: string): string => {
    if (!withGit) return (head = gh.state.addCommit({ message }))
    writeFileSync(join(repo, 'CHANGES.txt'), `${message}\n`, { flag: 'a' })
    git('add', 'CHANGES.txt')
    git('commit', '-q', '-m', message)
    const sha = git('rev-parse', 'HEAD')
    gh.state.addCommit({ sha, message, parents: [head] })
    return (head = sha)
  }

  let runNumber = 100
  const pipeline = async (
    version: keyof typeof builds,
    inputs: Record<string, string> = {}
  ): Promise<PipelineRun> => {
    const runner = mkdtempSync(join(work, 'runner-'))
    const files = { output: join(runner, 'output'), summary: join(runner, 'summary') }
    for (const file of Object.values(files)) writeFileSync(file, '')
    const runId = String(++runNumber)
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_TEMP: runner,
      GITHUB_WORKSPACE: repo,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
      GITHUB_SHA: head,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_TOKEN: gh.token,
      SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0',
      DEMO_STATE: state,
      'INPUT_GITHUB-TOKEN': gh.token,
      INPUT_VERSION: version,
      INPUT_ENVIRONMENT: 'demo',
      'INPUT_CONFIG-FILE': configFile,
      INPUT_ARTIFACT: builds[version],
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
    }
    const t0 = Date.now()
    const child = spawn(process.execPath, [join(root, 'dist', 'pipeline', 'index.js')], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    children.push(child)
    const show = (raw: string): void => {
      if (raw.startsWith('::add-mask::') || raw.startsWith('::debug::') || raw.trim() === '') return
      const line = raw
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
    let buffer = ''
    const feed = (chunk: Buffer): void => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      lines.forEach(show)
    }
    child.stdout!.on('data', feed)
    child.stderr!.on('data', feed)
    const deadline = setTimeout(() => child.kill('SIGKILL'), 90_000)
    const exitCode = await new Promise<number | null>(resolve => child.on('close', resolve))
    clearTimeout(deadline)
    if (buffer) show(buffer)
    const outputs: Record<string, string> = {}
    const lines = readFileSync(files.output, 'utf8').split('\n')
    for (let i = 0; i < lines.length; i++) {
      const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
      if (!heredoc) continue
      const body: string[] = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i])
      outputs[heredoc[1]] = body.join('\n')
    }
    const summaryFile = join(summaries, `${version}.md`)
    writeFileSync(summaryFile, readFileSync(files.summary, 'utf8'))
    // On a runner the checkout (fetch-depth: 0) sees the tags of earlier releases; here the
    // release stage made the tag through the API only, so mirror it into the local checkout:
    // without it the next release finds no previous version and calls every bump major.
    if (withGit && outputs.tag && exitCode === 0) git('tag', outputs.tag, head)
    return { version, exitCode, outputs, summaryFile, seconds: (Date.now() - t0) / 1000 }
  }

  // Which slot runs a version (the hooks write `<slot>.version`), for routers that do not say.
  const slotRunning = (version: string | null): string =>
    Object.keys(slots).find(slot => {
      try {
        return readFileSync(join(state, `${slot}.version`), 'utf8').trim() === version
      } catch {
        return false
      }
    }) ?? ''
  const live = async (): Promise<{ text: string; slot: string; status: number }> => {
    try {
      const response = await fetch(routerUrl, { signal: AbortSignal.timeout(2000) })
      return {
        text: (await response.text()).trim(),
        slot: response.headers.get('x-slot') ?? slotRunning(response.headers.get('x-version')),
        status: response.status
      }
    } catch (error) {
      return { text: String(error), slot: '', status: 0 }
    }
  }
  const showLive = async (): Promise<void> => {
    const now = await live()
    say(`curl ${routerUrl} → ${now.status} "${now.text}" (slot ${now.slot || '—'})`)
  }

  const runs: PipelineRun[] = []
  const data: Report['data'] = { before: withData ? orders() : 0 }

  section('1/3  v1.0.0 — first deployment')
  commit('feat: sample app greets visitors')
  runs.push(await pipeline('v1.0.0'))
  await showLive()

  section('2/3  v1.1.0 — blue-green: backup, deploy to the idle slot, smoke test, tag and release')
  commit('feat: a warmer welcome')
  runs.push(await pipeline('v1.1.0'))
  await showLive()

  section('3/3  v1.2.0 — a broken build with a damaging migration')
  commit('fix: shorter greeting')
  const migrate: Record<string, string> = withData
    ? {
        'migrate-command': `sqlite3 "${db}" "DELETE FROM orders WHERE qty < 2; ALTER TABLE orders ADD COLUMN note TEXT;"`
      }
    : {}
  const bad = await pipeline('v1.2.0', migrate)
  runs.push(bad)
  await showLive()
  if (withData) {
    data.afterRollback = orders()
    say(
      `Data: ${data.afterRollback} orders after the rollback (${data.before} before the bad release)`
    )
  }

  // What GitHub now holds.
  const releases = gh.state.releases
  const v110 = releases.find(r => r.tag_name === 'v1.1.0')
  const now = await live()
  const good = runs[1]
  const rollbackStatus = bad.outputs.status
  const report: Report = {
    ok: false,
    github: gh.url,
    router: routerUrl,
    routerKind: nginx ? 'nginx' : 'node',
    runs: runs.map(r => ({
      version: r.version,
      status: r.outputs.status ?? '',
      exitCode: r.exitCode,
      outputs: r.outputs
    })),
    live: now.text,
    liveSlot: now.slot,
    backup: {
      id: good.outputs['backup-id'] || undefined,
      verified: /backup \S+ \(verified\)/.test(good.outputs.timeline ?? '')
    },
    release: withGit
      ? {
          tag: 'v1.1.0',
          url: String(v110?.html_url ?? ''),
          exists: v110 !== undefined && v110.draft === false
        }
      : undefined,
    rollback:
      rollbackStatus === 'rolled-back'
        ? {
            from: 'v1.2.0',
            to: bad.outputs['rolled-back-to'],
            mode: /\((route-back|redeploy|none)\)/.exec(bad.outputs.timeline ?? '')?.[1] ?? '',
            seconds:
              ((
                JSON.parse(bad.outputs.timeline ?? '[]') as { stage: string; durationMs: number }[]
              ).find(t => t.stage === 'rollback')?.durationMs ?? 0) / 1000
          }
        : undefined,
    data,
    deployments: gh.state.deployments.map(d => {
      const payload = d.payload as { version?: string; rollback_of?: number }
      return {
        id: Number(d.id),
        version: String(payload.version ?? d.ref),
        state: String(gh.state.deploymentStatuses(Number(d.id))[0]?.state ?? ''),
        rollbackOf: payload.rollback_of
      }
    }),
    validationErrors: gh.validationErrors.length,
    seconds: (Date.now() - started) / 1000
  }
  report.ok =
    runs[0].exitCode === 0 &&
    good.exitCode === 0 &&
    bad.exitCode === 1 &&
    rollbackStatus === 'rolled-back' &&
    report.rollback?.to === 'v1.1.0' &&
    now.text.includes('v1.1.0') &&
    (!withData || (report.backup.verified && data.afterRollback === data.before)) &&
    (!withGit || report.release?.exists === true) &&
    report.validationErrors === 0

  section('Report')
  const row = (label: string, value: string) => console.log(`   ${label.padEnd(22)} ${value}`)
  for (const r of runs)
    row(
      r.version,
      `${r.outputs.status === 'success' ? green('deployed') : r.outputs.status === 'rolled-back' ? yellow('rolled back') : red(r.outputs.status ?? 'failed')} in ${r.seconds.toFixed(1)}s — summary: ${r.summaryFile}`
    )
  row('Live now', `${now.text} (slot ${now.slot})`)
  if (withData)
    row(
      'Backup before v1.1.0',
      `${report.backup.id ?? '—'}${report.backup.verified ? green(' verified (restored into a scratch copy and compared)') : red(' NOT verified')}`
    )
  if (report.release)
    row(
      'Release',
      `${report.release.tag} ${report.release.exists ? green('published') : red('missing')} (emulated GitHub)`
    )
  if (report.rollback)
    row(
      'Automatic rollback',
      `${report.rollback.from} → ${report.rollback.to} by ${report.rollback.mode} in ${report.rollback.seconds.toFixed(1)}s`
    )
  if (withData)
    row(
      'Data',
      `${data.before} orders → bad migration → ${data.afterRollback} orders after the restore`
    )
  row(
    'GitHub Deployments',
    report.deployments
      .map(
        d =>
          `#${d.id} ${d.version} ${d.state}${d.rollbackOf ? ` (rollback of #${d.rollbackOf})` : ''}`
      )
      .join(', ')
  )
  row('API requests', `${gh.requests.length}, ${report.validationErrors} failed OpenAPI validation`)
  row('Total time', `${report.seconds.toFixed(1)}s`)
  row('Job summaries', `${summaries} (kept after the demo; remove it when done)`)
  console.log(
    `\n${report.ok ? green(bold('✔ Demo passed: v1.1.0 is live, v1.2.0 was rolled back automatically.')) : red(bold('✘ Demo did not end as expected (see above).'))}`
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
  console.error(
    red(`Demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  )
} finally {
  await cleanup()
}
process.exit(exitCode)
