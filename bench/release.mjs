#!/usr/bin/env node
// Benchmark: next version + release notes on a 50,000-commit repository whose last release tag
// is 5,000 commits back. Ours (the tag-and-release bundle in dry-run mode, as the runner runs it)
// against conventional-recommended-bump + conventional-changelog (conventionalcommits preset) on
// the same range, both as fresh node processes (end-to-end wall time, median of N runs).
//
//   npm run build -- tag-and-release && node bench/release.mjs [--commits 50000] [--since 5000] [--runs 5] [--repo DIR]
//
// --repo keeps the synthetic repository in DIR and reuses it on the next run (building it takes
// half a minute; the measured runs only read it). Writes bench/results/release.md.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at > 0 ? Number(process.argv[at + 1]) : fallback
}
const COMMITS = arg('commits', 50_000)
const SINCE = arg('since', 5_000)
const RUNS = arg('runs', 5)
const REPO_AT = process.argv.indexOf('--repo')
const KEPT_REPO = REPO_AT > 0 ? process.argv[REPO_AT + 1] : undefined

const TYPES = ['feat', 'fix', 'perf', 'chore', 'docs', 'refactor', 'test', 'ci', 'fix', 'feat']
const SCOPES = ['', 'api', 'ui', 'core', 'db']

/** A linear history built with one `git fast-import` stream (seconds instead of minutes). */
async function buildRepo(dir) {
  spawnSync('git', ['init', '--quiet', '--initial-branch=main', dir], { stdio: 'inherit' })
  const child = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: dir,
    stdio: ['pipe', 'inherit', 'inherit']
  })
  const chunks = []
  let size = 0
  const flush = async () => {
    const text = chunks.join('')
    chunks.length = 0
    size = 0
    if (!child.stdin.write(text)) await new Promise(resolve => child.stdin.once('drain', resolve))
  }
  const start = Date.UTC(2020, 0, 1) / 1000
  for (let i = 1; i <= COMMITS; i++) {
    const type = TYPES[i % TYPES.length]
    const scope = SCOPES[i % SCOPES.length]
    const breaking = i % 997 === 0 && i > COMMITS - SINCE ? '!' : ''
    const body = i % 7 === 0 ? `\n\nMore detail about change ${i}.\n\nRefs #${i % 500}\n` : '\n'
    const message = `${type}${scope ? `(${scope})` : ''}${breaking}: change number ${i}${body}`
    const content = `line ${i}\n`
    const when = start + i * 60
    chunks.push(
      `commit refs/heads/main\nmark :${i}\n` +
        `author Bench Author <bench@example.com> ${when} +0000\ncommitter Bench Author <bench@example.com> ${when} +0000\n` +
        `data ${Buffer.byteLength(message)}\n${message}\n` +
        (i > 1 ? `from :${i - 1}\n` : '') +
        `M 644 inline src/f${i % 200}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`
    )
    size++
    if (i === COMMITS - SINCE) {
      const tagMessage = 'v1.0.0\n'
      chunks.push(
        `tag v1.0.0\nfrom :${i}\ntagger Bench Author <bench@example.com> ${when} +0000\ndata ${tagMessage.length}\n${tagMessage}\n`
      )
    }
    if (size >= 1000) await flush()
  }
  chunks.push('done\n')
  await flush()
  child.stdin.end()
  await new Promise((resolve, reject) =>
    child.on('close', code =>
      code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`))
    )
  )
  spawnSync('git', ['checkout', '--quiet', '-f', 'main'], { cwd: dir, stdio: 'inherit' })
}

/** A kept repository is reused only when it has the shape asked for. */
function builtFor(dir) {
  const git = args => spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout.trim()
  return (
    git(['rev-list', '--count', 'HEAD']) === String(COMMITS) &&
    git(['rev-list', '--count', 'v1.0.0..HEAD']) === String(SINCE)
  )
}

function runNode(args, options) {
  const started = process.hrtime.bigint()
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...options
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${result.stderr}`)
  return { ms, stdout: result.stdout }
}

function ours(dir, scratch) {
  const output = join(scratch, 'output')
  const summary = join(scratch, 'summary')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const { ms } = runNode([join(root, 'dist/tag-and-release/index.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: 'octo/app',
      'INPUT_DRY-RUN': 'true',
      'INPUT_TAG-PREFIX': 'v'
    }
  })
  const out = readFileSync(output, 'utf8')
  const version = /version<<[^\n]+\n([^\n]*)/.exec(out)?.[1] ?? /version=([^\n]*)/.exec(out)?.[1]
  const plan = /\| plan \| [^|]+ \| ([^|]+) \|/.exec(readFileSync(summary, 'utf8'))?.[1]?.trim()
  return { ms, version, plan }
}

const REFERENCE = `
import { Bumper } from 'conventional-recommended-bump'
import { ConventionalChangelog } from 'conventional-changelog'
const dir = process.argv[2]
const started = performance.now()
const bump = await new Bumper(dir).tag({ prefix: 'v' }).loadPreset('conventionalcommits').bump()
let notes = ''
for await (const chunk of new ConventionalChangelog(dir).loadPreset('conventionalcommits').tags({ prefix: 'v' })
  .repository('https://github.com/octo/app').context({ version: 'next' }).write()) notes += chunk
console.log(JSON.stringify({ releaseType: bump.releaseType, notes: notes.length, inProcessMs: performance.now() - started }))
`

