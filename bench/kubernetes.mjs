#!/usr/bin/env node
// The kubernetes provider against the Kubernetes API emulator (test/kubernetes-emulator), on
// loopback: plan (dry-run) and apply time of the deploy-strategy bundle for 1 and 20 apps (one
// Deployment each, as one job per app deploys them), the API calls each step of a rollout
// makes, and the same apply done with `kubectl apply --server-side` + a rollout status check
// against the same emulator when kubectl is installed. Pods are emulated (no containers run),
// so the times are Slipway's and the client's own work plus loopback round trips, not a
// scheduler's. Run (the bundles in dist/ first):
//   npm run build -- deploy-strategy && node bench/kubernetes.mjs [--write]
// Not part of the test suite.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname

// The emulator and the test helpers are TypeScript: run again under tsx's loader.
if (!process.env.SLIPWAY_BENCH_TSX) {
  const again = spawnSync(
    process.execPath,
    ['--import', 'tsx', new URL(import.meta.url).pathname, ...process.argv.slice(2)],
    { stdio: 'inherit', cwd: root, env: { ...process.env, SLIPWAY_BENCH_TSX: '1' } }
  )
  process.exit(again.status ?? 1)
}

const { startKubernetesEmulator } = await import('../test/kubernetes-emulator/index.ts')
const { inputsFor } = await import('../test/kubernetes/helpers.ts')
const { buildKubernetesDeployConfig } =
  await import('../packages/strategies/src/kubernetes-config.ts')
const { runDeploy } = await import('@slipway/strategies')
const { Redactor } = await import('@slipway/kit')

const write = process.argv.includes('--write')
const ROUNDS = 3

/** One app's manifests: a Deployment with a readiness probe and its Service. */
function manifests(app, replicas = 2) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
spec:
  replicas: ${replicas}
  progressDeadlineSeconds: 60
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
        - name: app
          image: registry.example/${app}:v0
          readinessProbe:
            httpGet:
              path: /health
              port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: ${app}
spec:
  selector:
    app: ${app}
  ports:
    - port: 80
      targetPort: 8080
