import {
  InputError,
  Inputs,
  SummaryBuilder,
  errorMessage,
  type ActionContext,
  type InputSource
} from '@slipway/kit'
import {
  layeredInputs,
  sectionInputs,
  stageSection,
  type ConfigFile,
  type Stage
} from '@slipway/config'
import {
  StageFailure,
  type AnyStage,
  type PipelineStage,
  type StageOutcome,
  type StageRun,
  type StageSettings
} from '@slipway/pipeline'
import { rollbackSource } from '@slipway/rollback'
import { main as preflight } from '../../preflight-check/src/main.js'
import { main as backup } from '../../backup/src/main.js'
import { main as deploy } from '../../deploy-strategy/src/main.js'
import { main as smoke } from '../../smoke-test/src/main.js'
import { main as release } from '../../tag-and-release/src/main.js'
import { main as rollback } from '../../rollback/src/main.js'
import type { RootInputs, StageValues } from './inputs.js'

// Each stage is the stage action's own main, run in this process with its inputs layered from
// this action's inputs and the config file: one input vocabulary, one validation, no child bundles.
const MAINS: Record<AnyStage, (context: ActionContext) => Promise<void>> = {
  preflight,
  backup,
  deploy,
  smoke,
  release,
  rollback
}

type Done = Partial<Record<AnyStage, StageRun>>

const fromRecord =
  (values: Record<string, string | undefined> = {}): InputSource =>
  name =>
    values[name]

/** Values this pipeline decides: the version, the environment, what earlier stages produced. */
function forcedValues(
  stage: AnyStage,
  root: RootInputs,
  token: string | undefined,
  done: Done,
  dryRun: boolean
): Record<string, string | undefined> {
  const common = { 'dry-run': String(dryRun) }
  switch (stage) {
    case 'preflight':
      return { ...common, environment: root.environment, token }
    case 'backup':
      return { ...common, 'github-token': token }
    case 'deploy':
      return {
        ...common,
        version: root.version,
        environment: root.environment,
        'github-token': token,
        'backup-id': done.backup?.outputs['backup-id'] || undefined
      }
    case 'smoke':
      return common
    case 'release':
      return { ...common, token }
    case 'rollback': {
      const failed = Object.values(done).find(run => run?.status === 'failure')
      return {
        ...common,
        environment: root.environment,
        'github-token': token,
        'deployment-id': done.deploy?.outputs['deployment-id'] || undefined,
        // No backup taken in this run: nothing to restore, and traffic must still go back.
        'restore-data': done.backup?.outputs['backup-id'] ? undefined : 'false',
        reason: failed ? `${failed.stage} failed: ${failed.error ?? ''}`.slice(0, 100) : undefined
      }
    }
  }
}

/** Defaults below the config file: the release is tagged as the version deployed. */
function defaultValues(stage: AnyStage, root: RootInputs): Record<string, string | undefined> {
  if (stage !== 'release') return {}
  const match = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(root.version)
  return { 'release-as': match?.[1] }
}

function fileSource(
  config: ConfigFile | undefined,
  environment: string,
  stage: AnyStage
): InputSource {
  if (!config) return () => undefined
  if (stage === 'rollback') return rollbackSource(config, environment)
  return sectionInputs(stageSection(config, environment, stage as Stage))
}

export function stageSource(
  stage: AnyStage,
  root: RootInputs,
  config: ConfigFile | undefined,
  token: string | undefined,
  done: Done,
  dryRun = root.dryRun
): InputSource {
  return layeredInputs(
    fromRecord(forcedValues(stage, root, token, done, dryRun)),
    fromRecord((root.explicit as StageValues)[stage]),
    fileSource(config, root.environment, stage),
    fromRecord(defaultValues(stage, root))
  )
}

const KEY_INPUTS: Record<PipelineStage, string[]> = {
  preflight: [],
  backup: ['database-url', 'paths'],
  deploy: [],
  smoke: ['url', 'checks'],
  release: []
}

/** Whether the file turns a stage off, and whether anything configures it. */
export function settingsOf(
  stage: PipelineStage,
  root: RootInputs,
  config: ConfigFile | undefined
): StageSettings {
  const section = config ? stageSection(config, root.environment, stage) : {}
  const explicit = root.explicit[stage] ?? {}
  const has = (name: string) => explicit[name] !== undefined || section[name] !== undefined
  const inFile =
    config?.defaults?.[stage] !== undefined ||
    config?.environments?.[root.environment]?.[stage] !== undefined
  const configured =
    stage === 'preflight'
      ? Object.values(explicit).some(v => v !== undefined) ||
        Object.keys(section).some(k => k !== 'enabled')
      : stage === 'release'
        ? inFile
        : KEY_INPUTS[stage].length === 0 || KEY_INPUTS[stage].some(has)
  return { disabled: section.enabled === false, configured }
}

function describe(stage: AnyStage, o: Record<string, string>): string {
  switch (stage) {
    case 'preflight':
      return o.passed === 'true' ? 'all checks passed' : `failed: ${o['failed-checks'] ?? ''}`
    case 'backup':
      return `backup ${o['backup-id'] ?? ''}${o.verified === 'true' ? ' (verified)' : ''}`
    case 'deploy':
      return `${o.strategy ?? ''} ${o.version ?? ''}${o.slot ? ` on ${o.slot}` : ''}${o['deployment-id'] ? ` (deployment #${o['deployment-id']})` : ''} — ${o.status ?? ''}`
    case 'smoke':
      return o.passed === 'true' ? 'passed' : `failed: ${o['failed-checks'] ?? ''}`
    case 'release':
      return `${o.tag ?? o.version ?? ''}${o.released === 'true' ? ' released' : ''}`
    case 'rollback':
      return `${o['rolled-back-from'] ?? ''} → ${o['rolled-back-to'] ?? ''} (${o.mode ?? ''})`
  }
}

/** Runs one stage's main with its layered inputs; its outputs and summary are collected. */
export async function runStage(
  parent: ActionContext,
  stage: AnyStage,
  source: InputSource
): Promise<StageOutcome> {
  const outputs: Record<string, string> = {}
  const summary = new SummaryBuilder()
  const context: ActionContext = {
    inputs: new Inputs(source),
    redactor: parent.redactor,
    secret: parent.secret,
    setOutput(name, value) {
      if (value !== undefined)
        outputs[name] = typeof value === 'object' ? JSON.stringify(value) : String(value)
    },
    summary,
    info: message => parent.info(`[${stage}] ${message}`),
    warning: message => parent.warning(`[${stage}] ${message}`)
  }
  try {
    await MAINS[stage](context)
  } catch (error) {
    if (error instanceof InputError) throw error
    const failure = new StageFailure(errorMessage(error), {
      outputs,
      summary: summary.toString(),
      detail: errorMessage(error)
    })
    // Kept so the pipeline can tell a stage the user can fix from a bug (failure.ts).
    failure.cause = error
    throw failure
  }
  return { outputs, summary: summary.toString(), detail: describe(stage, outputs) }
}
