import { errorMessage } from '@slipway/kit'

/** The stages the all-in-one action runs, in order; rollback runs only after a failure. */
export const PIPELINE_STAGES = ['preflight', 'backup', 'deploy', 'smoke', 'release'] as const
export type PipelineStage = (typeof PIPELINE_STAGES)[number]
export type AnyStage = PipelineStage | 'rollback'

/** Stages whose failure means the new version may be serving: they trigger the rollback. */
export const ROLLBACK_ON: readonly PipelineStage[] = ['deploy', 'smoke']

export interface StageOutcome {
  outputs: Record<string, string>
  /** The stage's own job summary (Markdown). */
  summary: string
  /** One line for the timeline table. */
  detail?: string
}

export interface StageRun {
  stage: AnyStage
  status: 'success' | 'failure' | 'skipped'
  /** Why it was skipped, or what it did. */
  detail: string
  startedAt: number
  durationMs: number
  outputs: Record<string, string>
  summary: string
  error?: string
}

export type Plan = Record<PipelineStage, { run: boolean; reason?: string }>

export interface PipelineOptions {
  plan: Plan
  /** Runs one stage; throws when it fails (its outputs and summary ride on the error, see StageFailure). */
  runStage: (stage: AnyStage, done: Partial<Record<AnyStage, StageRun>>) => Promise<StageOutcome>
  /** Whether to run the rollback stage after a failed deploy/smoke (given what ran). */
  shouldRollBack: (failed: StageRun, done: Partial<Record<AnyStage, StageRun>>) => string | true
  log?: (line: string) => void
  now?: () => number
}

export interface PipelineResult {
  status: 'success' | 'rolled-back' | 'failed'
  runs: StageRun[]
  failed?: StageRun
  rollback?: StageRun
  startedAt: number
  durationMs: number
}

/** A stage failure that still carries what the stage reported (deploy's deployment-id, its summary). */
export class StageFailure extends Error {
  constructor(
    message: string,
    readonly outcome: StageOutcome
  ) {
    super(message)
  }
}

/**
 * Runs the enabled stages in order and stops at the first failure; a failed deploy or smoke
 * stage triggers the rollback stage (when `shouldRollBack` agrees). Never throws: the
 * result lists every stage with its timing, outputs and summary.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const now = options.now ?? Date.now
  const log = options.log ?? (() => undefined)
  const startedAt = now()
  const runs: StageRun[] = []
  const done: Partial<Record<AnyStage, StageRun>> = {}
  const execute = async (stage: AnyStage): Promise<StageRun> => {
    const started = now()
    log(`▶ ${stage}`)
    let run: StageRun
    try {
      const outcome = await options.runStage(stage, done)
      run = {
        stage,
        status: 'success',
        detail: outcome.detail ?? '',
        startedAt: started,
        durationMs: now() - started,
        outputs: outcome.outputs,
        summary: outcome.summary
      }
    } catch (error) {
      const outcome = error instanceof StageFailure ? error.outcome : undefined
      run = {
        stage,
        status: 'failure',
        detail: outcome?.detail ?? errorMessage(error),
        startedAt: started,
        durationMs: now() - started,
        outputs: outcome?.outputs ?? {},
        summary: outcome?.summary ?? '',
        error: errorMessage(error)
      }
    }
    log(
      `${run.status === 'success' ? '✓' : '✗'} ${stage} (${run.durationMs} ms)${run.error ? `: ${run.error}` : ''}`
    )
    runs.push(run)
    done[stage] = run
    return run
  }

  let failed: StageRun | undefined
  for (const stage of PIPELINE_STAGES) {
    const entry = options.plan[stage]
    if (!entry.run || failed) {
      const run: StageRun = {
        stage,
        status: 'skipped',
        detail: failed ? `not run: ${failed.stage} failed` : (entry.reason ?? 'turned off'),
        startedAt: now(),
        durationMs: 0,
        outputs: {},
        summary: ''
      }
      runs.push(run)
      done[stage] = run
      continue
    }
    const run = await execute(stage)
    if (run.status === 'failure') failed = run
  }
  let rollback: StageRun | undefined
  if (failed && (ROLLBACK_ON as readonly string[]).includes(failed.stage)) {
    const decision = options.shouldRollBack(failed, done)
    if (decision === true) rollback = await execute('rollback')
    else {
      rollback = {
        stage: 'rollback',
        status: 'skipped',
        detail: decision,
        startedAt: now(),
        durationMs: 0,
        outputs: {},
        summary: ''
      }
      runs.push(rollback)
    }
  }
  return {
    status: !failed ? 'success' : rollback?.status === 'success' ? 'rolled-back' : 'failed',
    runs,
    failed,
    rollback,
    startedAt,
    durationMs: now() - startedAt
  }
}