`
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const seconds = ms => `${(ms / 1000).toFixed(2)} s`

// The bundle is copied once at start (SLIPWAY_BENCH_DIST=<dir> names other bundles): a rebuild
// of dist/ during the run must not change what is measured half-way.
const bundleDir = mkdtempSync(join(tmpdir(), 'slipway-bench-k8s-dist-'))
cpSync(join(process.env.SLIPWAY_BENCH_DIST ?? join(root, 'dist'), 'deploy-strategy'), bundleDir, {
  recursive: true
})
if (!existsSync(join(bundleDir, 'index.js'))) throw new Error('no deploy-strategy bundle: build it')
process.on('exit', () => rmSync(bundleDir, { recursive: true, force: true }))

/** Runs the bundle as the runner runs a node24 action: INPUT_* and the file commands. */
function runAction(inputs) {
  const files = mkdtempSync(join(tmpdir(), 'slipway-bench-k8s-runner-'))
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: files,
    GITHUB_WORKSPACE: files,
    GITHUB_REPOSITORY: 'octo-org/octo-app',
    GITHUB_RUN_ID: '1',
    GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53'
  }
  for (const name of ['OUTPUT', 'STEP_SUMMARY', 'STATE', 'ENV', 'PATH']) {
    const file = join(files, name.toLowerCase())
    writeFileSync(file, '')
    env[`GITHUB_${name}`] = file
  }
  for (const [key, value] of Object.entries(inputs))
    env[`INPUT_${key.toUpperCase()}`] = String(value)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(bundleDir, 'index.js')], {
      cwd: files,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', chunk => (out += chunk))
    child.stderr.on('data', chunk => (out += chunk))
    child.on('close', code => {
      rmSync(files, { recursive: true, force: true })
      if (code === 0) resolve()
      else reject(new Error(`deploy-strategy exited ${code}:\n${out}`))
    })
  })
}

/** deploy-strategy (the bundle) for each app in turn; wall time of all of them. */
async function bundleRuns(k8s, dirs, version, dryRun) {
  const started = performance.now()
  for (const [app, dir] of dirs)
    await runAction({
      provider: 'kubernetes',
      strategy: 'blue-green',
      version,
      environment: 'bench',
      'record-deployment': false,
      'dry-run': dryRun,
      kubeconfig: k8s.kubeconfig({ namespace: 'default' }),
      manifests: dir,
      app,
      image: `registry.example/${app}:${version}`,
      'health-timeout': '120s'
    })
  return performance.now() - started
}

function dirsFor(count) {
  const base = mkdtempSync(join(tmpdir(), 'slipway-bench-k8s-'))
  const dirs = []
  for (let i = 1; i <= count; i++) {
    const app = `app${String(i).padStart(2, '0')}`
    const dir = join(base, app)
    mkdirSync(dir)
    writeFileSync(join(dir, 'app.yaml'), manifests(app))
    dirs.push([app, dir])
  }
  return { base, dirs }
}

// ---- plan and apply, 1 and 20 apps -------------------------------------------------------
const timing = []
for (const count of [1, 20]) {
  const plans = []
  const applies = []
  const calls = []
  for (let round = 0; round < ROUNDS; round++) {
    const k8s = await startKubernetesEmulator()
    const { base, dirs } = dirsFor(count)
    try {
      plans.push(await bundleRuns(k8s, dirs, 'v1', true))
      const before = k8s.requests.length
      applies.push(await bundleRuns(k8s, dirs, 'v1', false))
      calls.push(k8s.requests.length - before)
    } finally {
      await k8s.close()
      rmSync(base, { recursive: true, force: true })
    }
  }
  timing.push({ count, plan: median(plans), apply: median(applies), calls: median(calls) })
  console.log(`${count} app(s): plan ${seconds(median(plans))}, apply ${seconds(median(applies))}`)
}

// ---- API calls per rollout step (in process, so each step's requests can be told apart) ---
/**
 * v1 then v2 with one strategy; for v2, the requests between one finished step's log line and
 * the next (the stage logs each step as it ends), split into reads, watches and writes.
 */
async function callsPerStep(strategy, deployExtra = {}) {
  const k8s = await startKubernetesEmulator()
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-k8s-'))
  writeFileSync(join(dir, 'app.yaml'), manifests('web'))
  const run = async (version, log) => {
    const { deploy, kubernetes } = inputsFor(k8s, {
      strategy,
      version,
      image: `registry.example/web:${version}`,
      manifests: [dir],
      deploy: deployExtra
    })
    const config = buildKubernetesDeployConfig(deploy, kubernetes, new Redactor(), log)
    const outcome = await runDeploy(config, undefined, log)
    if (outcome.result.status !== 'success') throw new Error(outcome.result.error)
  }
  try {
    await run('v1', () => {})
    await k8s.settled()
    const steps = []
    const start = k8s.requests.length
    let mark = start
    await run('v2', line => {
      const done = /^\s*[✓✗] ([^:]+):/.exec(line)
      if (!done) return
      const slice = k8s.requests.slice(mark)
      mark = k8s.requests.length
      steps.push({
        step: done[1],
        reads: slice.filter(r => ['GET', 'HEAD'].includes(r.method) && !r.watch).length,
        watches: slice.filter(r => r.watch).length,
        writes: slice.filter(r => !['GET', 'HEAD'].includes(r.method)).length
      })
    })
    const rest = k8s.requests.slice(mark)
    if (rest.length > 0)
      steps.push({
        step: 'after the last step (records, close)',
        reads: rest.filter(r => ['GET', 'HEAD'].includes(r.method) && !r.watch).length,
        watches: rest.filter(r => r.watch).length,
        writes: rest.filter(r => !['GET', 'HEAD'].includes(r.method)).length
      })
    return { strategy, total: k8s.requests.length - start, steps }
  } finally {
    await k8s.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const perStep = [
  await callsPerStep('blue-green'),
  await callsPerStep('rolling'),
  await callsPerStep('canary', { steps: '25,50,100', intervalMs: 10 })
]
for (const s of perStep) console.log(`${s.strategy}: ${s.total} API calls for v1 → v2`)

// ---- kubectl apply --server-side + rollout status against the same emulator ---------------
const kubectl = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' })
const kubectlVersion =
  kubectl.status === 0 ? JSON.parse(kubectl.stdout).clientVersion.gitVersion : undefined

/**
 * kubectl sends no bearer token over plain HTTP (the emulator serves plain HTTP on loopback):
 * a loopback proxy adds the Authorization header. Its hop is in kubectl's figures, a few
 * hundred microseconds a request.
 */
async function authProxy(k8s) {
  const target = new URL(k8s.url)
  const server = createServer((req, res) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, authorization: `Bearer ${k8s.token}` }
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${server.address().port}` }
}

/** Runs kubectl without a shell; asynchronous, as the emulator serves from this process. */
function runKubectl(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('close', code =>
      code === 0 ? resolve(stdout) : reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`))
    )
  })
}

/**
 * What `kubectl rollout status` checks, by polling `kubectl get` every 100 ms: through the
 * proxy, rollout status prints its success and then does not exit (its watch is not closed), so
 * it cannot be timed here.
 */
async function rolledOut(app, env) {
  for (let i = 0; i < 1200; i++) {
    const out = await runKubectl(['get', `deployment/${app}`, '-o', 'json'], env)
    const d = JSON.parse(out)
    const want = d.spec.replicas ?? 1
    const s = d.status ?? {}
    if (
      (s.observedGeneration ?? 0) >= d.metadata.generation &&
      s.updatedReplicas === want &&
      s.readyReplicas === want &&
      s.availableReplicas === want &&
      (s.replicas ?? 0) === want
    )
      return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${app} did not roll out`)
}

