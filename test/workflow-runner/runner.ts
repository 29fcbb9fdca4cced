/**
 * A small job runner for tests: runs a workflow's jobs in `needs:` order (one at a time), each
 * job's steps in order, reusable workflows called with `with:`/`secrets:` and their outputs,
 * and records the approvals of the Environments jobs reference. GitHub is the emulator; the
 * run is registered there as a workflow run, in progress until it ends.
 *
 * Mistakes in the workflow (an expression that does not evaluate, a `with:` key the action does
 * not declare, an undeclared input or secret) throw: the run stops and the test fails. A step
 * that fails fails its job, as on GitHub; the record says which.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startArtifactEmulator } from '../artifact-emulator/server.js'
import { resolveUses, type Job } from '../workflows/workflows.js'
import { decide, render, renderString, WorkflowError, type Scope } from './expressions.js'
import { runStep, type JobState } from './steps.js'
import type { JobRecord, Result, RunRecord, RunRequest, RunnerSetup, Values } from './types.js'
import {
  allInputNames,
  declaredInputs,
  inputsContext,
  loadWorkflow,
  type LoadedWorkflow,
  type RunnerJob
} from './workflow-file.js'

interface Call {
  /** `staging/` inside a called workflow. */
  prefix: string
  github: Record<string, unknown>
  inputs: Record<string, unknown>
  /** Secrets the caller passed (a called workflow) or the repository's (the top workflow). */
  secrets: Values
  runId: number
  eventPath: string
  /** ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL of this run's artifact service. */
  actionEnv: Values
}

const MACHINE = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'USER', 'SHELL']

export async function runWorkflow(setup: RunnerSetup, request: RunRequest): Promise<RunRecord> {
  const wf = await loadWorkflow(request.workflow, request.text)
  const { github: gh, repository } = setup
  const sha = request.sha ?? repository.head()
  const ref = request.ref ?? 'refs/heads/main'
  const trigger =
    request.event === 'workflow_dispatch' || request.event === 'workflow_call'
      ? request.event
      : undefined
  if (!trigger && request.inputs) throw new WorkflowError(`${request.event} has no inputs`)
  const inputs = trigger
    ? inputsContext(declaredInputs(wf.doc, trigger), request.inputs ?? {}, `${wf.path} inputs`)
    : {}
  const runId = gh.state.addWorkflowRun({
    status: 'in_progress',
    head_sha: sha,
    event: request.event,
    name: wf.doc.name ?? wf.path,
    path: wf.path
  })
  const eventDir = mkdtempSync(join(tmpdir(), 'slipway-wfr-event-'))
  const eventPath = join(eventDir, 'event.json')
  const event = request.payload ?? (trigger === 'workflow_dispatch' ? { inputs } : {})
  writeFileSync(eventPath, JSON.stringify(event))
  const github = {
    token: gh.token,
    sha,
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    repository: `${gh.owner}/${gh.repo}`,
    repository_owner: gh.owner,
    event_name: request.event,
    event,
    actor: request.actor ?? 'octocat',
    triggering_actor: request.actor ?? 'octocat',
    run_id: String(runId),
    run_number: '1',
    run_attempt: '1',
    workflow: wf.doc.name ?? wf.path,
    api_url: gh.url,
    server_url: 'https://github.com',
    graphql_url: `${gh.url}/graphql`,
    retention_days: '90'
  }
  const record: RunRecord = {
    conclusion: 'success',
    jobs: {},
    approvals: [],
    outputs: {},
    runId,
    artifacts: []
  }
  const artifacts = await startArtifactEmulator({ runId: randomUUID(), jobId: randomUUID() })
  try {
    const call: Call = {
      prefix: '',
      github,
      inputs,
      secrets: request.event === 'workflow_call' ? (request.secrets ?? {}) : (setup.secrets ?? {}),
      runId,
      eventPath,
      actionEnv: artifacts.env
    }
    const results = await runJobs(setup, wf, call, record)
    if (request.event === 'workflow_call') record.outputs = callOutputs(wf, results, call, setup)
    if (Object.values(results).some(job => job.result === 'failure')) record.conclusion = 'failure'
  } finally {
    record.artifacts = artifacts.artifacts.map(a => ({ name: a.name, size: a.size }))
    await artifacts.close()
    rmSync(eventDir, { recursive: true, force: true })
    const run = gh.state.workflowRuns.find(r => r.id === runId)
    if (run) Object.assign(run, { status: 'completed', conclusion: record.conclusion })
  }
  if (artifacts.validationErrors.length > 0) {
    throw new WorkflowError(`artifact service: ${artifacts.validationErrors.join('; ')}`)
  }
  return record
}

function jobsOf(wf: LoadedWorkflow): [string, RunnerJob][] {
  return Object.entries((wf.doc.jobs ?? {}) as Record<string, RunnerJob>)
}

function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]
}

