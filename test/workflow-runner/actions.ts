/**
 * What a step's `uses:` runs. Our actions run as their bundles (run-bundle semantics) with the
 * defaults of their action.yml applied and a `with:` key they do not declare refused; the
 * third-party actions our workflows use run as local equivalents with the same inputs:
 * checkout clones the fixture repository, setup-node checks Node.js and the lock file,
 * upload/download-artifact use the official artifact client against the artifact emulator.
 * Anything else is refused: a workflow must not depend on an action the suite cannot run.
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot, runBundle } from '../helpers/run-bundle.js'
import { VERIFIED_PINS } from '../workflows/checks.js'
import { readActionYaml, resolveUses } from '../workflows/workflows.js'
import { WorkflowError } from './expressions.js'
import type { Values } from './types.js'

export interface ActionCall {
  uses: string
  /** Rendered `with:` values (strings, as the runner passes them). */
  with: Values
  env: Values
  workspace: string
  deadlineMs: number
  /** Renders a default such as `${{ github.token }}`. */
  renderDefault(text: string): string
  /** The repository checkout clones, and the commit it checks out by default. */
  origin: string
  sha: string
  syncTags(): void
}

export interface ActionResult {
  exitCode: number | null
  outputs: Values
  summary: string
  log: string
  errors: string[]
}

/** The third-party actions with a local equivalent here. */
const MAPPED = [
  'actions/checkout',
  'actions/setup-node',
  'actions/upload-artifact',
  'actions/download-artifact'
]

function refuseUndeclared(uses: string, given: Values, declared: string[]): void {
  const unknown = Object.keys(given).filter(key => !declared.includes(key))
  if (unknown.length > 0) {
    throw new WorkflowError(
      `${uses}: with: ${unknown.join(', ')} not declared by the action (declared: ${declared.join(', ')})`
    )
  }
}

export async function runAction(call: ActionCall): Promise<ActionResult> {
  const resolved = resolveUses(call.uses)
  if (resolved.kind === 'action') return runOurAction(resolved.name, resolved.file, call)
  if (resolved.kind === 'third-party' && MAPPED.includes(resolved.repo)) {
    // The inputs come from the pin test/workflows verified, so they match the commit the
    // workflow names; a pin not verified there is not run.
    const pin = VERIFIED_PINS[call.uses]
    if (!pin) throw new WorkflowError(`${call.uses}: not a verified pin (see VERIFIED_PINS)`)
    refuseUndeclared(call.uses, call.with, pin.inputs)
    switch (resolved.repo) {
      case 'actions/checkout':
        return checkout(call)
      case 'actions/setup-node':
        return setupNode(call)
      default:
        return artifactStep(
          resolved.repo === 'actions/upload-artifact' ? 'upload' : 'download',
          call
        )
    }
  }
  throw new WorkflowError(`${call.uses}: no local equivalent for this action`)
}

async function runOurAction(name: string, file: string, call: ActionCall): Promise<ActionResult> {
  const metadata = readActionYaml(file)
  if (!metadata) throw new WorkflowError(`${call.uses}: ${file} not found`)
  const declared = metadata.inputs ?? {}
  refuseUndeclared(call.uses, call.with, Object.keys(declared))
  const inputs: Values = {}
  for (const [input, spec] of Object.entries(declared)) {
    if (input in call.with) inputs[input] = call.with[input]
    else if (spec?.default !== undefined) inputs[input] = call.renderDefault(String(spec.default))
  }
  // The all-in-one action at the root runs the pipeline bundle.
  const bundle = name === '(root)' ? 'pipeline' : name
  if (!existsSync(join(repoRoot, 'dist', bundle, 'index.js'))) {
    throw new WorkflowError(`${call.uses}: dist/${bundle}/index.js is not built`)
  }
  // run-bundle provides the file commands; ours would be overridden by the step's environment.
  const env = { ...call.env }
  for (const own of [
    'GITHUB_OUTPUT',
    'GITHUB_STEP_SUMMARY',
    'GITHUB_STATE',
    'GITHUB_ENV',
    'GITHUB_PATH'
  ])
    delete env[own]
  const run = await runBundle(bundle, {
    inputs,
    env,
    workspace: call.workspace,
    timeoutMs: call.deadlineMs
  })
  return {
    exitCode: run.exitCode,
    outputs: run.outputs,
    summary: run.summary,
    log: run.stdout + run.stderr,
    errors: run.annotations.errors
  }
}

