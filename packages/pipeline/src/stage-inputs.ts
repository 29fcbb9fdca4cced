import type { InputSource } from '@slipway/kit'
import {
  layeredInputs,
  sectionInputs,
  stageSection,
  type ConfigFile,
  type Stage
} from '@slipway/config'
import { rollbackSource } from '@slipway/rollback'
import type { AnyStage, PipelineStage, StageRun } from './run.js'
import type { StageSettings } from './stages.js'
import type { RootInputs, StageValues } from './root-inputs.js'

export type Done = Partial<Record<AnyStage, StageRun>>

const fromRecord =
  (values: Record<string, string | undefined> = {}): InputSource =>
  name =>
    values[name]

/**
 * Values this pipeline decides: the version, the environment, the token. What earlier stages
 * produce reaches only the rollback here (it reads its inputs when it runs); the other stages
 * are parsed before any runs, and get those values in their settings (run-pipeline-stage.ts).
 */
function forcedValues(
  stage: AnyStage,
  root: RootInputs,
  token: string | undefined,
  done: Done
): Record<string, string | undefined> {
  const common = { 'dry-run': String(root.dryRun) }
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
        'github-token': token
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

/** A stage's inputs: what the pipeline decides, this action's inputs, the file, the defaults. */
export function stageSource(
  stage: AnyStage,
  root: RootInputs,
  config: ConfigFile | undefined,
  token: string | undefined,
  done: Done = {}
): InputSource {
  return layeredInputs(
    fromRecord(forcedValues(stage, root, token, done)),
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

/** One line for the timeline table, from a stage's outputs. */
export function describeStage(stage: AnyStage, o: Record<string, string>): string {
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
      return `${o['rolled-back-from'] ?? ''} → ${o['rolled-back-to'] ?? ''} (${o.mode ?? ''})${o['restored-backup-id'] ? `, data restored from ${o['restored-backup-id']}` : ''}`
  }
}
