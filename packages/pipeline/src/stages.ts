import { InputError } from '@slipway/kit'
import { PIPELINE_STAGES, type PipelineStage, type Plan } from './run.js'

/** `stages` input: a list of stage names, or `all`. */
export function parseStages(list: string[]): { stages: PipelineStage[]; explicit: boolean } {
  if (list.length === 0 || (list.length === 1 && list[0] === 'all'))
    return { stages: [...PIPELINE_STAGES], explicit: false }
  const unknown = list.filter(s => !(PIPELINE_STAGES as readonly string[]).includes(s))
  if (unknown.length)
    throw new InputError(
      'stages',
      `stage names from ${PIPELINE_STAGES.join(', ')} (or all)`,
      list.join(',')
    )
  return { stages: list as PipelineStage[], explicit: true }
}

export interface StageSettings {
  /** `enabled: false` in the config file section. */
  disabled: boolean
  /** The stage has what it needs (a database for backup, a URL for smoke…). */
  configured: boolean
}

/**
 * Which stages run. A stage runs when requested and not disabled in the file; with the
 * default `all`, a stage with no settings at all is skipped (not configured) instead of
 * failing, so a pipeline can start with only deploy settings and grow.
 */
export function planStages(
  requested: { stages: PipelineStage[]; explicit: boolean },
  settings: (stage: PipelineStage) => StageSettings
): Plan {
  const plan = {} as Plan
  for (const stage of PIPELINE_STAGES) {
    const s = settings(stage)
    if (!requested.stages.includes(stage)) plan[stage] = { run: false, reason: 'not in stages' }
    else if (s.disabled) plan[stage] = { run: false, reason: 'enabled: false in the config file' }
    else if (!s.configured && !requested.explicit && stage !== 'deploy')
      plan[stage] = { run: false, reason: 'not configured' }
    else plan[stage] = { run: true }
  }
  return plan
}
