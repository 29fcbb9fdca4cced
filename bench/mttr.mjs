#!/usr/bin/env node
// MTTR of an automatic rollback: from the moment the smoke test has failed to the moment 100% of
// traffic is answered by the previous version again, for
//   - warm: the previous blue-green slot still runs (keep-previous 30m) → route-back;
//   - cold: the previous slot was retired (keep-previous 0) → redeploy of its artifact.
// Each round is one run of the all-in-one bundle (dist/pipeline/index.js, as the runner runs it)
// deploying a broken build; a client polls the router every 5 ms without retries. The failure
// moment is the smoke stage's end in the pipeline's `timeline` output; the recovery moment is the
// first poll answered by the previous version after which every answer is (one atomic switch).
//
//   node bench/mttr.mjs [rounds=5]      (needs `npm ci`; uses tsx to load the GitHub emulator)
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { register } from 'tsx/esm/api'

register()
const { startEmulator } = await import('../test/github-emulator/index.ts')
const root = new URL('..', import.meta.url).pathname
const appDir = join(root, 'examples', 'sample-app')
const rounds = Number(process.argv[2] ?? 5)
const work = mkdtempSync(join(tmpdir(), 'slipway-mttr-'))
const state = join(work, 'state')
mkdirSync(state)
const children = []

const freePort = () =>
  new Promise(resolve => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const appSource = readFileSync(join(appDir, 'app.mjs'), 'utf8')
function build(version, broken) {
  const dir = join(work, 'builds')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `sample-app-${version}.mjs`)
  writeFileSync(file, `globalThis.__release = ${JSON.stringify({ version, broken })}\n${appSource}`)
  return file
}

const gh = await startEmulator()
const slots = { blue: `127.0.0.1:${await freePort()}`, green: `127.0.0.1:${await freePort()}` }
writeFileSync(join(state, 'slots.json'), JSON.stringify(slots))
const routerPort = await freePort()
const routerUrl = `http://127.0.0.1:${routerPort}/`
children.push(
  spawn(process.execPath, [join(appDir, 'router.mjs')], {
    env: { ...process.env, DEMO_STATE: state, PORT: String(routerPort) },
    stdio: 'ignore'
  })
)
const hooks = `node "${join(appDir, 'hooks.mjs')}"`
const provider = {
  STRATEGY: 'blue-green',
  PROVIDER: 'script',
  TARGETS: Object.entries(slots)
    .map(([n, a]) => `${n}=${a}`)
    .join('\n'),
  'PREPARE-COMMAND': `${hooks} prepare`,
  'RETIRE-COMMAND': `${hooks} retire`,
  'ROUTE-COMMAND': `${hooks} route`,
  'CURRENT-COMMAND': `${hooks} current`,
  'HEALTH-COMMAND': `${hooks} health`,
  'SMOKE-URL': routerUrl,
  'SMOKE-EXPECT-BODY': 'from sample-app',
  'SMOKE-TIMEOUT': '1s'
}
let runId = 5000
const sha = gh.state.addCommit({ message: 'feat: app' })

function pipeline(version, artifact, keepPrevious) {
  const runner = mkdtempSync(join(work, 'runner-'))
  const output = join(runner, 'output')
  writeFileSync(output, '')
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    RUNNER_TEMP: runner,
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: join(runner, 'summary'),
    GITHUB_API_URL: gh.url,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_SHA: sha,
    GITHUB_RUN_ID: String(++runId),
    GITHUB_TOKEN: gh.token,
    SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0',
    DEMO_STATE: state,
    INPUT_VERSION: version,
    INPUT_ENVIRONMENT: 'bench',
    INPUT_ARTIFACT: artifact,
    'INPUT_KEEP-PREVIOUS': keepPrevious,
    ...Object.fromEntries(Object.entries(provider).map(([k, v]) => [`INPUT_${k}`, v]))
  }
  return new Promise(resolve => {
    const child = spawn(process.execPath, [join(root, 'dist', 'pipeline', 'index.js')], {
      env,
      stdio: 'ignore'
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('close', code => {
      clearTimeout(timer)
      const outputs = {}
      const lines = readFileSync(output, 'utf8').split('\n')
      for (let i = 0; i < lines.length; i++) {
        const m = /^([^=<]+)<<(.+)$/.exec(lines[i])
        if (!m) continue
        const body = []
        for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i])
        outputs[m[1]] = body.join('\n')
      }
      let summary = ''
      try {
        summary = readFileSync(join(runner, 'summary'), 'utf8')
      } catch {
        // no summary
      }
      resolve({ code, outputs, summary })
    })
  })
}

