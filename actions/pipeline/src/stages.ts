import {
  InputError,
  Inputs,
  SummaryBuilder,
  errorMessage,
  type ActionContext,
  type InputSource
} from '@slipway/kit'
import { StageFailure, describeStage, type AnyStage, type StageOutcome } from '@slipway/pipeline'

/**
 * Runs a stage action's own main in this process with the given inputs; its outputs and summary
 * are collected. Only the rollback still runs this way, until it follows the stage API.
 */
export async function runActionStage(
  parent: ActionContext,
  stage: AnyStage,
  main: (context: ActionContext) => Promise<void>,
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
    await main(context)
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
  return { outputs, summary: summary.toString(), detail: describeStage(stage, outputs) }
}
