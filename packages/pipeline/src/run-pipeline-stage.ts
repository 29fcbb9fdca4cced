import {
  Inputs,
  SummaryBuilder,
  errorMessage,
  inGroup,
  type OutputValue,
  type RunnerEnv
} from '@slipway/kit'
import type { ConfigFile } from '@slipway/config'
import { readConfigFile } from '@slipway/rollback'
import type { Backends } from './backends/backends.js'
import { noteUserFailure, pipelineError } from './failure.js'
import { STAGE_REGISTRY, type SettingsOf, type StageDefinition, type StageIo } from './registry.js'
import { readRootInputs, type RootInputs } from './root-inputs.js'
import {
  PIPELINE_STAGES,
  StageFailure,
  runPipeline,
  type AnyStage,
  type PipelineResult,
  type PipelineStage,
  type Plan,
  type StageOutcome
} from './run.js'
import { parseStages, planStages } from './stages.js'
import { describeStage, settingsOf, stageSource, type Done } from './stage-inputs.js'
import { renderPipelineSummary } from './summary.js'

export type ParsedStages = { [S in PipelineStage]?: SettingsOf<S> }

export interface PipelineSettings {
  root: RootInputs
  config?: ConfigFile
  token?: string
  plan: Plan
  /** Every stage that will run, parsed before any runs: bad input anywhere changes nothing. */
  stages: ParsedStages
  runnerEnv: RunnerEnv
  /** The token and every stage's secrets: masked before anything runs. */
  readonly secrets: string[]
}

/**
 * Reads the all-in-one action's inputs and parses the settings of every stage that will run,
 * so an InputError in, say, the release section stops the pipeline before the backup starts.
 */
export function parsePipelineSettings(
  inputs: Inputs,
  runnerEnv: RunnerEnv,
  fallbacks: { token?: string } = {}
): PipelineSettings {
  const root = readRootInputs(inputs)
  const token = root.token ?? fallbacks.token
  const config = root.configFile
    ? readConfigFile(root.configFile, 'config-file', runnerEnv.workspace)
    : undefined
  const plan = planStages(parseStages(root.stages), stage => settingsOf(stage, root, config))
  const stages: ParsedStages = {}
  const parse = <S extends PipelineStage>(stage: S) => {
    const source = stageSource(stage, root, config, token)
    const definition = STAGE_REGISTRY[stage] as unknown as StageDefinition<SettingsOf<S>, unknown>
    stages[stage] = definition.parse(new Inputs(source), runnerEnv, { token }) as ParsedStages[S]
  }
  for (const stage of PIPELINE_STAGES) if (plan[stage].run) parse(stage)
  const secrets = [
    token,
    ...root.secrets,
    ...Object.values(stages).flatMap(s => s?.secrets ?? [])
  ].filter((value): value is string => Boolean(value))
  return { root, config, token, plan, stages, runnerEnv, secrets }
}

export interface PipelinePorts {
  backends: Backends
  io: StageIo
}

export interface PipelineStageResult {
  settings: PipelineSettings
  result: PipelineResult
  /** What fails the step (a UserError when every failed stage failed for the user), if anything. */
  failure?: Error
}

/** Values earlier stages produced, applied to a stage's already-parsed settings. */
function withEarlierValues<S extends PipelineStage>(
  stage: S,
  settings: SettingsOf<S>,
  done: Done
): SettingsOf<S> {
  if (stage !== 'deploy') return settings
  const deploy = settings as unknown as SettingsOf<'deploy'>
  const backupId = done.backup?.outputs['backup-id'] || undefined
  if (!backupId) return settings
  // The backup just taken is what the deploy records, and what `rehearse-from: latest` means:
  // named exactly, so another run's newer backup in the same store cannot stand in for it.
  const rehearsal =
    deploy.rehearsal?.from === 'latest' ? { ...deploy.rehearsal, from: backupId } : deploy.rehearsal
  const record = deploy.record && { ...deploy.record, backupId }
  return { ...deploy, record, rehearsal } as unknown as SettingsOf<S>
}

const asText = (value: OutputValue): string =>
  typeof value === 'object' ? JSON.stringify(value) : String(value)

function stageFailure(error: unknown, outcome: StageOutcome): StageFailure {
  const failure = new StageFailure(errorMessage(error), outcome)
  // Kept so the pipeline can tell a stage the user can fix from a bug (failure.ts).
  failure.cause = error
  return failure
}

/**
 * Runs one parsed stage through the registry; its outputs and summary are collected. Throws a
 * StageFailure carrying them when the stage fails, with what failed it as the cause.
 */
export async function runRegisteredStage<Settings extends { readonly secrets: string[] }, Result>(
  stage: AnyStage,
  definition: StageDefinition<Settings, Result>,
  settings: Settings,
  backends: Backends,
  io: StageIo
): Promise<StageOutcome> {
  const outputs: Record<string, string> = {}
  const summary = new SummaryBuilder()
  let result: Result
  try {
    result = await definition.run(settings, backends, io)
  } catch (error) {
    throw stageFailure(error, { outputs, summary: '', detail: errorMessage(error) })
  }
  for (const [name, value] of Object.entries(definition.outputs(result)))
    if (value !== undefined) outputs[name] = asText(value)
  definition.render(result, summary)
  const failure = definition.failure?.(result)
  if (failure)
    throw stageFailure(failure, { outputs, summary: summary.toString(), detail: failure.message })
  return { outputs, summary: summary.toString(), detail: describeStage(stage, outputs) }
}

