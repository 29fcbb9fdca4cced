import type { ActionContext, OutputValue } from './run-action.js'
import { SummaryBuilder, writeStepSummary } from './summary.js'

/** How a stage turns its result into what the runner shows: outputs, the summary, a failure. */
export interface StageReport<Result> {
  outputs(result: Result): Record<string, OutputValue>
  render(result: Result, summary: SummaryBuilder): void
  /** The user's failure the result stands for (a gate that did not pass), if any. */
  failure?(result: Result): Error | undefined
}

/**
 * The end of every action's main: outputs and the summary are written before the failure is
 * thrown, so a failed step still tells the next steps and the reader what happened.
 *
 * In our reusable workflows the job's one summary is composed by its last step (the report, with
 * the job's verdict on top): a step given SLIPWAY_SUMMARY_FILE writes its section to that file
 * instead of the job summary, redacted like everything else the step writes.
 */
export function reportStage<Result>(
  ctx: Pick<ActionContext, 'setOutput' | 'summary'> & Partial<Pick<ActionContext, 'redactor'>>,
  result: Result,
  stage: StageReport<Result>,
  sectionFile: string | undefined = process.env.SLIPWAY_SUMMARY_FILE
): void {
  const redactor = ctx.redactor
  if (sectionFile && !redactor) throw new Error('reportStage: a section file needs the redactor')
  const summary = sectionFile ? new SummaryBuilder() : ctx.summary
  try {
    for (const [name, value] of Object.entries(stage.outputs(result))) ctx.setOutput(name, value)
    stage.render(result, summary)
    const failure = stage.failure?.(result)
    if (failure) throw failure
  } finally {
    if (sectionFile && redactor)
      writeStepSummary(redactor.redact(summary.toString()), {
        GITHUB_STEP_SUMMARY: sectionFile
      })
  }
}
