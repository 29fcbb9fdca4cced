import { UserError } from '@slipway/kit'
import { StageFailure, type AnyStage, type PipelineResult } from './run.js'

/**
 * Whether a stage failed for a reason the user can fix: its main threw a UserError (a gate the
 * release did not pass, a setting, a missing token), which runStage keeps as the StageFailure's
 * cause. Anything else is a bug in Slipway.
 */
export function failedForUser(error: unknown): boolean {
  return (
    error instanceof UserError ||
    (error instanceof StageFailure && error.cause instanceof UserError)
  )
}

/** Runs one stage, noting it in `userFixable` when it fails for the user; rethrows as it was. */
export async function noteUserFailure<T>(
  stage: AnyStage,
  userFixable: Set<AnyStage>,
  run: () => Promise<T>
): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (failedForUser(error)) userFixable.add(stage)
    throw error
  }
}

/**
 * What fails the pipeline step, or undefined when it succeeded. It is a UserError when every
 * stage that failed (the stage, and the rollback if it failed too) failed for the user; else
 * an Error, so a bug anywhere is reported as one.
 */
export function pipelineError(
  result: PipelineResult,
  userFixable: ReadonlySet<AnyStage>
): Error | undefined {
  const { failed, rollback } = result
  if (!failed || result.status === 'success') return undefined
  const message =
    result.status === 'rolled-back'
      ? `${failed.stage} failed (${failed.error ?? ''}); rolled back to ${rollback?.outputs['rolled-back-to']}`
      : `${failed.stage} failed: ${failed.error ?? ''}${rollback ? `; rollback ${rollback.status}: ${rollback.error ?? rollback.detail}` : ''}`
  const rollbackFailedForUser = rollback?.status !== 'failure' || userFixable.has('rollback')
  if (!userFixable.has(failed.stage) || !rollbackFailedForUser) return new Error(message)
  return new UserError(
    message,
    result.status === 'rolled-back'
      ? `the ${failed.stage} section of the summary says what failed; fix it and run the pipeline again (the previous version is serving)`
      : `the ${failed.stage} section of the summary says what failed; fix it and run the pipeline again`
  )
}