/** The backends with the stage's name before each progress line. */
function stageBackends(stage: AnyStage, backends: Backends): Backends {
  return {
    ...backends,
    progress: {
      info: message => backends.progress.info(`[${stage}] ${message}`),
      warning: message => backends.progress.warning(`[${stage}] ${message}`)
    }
  }
}

/**
 * Runs the planned stages in order through the registry, rolling back after a failed deploy or
 * smoke stage. Never throws for a failed stage: the result says what failed, and `failure`
 * what the step should fail with.
 */
export async function runPipelineStage(
  settings: PipelineSettings,
  ports: PipelinePorts
): Promise<PipelineStageResult> {
  const { root, config, token } = settings
  const userFixable = new Set<AnyStage>()
  const runOne = (stage: AnyStage, done: Done): Promise<StageOutcome> => {
    const backends = stageBackends(stage, ports.backends)
    if (stage === 'rollback') {
      // Parsed only now: its inputs name the deployment that failed.
      const source = stageSource(stage, root, config, token, done)
      const rollback = STAGE_REGISTRY.rollback.parse(new Inputs(source), settings.runnerEnv, {
        token
      })
      rollback.secrets.forEach(ports.io.secret)
      return runRegisteredStage(stage, STAGE_REGISTRY.rollback, rollback, backends, ports.io)
    }
    const parsed = settings.stages[stage]
    if (!parsed) throw new Error(`${stage} runs but was not parsed`)
    const definition = STAGE_REGISTRY[stage] as unknown as StageDefinition<typeof parsed, unknown>
    return runRegisteredStage(
      stage,
      definition,
      withEarlierValues(stage, parsed, done),
      backends,
      ports.io
    )
  }
  const result = await runPipeline({
    plan: settings.plan,
    // One collapsible group per stage in the runner's log (a header line in the CLI).
    runStage: (stage, done) =>
      inGroup(ports.backends.progress, stage, () =>
        noteUserFailure(stage, userFixable, () => runOne(stage, done))
      ),
    shouldRollBack: (failed, done) => {
      if (!root.rollbackOnFailure) return 'rollback-on-failure is false'
      if (root.dryRun) return 'dry run'
      if (!done.deploy || done.deploy.status === 'skipped') return 'nothing was deployed'
      if (!done.deploy.outputs['deployment-id'])
        return `${failed.stage} failed before a deployment was recorded: traffic was not moved`
      return true
    },
    log: ports.backends.progress.info
  })
  return { settings, result, failure: pipelineError(result, userFixable) }
}

/** The pipeline action's outputs. */
export function pipelineOutputs({
  settings,
  result
}: PipelineStageResult): Record<string, OutputValue> {
  const output = (stage: AnyStage, name: string) =>
    result.runs.find(r => r.stage === stage)?.outputs[name] ?? ''
  return {
    status: settings.root.dryRun && result.status === 'success' ? 'dry-run' : result.status,
    version: settings.root.version,
    'previous-version': output('deploy', 'previous-version'),
    'deployment-id': output('deploy', 'deployment-id'),
    'backup-id': output('backup', 'backup-id'),
    'release-url': output('release', 'release-url'),
    tag: output('release', 'tag'),
    'failed-stage': result.failed?.stage ?? '',
    'rolled-back-to': result.rollback?.outputs['rolled-back-to'] ?? '',
    'rollback-deployment-id': result.rollback?.outputs['deployment-id'] ?? '',
    timeline: result.runs.map(r => ({
      stage: r.stage,
      status: r.status,
      startedAt: new Date(r.startedAt).toISOString(),
      durationMs: r.durationMs,
      detail: r.detail
    }))
  }
}

/** The pipeline's job summary, with links to the run and the deployments when on a server. */
export function renderPipelineStageSummary(
  { settings, result }: PipelineStageResult,
  summary: SummaryBuilder
): void {
  const { root, runnerEnv } = settings
  const deploy = result.runs.find(r => r.stage === 'deploy')
  const release = result.runs.find(r => r.stage === 'release')
  // The runner always sets the server URL; the CLI's local ledger leaves it out (no web pages).
  const server = runnerEnv.serverUrl?.replace(/\/+$/, '')
  const repo = server ? runnerEnv.repository : undefined
  renderPipelineSummary(summary, result, {
    environment: root.environment,
    version: root.version,
    previousVersion: deploy?.outputs['previous-version'],
    dryRun: root.dryRun,
    links: [
      {
        label: 'Workflow run',
        url:
          repo && runnerEnv.runId ? `${server}/${repo}/actions/runs/${runnerEnv.runId}` : undefined
      },
      {
        label: 'Deployments',
        url: repo
          ? `${server}/${repo}/deployments/${encodeURIComponent(root.environment)}`
          : undefined
      },
      { label: 'Release', url: release?.outputs['release-url'] || undefined },
      { label: 'Environment', url: deploy?.outputs['environment-url'] || undefined }
    ]
  })
}