// The parser measurement the house rule asks for (use the field's library unless a measurement
// says otherwise): the same commits parsed with conventional-commits-parser alone and with the
// plan's fast paths, in one process through tsx, best of several passes; the notes must match.
const PARSER = `
import { parseCommits, readCommits, renderNotes, resolveCommit } from '${join(root, 'packages/release/src/index.ts')}'
const dir = process.argv[2]
const raw = await readCommits({ cwd: dir, from: await resolveCommit('v1.0.0', { cwd: dir }), to: 'HEAD' })
const best = fastPath => {
  let ms = Infinity
  let commits
  for (let i = 0; i < 7; i++) {
    const started = performance.now()
    commits = parseCommits(raw, { fastPath })
    ms = Math.min(ms, performance.now() - started)
  }
  return { ms, commits }
}
const library = best(false)
const fast = best(true)
const notes = commits => renderNotes(commits, { version: '2.0.0', tag: 'v2.0.0', previousTag: 'v1.0.0', repoUrl: 'https://github.com/octo/app', date: '2026-01-01' })
console.log(JSON.stringify({ commits: raw.length, libraryMs: library.ms, fastMs: fast.ms, same: notes(library.commits) === notes(fast.commits) }))
`

function parserMeasurement(dir) {
  const script = join(root, 'bench', '.release-parser.mts')
  writeFileSync(script, PARSER)
  try {
    const { stdout } = runNode(['--import', 'tsx', script, dir], { cwd: root })
    return JSON.parse(stdout.trim().split('\n').pop())
  } finally {
    rmSync(script, { force: true })
  }
}

function reference(dir, script) {
  const { ms, stdout } = runNode([script, dir], { cwd: root })
  return { ms, ...JSON.parse(stdout.trim().split('\n').pop()) }
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const scratch = mkdtempSync(join(tmpdir(), 'slipway-bench-release-'))
try {
  const dir = KEPT_REPO ?? join(scratch, 'repo')
  let buildMs
  if (KEPT_REPO && existsSync(join(dir, '.git')) && builtFor(dir)) {
    console.log(`reusing the ${COMMITS} commits in ${dir}`)
  } else {
    rmSync(dir, { recursive: true, force: true })
    const t = Date.now()
    await buildRepo(dir)
    buildMs = Date.now() - t
    console.log(`built ${COMMITS} commits in ${(buildMs / 1000).toFixed(1)}s`)
  }
  const script = join(root, 'bench', '.release-reference.mjs')
  writeFileSync(script, REFERENCE)
  const oursRuns = []
  const refRuns = []
  let sample
  let refSample
  try {
    // One warm-up of each (page cache, git's pack index), then alternate.
    ours(dir, scratch)
    reference(dir, script)
    for (let i = 0; i < RUNS; i++) {
      sample = ours(dir, scratch)
      oursRuns.push(sample.ms)
      refSample = reference(dir, script)
      refRuns.push(refSample.ms)
      console.log(
        `run ${i + 1}: ours ${sample.ms.toFixed(0)} ms (plan ${sample.plan}), reference ${refSample.ms.toFixed(0)} ms`
      )
    }
  } finally {
    rmSync(script, { force: true })
  }
  const parser = parserMeasurement(dir)
  if (!parser.same) throw new Error('the fast paths changed the notes')
  const o = median(oursRuns)
  const r = median(refRuns)
  // Each run's pair ran back to back, so its ratio shows how much the answer moves with the load.
  const ratios = refRuns.map((ms, i) => ms / oursRuns[i])
  const load = loadavg()[0]
  const table = `# tag-and-release benchmark

Next version + release notes on a synthetic linear repository of **${COMMITS.toLocaleString('en')} commits** whose
last release tag (\`v1.0.0\`) is **${SINCE.toLocaleString('en')} commits** back (mixed feat/fix/perf/chore/docs…,
scopes, bodies with references, a few breaking changes). Built with \`git fast-import\`${buildMs === undefined ? '' : ` in ${(buildMs / 1000).toFixed(1)} s`}.

Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, git ${spawnSync('git', ['--version'], { encoding: 'utf8' }).stdout.trim().replace('git version ', '')}.
Both sides run as fresh node processes (end-to-end wall time, median of ${RUNS} runs after one warm-up, alternating). Load average (1 min) when the runs ended: ${load.toFixed(1)}.

| tool | what it does | median wall time | runs (ms) |
| --- | --- | ---: | --- |
| Slipway \`dist/tag-and-release\` (dry-run) | tags + one \`git log\` pass over the range, parse, bump, notes | ${o.toFixed(0)} ms | ${oursRuns.map(x => x.toFixed(0)).join(', ')} |
| conventional-recommended-bump + conventional-changelog (conventionalcommits) | the same, with the reference tools | ${r.toFixed(0)} ms | ${refRuns.map(x => x.toFixed(0)).join(', ')} |

**Ratio (reference ÷ ours): ${(r / o).toFixed(2)}×.**

Answers: ours \`${sample.version}\`; reference bump \`${refSample.releaseType}\` (${refSample.notes} characters of notes, ${refSample.inProcessMs.toFixed(0)} ms in-process).
Ratio of each run's pair: ${Math.min(...ratios).toFixed(2)}× to ${Math.max(...ratios).toFixed(2)}×. The machine is shared with other jobs: single runs, and the ratio with them, vary with its load.

Our plan step alone in the last run (inside the bundle, without node start-up): ${sample.plan}.

Parsing the ${parser.commits.toLocaleString('en')} commits of the range (in-process, best of 7): conventional-commits-parser alone ${parser.libraryMs.toFixed(1)} ms; with the plan's fast paths ${parser.fastMs.toFixed(1)} ms (messages with nothing but a header read with the preset's header patterns; the parser's reference regex skipped on lines without \`#\`), the same notes. This is the measurement behind reading commits partly without the parser; \`test/release/fast-parse.test.ts\` holds both paths to the same answers.

Reproduce: \`npm run build -- tag-and-release && node bench/release.mjs\`.
`
  writeFileSync(join(root, 'bench', 'results', 'release.md'), table)
  console.log(table)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