/** Runs a workflow's jobs in `needs:` order; returns each job's result and outputs by id. */
async function runJobs(
  setup: RunnerSetup,
  wf: LoadedWorkflow,
  call: Call,
  record: RunRecord
): Promise<Record<string, JobRecord>> {
  const jobs = jobsOf(wf)
  const ids = new Set(jobs.map(([id]) => id))
  for (const [id, job] of jobs) {
    for (const need of needsOf(job)) {
      if (!ids.has(need)) throw new WorkflowError(`${wf.path}: job ${id} needs unknown job ${need}`)
    }
  }
  const done: Record<string, JobRecord> = {}
  while (Object.keys(done).length < jobs.length) {
    const next = jobs.find(([id, job]) => !(id in done) && needsOf(job).every(need => need in done))
    if (!next) throw new WorkflowError(`${wf.path}: the needs of its jobs form a cycle`)
    const [id, job] = next
    const needs = Object.fromEntries(
      needsOf(job).map(need => [need, { result: done[need].result, outputs: done[need].outputs }])
    )
    const results = Object.values(needs).map(n => n.result)
    const scope: Scope = {
      contexts: { github: call.github, inputs: call.inputs, vars: setup.vars ?? {}, needs },
      status: {
        success: results.every(r => r === 'success'),
        failure: results.some(r => r === 'failure'),
        cancelled: false
      },
      known: { inputs: allInputNames(wf.doc), needs: new Set(needsOf(job)) },
      where: `${wf.path} job ${id} if`
    }
    const path = `${call.prefix}${id}`
    let result: JobRecord
    if (!decide(job.if, scope)) {
      result = { result: 'skipped', outputs: {}, steps: [] }
    } else if (job.uses) {
      result = await runCall(setup, wf, id, job, needs, call, record)
    } else {
      result = await runJob(setup, wf, id, job, needs, call, record)
    }
    done[id] = result
    record.jobs[path] = result
  }
  return done
}

async function runCall(
  setup: RunnerSetup,
  wf: LoadedWorkflow,
  id: string,
  job: RunnerJob,
  needs: Record<string, unknown>,
  call: Call,
  record: RunRecord
): Promise<JobRecord> {
  const where = `${wf.path} job ${id}`
  const target = resolveUses(job.uses!)
  if (target.kind !== 'workflow') throw new WorkflowError(`${where}: ${job.uses} is not ours`)
  const called = await loadWorkflow(target.file)
  const scope: Scope = {
    contexts: {
      github: call.github,
      inputs: call.inputs,
      vars: setup.vars ?? {},
      secrets: { ...call.secrets, GITHUB_TOKEN: setup.github.token },
      needs
    },
    known: { inputs: allInputNames(wf.doc), needs: new Set(needsOf(job)) },
    where: `${where} with`
  }
  const given = render(job.with ?? {}, scope) as Record<string, unknown>
  const inputs = inputsContext(declaredInputs(called.doc, 'workflow_call'), given, `${where} with`)
  const declaredSecrets = ((
    (called.doc.on as Record<string, { secrets?: Record<string, { required?: boolean } | null> }>)
      .workflow_call ?? {}
  ).secrets ?? {}) as Record<string, { required?: boolean } | null>
  let secrets: Values
  if (job.secrets === 'inherit') secrets = { ...call.secrets }
  else {
    secrets = {}
    for (const [name, value] of Object.entries(job.secrets ?? {})) {
      if (!(name in declaredSecrets)) {
        throw new WorkflowError(`${where} secrets: ${name} is not declared by ${target.file}`)
      }
      secrets[name] = renderString(value, { ...scope, where: `${where} secrets` })
    }
  }
  for (const [name, spec] of Object.entries(declaredSecrets)) {
    if (spec?.required && !secrets[name]) {
      throw new WorkflowError(`${where}: required secret ${name} not passed`)
    }
  }
  const inner: Call = { ...call, prefix: `${call.prefix}${id}/`, inputs, secrets }
  const results = await runJobs(setup, called, inner, record)
  const failed = Object.values(results).some(r => r.result === 'failure')
  return {
    result: failed ? 'failure' : 'success',
    outputs: callOutputs(called, results, inner, setup),
    steps: []
  }
}

function callOutputs(
  wf: LoadedWorkflow,
  results: Record<string, JobRecord>,
  call: Call,
  setup: RunnerSetup
): Values {
  const outputs = ((
    (wf.doc.on as Record<string, { outputs?: Record<string, { value?: string } | null> }>)
      .workflow_call ?? {}
  ).outputs ?? {}) as Record<string, { value?: string } | null>
  const jobs = Object.fromEntries(
    Object.entries(results).map(([id, r]) => [id, { result: r.result, outputs: r.outputs }])
  )
  return Object.fromEntries(
    Object.entries(outputs).map(([name, spec]) => [
      name,
      renderString(spec?.value ?? '', {
        contexts: { github: call.github, inputs: call.inputs, vars: setup.vars ?? {}, jobs },
        where: `${wf.path} output ${name}`
      })
    ])
  )
}

function environmentName(job: RunnerJob, scope: Scope): string | undefined {
  const environment = job.environment as string | { name?: string } | undefined
  if (environment === undefined) return undefined
  const name = typeof environment === 'string' ? environment : environment.name
  return name === undefined ? undefined : renderString(name, scope)
}