/** Polls the router every 5 ms (no retries, one request at a time) until stopped. */
function poll() {
  const samples = []
  let running = true
  const loop = (async () => {
    for (let i = 0; running && i < 200_000; i++) {
      const at = Date.now()
      try {
        const response = await fetch(routerUrl, { signal: AbortSignal.timeout(1000) })
        samples.push({ at, version: response.headers.get('x-version'), status: response.status })
      } catch {
        samples.push({ at, version: null, status: 0 })
      }
      await new Promise(r => setTimeout(r, 5))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return samples
    }
  }
}

const median = values => {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const results = { warm: [], cold: [] }
const failures = []
let n = 0
try {
  for (const mode of ['warm', 'cold']) {
    const keep = mode === 'warm' ? '30m' : '0'
    const good = `v${mode}-good`
    const first = await pipeline(good, build(good, false), keep)
    if (first.code !== 0)
      throw new Error(`setup deploy of ${good} failed: ${JSON.stringify(first.outputs)}`)
    for (let round = 0; round < rounds; round++) {
      const bad = `v${mode}-bad-${++n}`
      const sampler = poll()
      const run = await pipeline(bad, build(bad, true), keep)
      const samples = await sampler.stop()
      const timeline = JSON.parse(run.outputs.timeline ?? '[]')
      const smoke = timeline.find(t => t.stage === 'smoke')
      const rollback = timeline.find(t => t.stage === 'rollback')
      if (run.outputs.status !== 'rolled-back' || !smoke || !rollback) {
        failures.push(`${mode} round ${round + 1}: status ${run.outputs.status}`)
        continue
      }
      const failedAt = Date.parse(smoke.startedAt) + smoke.durationMs
      // first sample of the good version after which every sample is the good version
      let recoveredAt
      for (
        let i = samples.length - 1;
        i >= 0 && samples[i].version === good && samples[i].status === 200;
        i--
      )
        recoveredAt = samples[i].at
      if (!recoveredAt || samples.at(-1)?.version !== good) {
        failures.push(`${mode} round ${round + 1}: traffic did not return to ${good}`)
        continue
      }
      const errors = samples.filter(
        s => s.at > failedAt && s.status !== 200 && s.version !== bad
      ).length
      // The rollback's own timeline: when it knew its target and when traffic was back.
      const rollbackSummary = run.summary.slice(run.summary.indexOf('<details><summary>rollback'))
      const at = step => {
        const m = new RegExp(`\\| \\+([0-9.]+)(ms|s) \\| ✓ ${step} \\|`).exec(rollbackSummary)
        return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : undefined
      }
      results[mode].push({
        targetMs: at('target'),
        routeMs: at('route'),
        mttrMs: recoveredAt - failedAt,
        rollbackStageMs: rollback.durationMs,
        mode: /\((route-back|redeploy|none)\)/.exec(rollback.detail)?.[1],
        errors
      })
      process.stdout.write(
        `${mode} ${round + 1}/${rounds}: MTTR ${recoveredAt - failedAt} ms (rollback stage ${rollback.durationMs} ms, ${results[mode].at(-1).mode})\n`
      )
    }
  }
} finally {
  for (const file of readdirSync(state).filter(f => f.endsWith('.pid')))
    try {
      process.kill(Number(readFileSync(join(state, file), 'utf8')), 'SIGTERM')
    } catch {
      // gone
    }
  for (const child of children) child.kill('SIGTERM')
  await gh.closeUnchecked()
  rmSync(work, { recursive: true, force: true })
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, ${process.platform}`
const med = values => {
  const known = values.filter(v => v !== undefined)
  return known.length ? Math.round(median(known)) : '—'
}
const row = (mode, label) => {
  const r = results[mode]
  if (!r.length) return `| ${label} | 0 | — | — | — | — | — | — | — |`
  const mttr = r.map(x => x.mttrMs)
  return `| ${label} | ${r.length} | ${r[0].mode} | ${median(mttr)} | ${Math.min(...mttr)} | ${Math.max(...mttr)} | ${med(r.map(x => x.targetMs))} | ${med(r.map(x => x.routeMs))} | ${median(r.map(x => x.rollbackStageMs))} |`
}
const table = [
  `Machine: ${machine}. ${new Date().toISOString().slice(0, 10)}. Rounds per mode: ${rounds}.`,
  '',
  '| case | rounds | how | MTTR median (ms) | min | max | target known at (ms, median) | route switched at (ms, median) | whole rollback stage, median (ms) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  row('warm', 'warm slot (keep-previous 30m)'),
  row('cold', 'cold (keep-previous 0)'),
  '',
  failures.length ? `Failed rounds: ${failures.join('; ')}` : 'Every round rolled back (100%).'
].join('\n')
console.log(`\n${table}`)
if (process.argv.includes('--write')) {
  const file = join(root, 'bench', 'results', 'mttr.md')
  writeFileSync(
    file,
    `# MTTR of the automatic rollback\n\n\`node bench/mttr.mjs ${rounds} --write\`. MTTR is measured from the end of the failed smoke stage (the pipeline's \`timeline\` output) to the first router answer from the previous version after which every answer (polled every 5 ms, no retries) comes from it. Script provider, two slots of the sample app behind the symlink router (examples/sample-app), GitHub emulated on loopback. \`target known at\` / \`route switched at\` are offsets inside the rollback stage (its own timeline): the Deployment history read up to the target, then the provider's \`current\` hook, the health gate on the target slot (a Node hook process) and the \`route\` hook (one symlink rename). The whole rollback stage also records the rollback Deployment, marks the bad one, runs the post-rollback smoke check and, for a cold redeploy, drains and retires the bad slot (drain-delay 2s). The machine is shared by several engineers' test runs, so single rounds vary widely; compare medians.\n\n${table}\n`
  )
  console.log(`wrote ${file}`)
}
process.exit(failures.length ? 1 : 0)