/** Runs a program without a shell; resolves with its exit code and output. */
export function runProgram(
  command: string,
  args: string[],
  options: { cwd: string; env: Values; deadlineMs: number }
): Promise<{ exitCode: number | null; log: string }> {
  return new Promise(resolve => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env })
    let log = ''
    child.stdout.on('data', chunk => (log += chunk))
    child.stderr.on('data', chunk => (log += chunk))
    child.stdin.end()
    const timer = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs)
    child.on('error', error => (log += `${error.message}\n`))
    child.on('close', code => {
      clearTimeout(timer)
      resolve({ exitCode: code, log })
    })
  })
}

function done(exitCode: number | null, log: string): ActionResult {
  const errors = [...log.matchAll(/^::error(?: [^:]*)?::(.*)$/gm)].map(m => m[1])
  if (exitCode !== 0 && errors.length === 0)
    errors.push(log.trim().split('\n').slice(-3).join('\n'))
  return { exitCode, outputs: {}, summary: '', log, errors }
}

async function checkout(call: ActionCall): Promise<ActionResult> {
  if (call.with.repository && call.with.repository !== call.env.GITHUB_REPOSITORY) {
    throw new WorkflowError(`${call.uses}: only this run's repository can be checked out here`)
  }
  call.syncTags()
  const target = call.with.path ? join(call.workspace, call.with.path) : call.workspace
  if (existsSync(target) && readdirSync(target).length > 0) {
    return done(1, `::error::${target} is not empty; checkout here cleans only its own clones`)
  }
  const depth = Number(call.with['fetch-depth'] ?? '1')
  const ref = call.with.ref || call.sha
  const options = { cwd: call.workspace, env: call.env, deadlineMs: call.deadlineMs }
  const args = ['clone', '-q', '--no-checkout']
  if (depth > 0) args.push(`--depth=${depth}`, '--no-single-branch')
  const clone = await runProgram('git', [...args, `file://${call.origin}`, target], options)
  if (clone.exitCode !== 0) return done(clone.exitCode, clone.log)
  // Like actions/checkout: the event's branch when it is a branch at that commit (its upstream
  // set, as `git checkout -B main refs/remotes/origin/main` does), else a detached HEAD.
  const eventRef = call.env.GITHUB_REF ?? ''
  const branch =
    !call.with.ref && eventRef.startsWith('refs/heads/') ? eventRef.slice('refs/heads/'.length) : ''
  const tip = branch
    ? await runProgram('git', ['-C', target, 'rev-parse', `refs/remotes/origin/${branch}`], options)
    : undefined
  const switchTo =
    branch && tip?.log.trim() === ref
      ? ['checkout', '-q', '-B', branch, `refs/remotes/origin/${branch}`]
      : ['checkout', '-q', '--detach', ref]
  const checkoutRef = await runProgram('git', ['-C', target, ...switchTo], options)
  return done(checkoutRef.exitCode, clone.log + checkoutRef.log)
}

async function setupNode(call: ActionCall): Promise<ActionResult> {
  const version = await runProgram(process.execPath, ['--version'], {
    cwd: call.workspace,
    env: call.env,
    deadlineMs: call.deadlineMs
  })
  let log = `node-version ${call.with['node-version'] ?? '(none)'} requested; using ${version.log.trim()} (${process.execPath})\n`
  // setup-node's npm cache needs the lock file and fails the step without one.
  if (call.with.cache === 'npm') {
    const lock = call.with['cache-dependency-path'] || 'package-lock.json'
    if (!existsSync(join(call.workspace, lock))) {
      log += `::error::Dependencies lock file is not found in ${call.workspace}. Supported file patterns: package-lock.json,npm-shrinkwrap.json,yarn.lock\n`
      return done(1, log)
    }
  }
  return done(0, log)
}

async function artifactStep(kind: 'upload' | 'download', call: ActionCall): Promise<ActionResult> {
  const script = join(repoRoot, 'test', 'workflow-runner', 'artifact-step.mjs')
  const args =
    kind === 'upload'
      ? [
          call.with.name || 'artifact',
          call.with.path ?? '',
          call.with['if-no-files-found'] || 'warn',
          call.with['retention-days'] ?? ''
        ]
      : [call.with.name ?? '', call.with.path || '.']
  if (kind === 'download' && !call.with.name) {
    throw new WorkflowError(`${call.uses}: downloading every artifact is not emulated; give a name`)
  }
  const result = await runProgram(process.execPath, [script, kind, ...args], {
    cwd: call.workspace,
    env: call.env,
    deadlineMs: call.deadlineMs
  })
  return done(result.exitCode, result.log)
}