const kubectlTiming = []
if (kubectlVersion) {
  for (const count of [1, 20]) {
    const applies = []
    const calls = []
    for (let round = 0; round < ROUNDS; round++) {
      const k8s = await startKubernetesEmulator()
      const proxy = await authProxy(k8s)
      const { base, dirs } = dirsFor(count)
      const config = join(base, 'kubeconfig')
      writeFileSync(config, k8s.kubeconfig({ namespace: 'default' }).replace(k8s.url, proxy.url))
      const env = { PATH: process.env.PATH, HOME: base, KUBECONFIG: config }
      try {
        const before = k8s.requests.length
        const started = performance.now()
        // As a hand-written job does it: apply every app's manifests, then wait for each rollout.
        for (const [app, dir] of dirs) {
          writeFileSync(
            join(dir, 'app.yaml'),
            manifests(app).replace(`registry.example/${app}:v0`, `registry.example/${app}:v1`)
          )
          // --validate=false: the emulator serves no OpenAPI document for kubectl's client-side
          // check; it validates every object itself, as an API server does on apply.
          await runKubectl(
            ['apply', '--server-side', '--validate=false', '--field-manager', 'bench', '-f', dir],
            env
          )
          await rolledOut(app, env)
        }
        applies.push(performance.now() - started)
        calls.push(k8s.requests.length - before)
      } finally {
        await new Promise(resolve => proxy.server.close(resolve))
        await k8s.close()
        rmSync(base, { recursive: true, force: true })
      }
    }
    kubectlTiming.push({ count, apply: median(applies), calls: median(calls) })
    console.log(`kubectl, ${count} app(s): ${seconds(median(applies))}`)
  }
}

// ---- results --------------------------------------------------------------------------------
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(
  totalmem() / 2 ** 30
)} GB, Node ${process.version}`
const lines = [
  '# The kubernetes provider against the API emulator',
  '',
  `Machine: ${machine}; \`node bench/kubernetes.mjs\`, the deploy-strategy bundle in dist/ against`,
  'the Kubernetes API emulator (test/kubernetes-emulator) on loopback. Pods are emulated (no',
  "containers, no scheduler, no image pulls): the times are Slipway's own work, the client",
  "library's and the loopback round trips. Median of " + ROUNDS + ' rounds.',
  '',
  '## Plan and apply time',
  '',
  'blue-green, one Deployment per app (two slots), each app its own deploy-strategy run, one after',
  'another as one job per app would; each run is a fresh `node` process (start-up included).',
  '',
  '| apps | plan (`dry-run`), all apps | apply v1, all apps | apply per app | API calls of the apply |',
  '| --- | --- | --- | --- | --- |',
  ...timing.map(
    t =>
      `| ${t.count} | ${seconds(t.plan)} | ${seconds(t.apply)} | ${seconds(t.apply / t.count)} | ${t.calls} |`
  ),
  '',
  '## API calls per rollout step',
  '',
  'v1 → v2 in process (the stage with the emulator in one process), the requests between one',
  "step's end and the next: reads (GET and LIST), watches opened, writes (apply, patch).",
  ''
]
for (const s of perStep) {
  lines.push(`**${s.strategy}**, ${s.total} calls in all:`, '')
  lines.push('| step | reads | watches | writes |', '| --- | --- | --- | --- |')
  s.steps.forEach((step, i) =>
    lines.push(`| ${i + 1}. ${step.step} | ${step.reads} | ${step.watches} | ${step.writes} |`)
  )
  lines.push('')
}
lines.push('## Against kubectl', '')
if (!kubectlVersion) {
  lines.push('kubectl is not installed on this machine: nothing is compared.', '')
} else {
  lines.push(
    `kubectl ${kubectlVersion}: per app, \`kubectl apply --server-side --validate=false\` of the same`,
    'manifests, then what `kubectl rollout status` checks, polled with `kubectl get` every 100 ms.',
    '(`--validate=false`: the emulator serves no OpenAPI document and validates on apply itself.',
    'kubectl sends no bearer token over plain HTTP, so a loopback proxy adds it; through it,',
    '`rollout status` prints its success but does not exit, hence the polling.) kubectl applies one',
    "Deployment in place; Slipway's blue-green also applies the preview Service, waits for the new",
    'slot and switches the Service to it: more calls for more steps, and a',
    'fresh `node` process per run.',
    '',
    '| apps | kubectl, all apps | Slipway blue-green, all apps | Slipway / kubectl | kubectl API calls | Slipway API calls |',
    '| --- | --- | --- | --- | --- | --- |',
    ...kubectlTiming.map(k => {
      const t = timing.find(x => x.count === k.count)
      return `| ${k.count} | ${seconds(k.apply)} | ${seconds(t.apply)} | ${(t.apply / k.apply).toFixed(2)}× | ${k.calls} | ${t.calls} |`
    }),
    ''
  )
}
const text = lines.join('\n')
console.log(`\n${text}`)
if (write) writeFileSync(join(root, 'bench', 'results', 'kubernetes.md'), text)