async function runJob(
  setup: RunnerSetup,
  wf: LoadedWorkflow,
  id: string,
  job: RunnerJob,
  needs: Record<string, unknown>,
  call: Call,
  record: RunRecord
): Promise<JobRecord> {
  const path = `${call.prefix}${id}`
  const where = `${wf.path} job ${id}`
  const known = {
    inputs: allInputNames(wf.doc),
    needs: new Set(needsOf(job)),
    steps: new Set((job.steps ?? []).flatMap(s => (s.id ? [s.id] : [])))
  }
  const base = {
    github: { ...call.github, job: id },
    inputs: call.inputs,
    vars: setup.vars ?? {},
    needs
  }
  const environment = environmentName(job, { contexts: base, known, where: `${where} environment` })
  const envSettings = environment ? setup.environments?.[environment] : undefined
  if (environment) record.approvals.push({ job: path, environment })
  const vars = { ...setup.vars, ...envSettings?.vars }
  const secrets = { ...call.secrets, ...envSettings?.secrets, GITHUB_TOKEN: setup.github.token }
  const workspace = mkdtempSync(join(tmpdir(), 'slipway-wfr-work-'))
  const runnerTemp = mkdtempSync(join(tmpdir(), 'slipway-wfr-temp-'))
  const runner = { temp: runnerTemp, os: 'Linux', arch: 'X64', name: 'slipway-test-runner' }
  const contexts = {
    ...base,
    github: { ...base.github, workspace },
    vars,
    secrets,
    runner,
    strategy: {},
    matrix: {}
  }
  const fixed = { contexts: { ...contexts, env: {} }, known }
  // Rendered for the same reason the runner renders them: a bad expression fails the job here.
  for (const field of ['name', 'runs-on', 'timeout-minutes', 'concurrency'] as const) {
    if (job[field] !== undefined) render(job[field], { ...fixed, where: `${where} ${field}` })
  }
  const machine = Object.fromEntries(
    MACHINE.flatMap(name => (process.env[name] ? [[name, process.env[name]!]] : []))
  )
  const workflowEnv = Object.fromEntries(
    Object.entries(wf.doc.env ?? {}).map(([k, v]) => [
      k,
      renderString(v, { ...fixed, where: `${wf.path} env` })
    ])
  )
  const env: Values = {
    ...machine,
    ...setup.machineEnv,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: String(call.github.repository),
    GITHUB_REPOSITORY_OWNER: String(call.github.repository_owner),
    GITHUB_SHA: String(call.github.sha),
    GITHUB_REF: String(call.github.ref),
    GITHUB_REF_NAME: String(call.github.ref_name),
    GITHUB_REF_TYPE: String(call.github.ref_type),
    GITHUB_EVENT_NAME: String(call.github.event_name),
    GITHUB_EVENT_PATH: call.eventPath,
    GITHUB_ACTOR: String(call.github.actor),
    GITHUB_TRIGGERING_ACTOR: String(call.github.triggering_actor),
    GITHUB_RUN_ID: String(call.runId),
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: id,
    GITHUB_WORKFLOW: String(call.github.workflow),
    GITHUB_API_URL: setup.github.url,
    GITHUB_GRAPHQL_URL: `${setup.github.url}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'slipway-test-runner',
    SLIPWAY_GITHUB_WRITE_INTERVAL_MS: process.env.SLIPWAY_GITHUB_WRITE_INTERVAL_MS ?? '0',
    ...workflowEnv
  }
  Object.assign(
    env,
    Object.fromEntries(
      Object.entries(job.env ?? {}).map(([k, v]) => [
        k,
        renderString(v, { ...fixed, contexts: { ...contexts, env }, where: `${where} env` })
      ])
    )
  )
  const state: JobState = {
    path,
    workspace,
    runnerTemp,
    contexts,
    known,
    env,
    actionEnv: call.actionEnv,
    pathPrepend: [],
    steps: {},
    failed: false,
    secrets: Object.values(secrets).filter(Boolean),
    origin: setup.repository.dir,
    sha: String(call.github.sha),
    syncTags: () => setup.repository.syncTags(),
    deadlineMs: setup.stepDeadlineMs ?? 180_000
  }
  const result: JobRecord = { result: 'success', outputs: {}, steps: [], environment }
  try {
    for (const [index, step] of (job.steps ?? []).entries()) {
      result.steps.push(await runStep(state, step, index))
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true })
    rmSync(runnerTemp, { recursive: true, force: true })
  }
  result.result = (state.failed ? 'failure' : 'success') satisfies Result
  const outputScope: Scope = {
    contexts: { ...contexts, env, steps: state.steps, job: { status: result.result } },
    known,
    where: `${where} outputs`
  }
  for (const [name, value] of Object.entries(job.outputs ?? {})) {
    result.outputs[name] = renderString(value, { ...outputScope, where: `${where} output ${name}` })
  }
  return result
}
