import type { ActionContext, OutputValue } from './run-action.js'
import type { SummaryBuilder } from './summary.js'

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
 */
export function reportStage<Result>(
  ctx: Pick<ActionContext, 'setOutput' | 'summary'>,
  result: Result,
  stage: StageReport<Result>
): void {
  for (const [name, value] of Object.entries(stage.outputs(result))) ctx.setOutput(name, value)
  stage.render(result, ctx.summary)
  const failure = stage.failure?.(result)
  if (failure) throw failure
}
