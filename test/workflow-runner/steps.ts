/**
 * One step as the runner runs it: its `if:` decided with the job's status so far, `${{ }}`
 * rendered, `run:` under bash (`bash --noprofile --norc -eo pipefail`, the runner's default),
 * `uses:` through the action mapping, and the file commands read back: GITHUB_OUTPUT into
 * `steps.<id>.outputs`, GITHUB_ENV and GITHUB_PATH into the next steps' environment.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCommandFile } from '../helpers/run-bundle.js'
import { runAction, runProgram, type ActionResult } from './actions.js'
import {
  decide,
  renderString,
  truthy,
  evaluate,
  type KnownNames,
  type Scope
} from './expressions.js'
import type { RunnerStep } from './workflow-file.js'
import type { StepRecord, Values } from './types.js'

export interface JobState {
  path: string
  workspace: string
  runnerTemp: string
  /** Everything but `env`, `steps` and `job`, which the state keeps. */
  contexts: Record<string, unknown>
  known: KnownNames
  /** The job's environment: the runner's variables, workflow and job `env`, GITHUB_ENV. */
  env: Values
  /** Only for `uses:` steps (the runner gives the runtime token to actions, not to scripts). */
  actionEnv: Values
  pathPrepend: string[]
  steps: Record<string, { outcome: string; conclusion: string; outputs: Values }>
  failed: boolean
  secrets: string[]
  origin: string
  sha: string
  syncTags(): void
  deadlineMs: number
}

export function scopeOf(state: JobState, where: string, env: Values = state.env): Scope {
  return {
    contexts: {
      ...state.contexts,
      env,
      steps: state.steps,
      job: { status: state.failed ? 'failure' : 'success' }
    },
    status: { failure: state.failed, cancelled: false },
    known: state.known,
    where
  }
}

export function mask(text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 3) out = out.split(secret).join('***')
  return out
}

function renderEnv(values: Record<string, unknown> | undefined, scope: Scope): Values {
  return Object.fromEntries(
    Object.entries(values ?? {}).map(([name, value]) => [name, renderString(value, scope)])
  )
}

export async function runStep(
  state: JobState,
  step: RunnerStep,
  index: number
): Promise<StepRecord> {
  const where = `${state.path} step ${step.id ?? index + 1}`
  const name = step.name
    ? renderString(step.name, scopeOf(state, `${where} name`))
    : (step.uses ?? step.run?.split('\n')[0] ?? `step ${index + 1}`)
  const record: StepRecord = {
    job: state.path,
    name,
    id: step.id,
    outcome: 'skipped',
    conclusion: 'skipped',
    outputs: {},
    log: '',
    summary: '',
    errors: []
  }
  const run = decide(step.if, scopeOf(state, `${where} if`))
  if (!run) {
    if (step.id) state.steps[step.id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} }
    return record
  }
  const stepEnv = { ...state.env, ...renderEnv(step.env, scopeOf(state, `${where} env`)) }
  const scope = scopeOf(state, where, stepEnv)
  const files = mkdtempSync(join(state.runnerTemp, '_runner_file_commands-'))
  const commandFiles = {
    GITHUB_OUTPUT: join(files, 'output'),
    GITHUB_ENV: join(files, 'env'),
    GITHUB_PATH: join(files, 'path'),
    GITHUB_STEP_SUMMARY: join(files, 'summary'),
    GITHUB_STATE: join(files, 'state')
  }
  for (const file of Object.values(commandFiles)) writeFileSync(file, '')
  const env: Values = {
    ...stepEnv,
    ...commandFiles,
    PATH: [...state.pathPrepend, stepEnv.PATH].join(':')
  }
  let result: ActionResult
  if (step.run !== undefined) {
    const script = join(files, 'script.sh')
    writeFileSync(script, renderString(step.run, scope))
    if (step.shell && step.shell !== 'bash')
      throw new Error(`${where}: shell ${step.shell} not emulated`)
    const cwd = step['working-directory']
      ? join(state.workspace, renderString(step['working-directory'], scope))
      : state.workspace
    const out = await runProgram('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd,
      env,
      deadlineMs: state.deadlineMs
    })
    const errors = [...out.log.matchAll(/^::error(?: [^:]*)?::(.*)$/gm)].map(m => m[1])
    if (out.exitCode !== 0) errors.push(`Process completed with exit code ${out.exitCode}.`)
    result = {
      exitCode: out.exitCode,
      outputs: parseCommandFile(readFileSync(commandFiles.GITHUB_OUTPUT, 'utf8')),
      summary: readFileSync(commandFiles.GITHUB_STEP_SUMMARY, 'utf8'),
      log: out.log,
      errors
    }
  } else if (step.uses) {
    const uses = step.uses
    const given = renderEnv(step.with, scope)
    result = await runAction({
      uses,
      with: given,
      env: { ...env, ...state.actionEnv },
      workspace: state.workspace,
      deadlineMs: state.deadlineMs,
      renderDefault: text => renderString(text, scopeOf(state, `${where} default of ${uses}`)),
      origin: state.origin,
      sha: state.sha,
      syncTags: state.syncTags
    })
    // A local equivalent writes its outputs through the file command, as the real one would.
    result.outputs = {
      ...parseCommandFile(readFileSync(commandFiles.GITHUB_OUTPUT, 'utf8')),
      ...result.outputs
    }
  } else {
    throw new Error(`${where}: neither run nor uses`)
  }
  for (const [key, value] of Object.entries(
    parseCommandFile(readFileSync(commandFiles.GITHUB_ENV, 'utf8'))
  ))
    state.env[key] = value
  for (const line of readFileSync(commandFiles.GITHUB_PATH, 'utf8').split('\n')) {
    if (line.trim()) state.pathPrepend.unshift(line.trim())
  }
  rmSync(files, { recursive: true, force: true })
  const outcome = result.exitCode === 0 ? 'success' : 'failure'
  const continueOnError =
    step['continue-on-error'] !== undefined &&
    truthy(evaluate(String(renderString(step['continue-on-error'], scope) || 'false'), scope))
  Object.assign(record, {
    outcome,
    conclusion: outcome === 'failure' && continueOnError ? 'success' : outcome,
    outputs: result.outputs,
    log: mask(result.log, state.secrets),
    summary: mask(result.summary, state.secrets),
    errors: result.errors.map(e => mask(e, state.secrets))
  })
  if (step.id) {
    state.steps[step.id] = {
      outcome: record.outcome,
      conclusion: record.conclusion,
      outputs: record.outputs
    }
  }
  if (record.conclusion === 'failure') state.failed = true
  return record
}
