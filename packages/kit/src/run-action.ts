import * as core from './runner-commands.js'
import { BUG_REPORT_REQUEST, UserError, errorMessage } from './errors.js'
import { Inputs, environmentInputs } from './inputs.js'
import { neededParsers, preloadParsers, stepInputValues } from './parsers.js'
import { Redactor } from './redact.js'
import { SummaryBuilder, writeStepSummary } from './summary.js'

export type OutputValue = string | number | boolean | object | undefined

/** What an action's main function gets: its inputs, a redactor wired to the runner's masking, outputs and a summary. */
export interface ActionContext {
  inputs: Inputs
  redactor: Redactor
  /** Registers a secret with the runner (masked in the log) and with our own redaction. */
  secret(value: string | undefined): void
  setOutput(name: string, value: OutputValue): void
  summary: SummaryBuilder
  info(message: string): void
  warning(message: string): void
  /**
   * One collapsible group of the log around `fn` (a group inside a group is a header line);
   * front ends without groups (the CLI) leave it out.
   */
  group?<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/**
 * Runs an action's main function. It never throws: any failure fails the step with
 * "<action> failed: <reason>" (secrets redacted), and the summary written so far is kept.
 * A UserError adds what to do to the log; anything else is a bug in Slipway, and the log gets
 * its stack and a request to report it.
 * `name` may be read from the inputs (an action with operations names the one that failed).
 */
export async function runAction(
  name: string | ((inputs: Inputs) => string),
  main: (context: ActionContext) => Promise<void>
): Promise<void> {
  const redactor = new Redactor()
  const summary = new SummaryBuilder()
  const context: ActionContext = {
    inputs: new Inputs(),
    redactor,
    secret(value) {
      if (!value) return
      core.setSecret(value)
      redactor.add(value)
    },
    // The one door outputs leave by: every value is redacted with the registered secrets, so a
    // response body or a check name that echoes a token cannot carry it into the next step.
    setOutput(key, value) {
      if (value === undefined) return
      const text =
        typeof value === 'object' ? JSON.stringify(redactor.redactValue(value)) : String(value)
      core.setOutput(key, redactor.redact(text))
    },
    summary,
    info: message => core.info(redactor.redact(message)),
    warning: message => core.warning(redactor.redact(message)),
    group: (name, fn) => logGroup(redactor.redact(name), fn)
  }
  try {
    // Before the parse, which is synchronous: the parsers its inputs may need (a config file
    // named by an input is read by the parse, so it counts as one).
    const configFile = environmentInputs()('config-file')?.trim()
    await preloadParsers(neededParsers(stepInputValues(), Boolean(configFile)))
    await main(context)
  } catch (error) {
    const label = typeof name === 'string' ? name : name(context.inputs)
    core.setFailed(`${label} failed: ${redactor.redact(errorMessage(error))}`)
    for (const line of explanation(error)) core.info(redactor.redact(line))
  } finally {
    const markdown = summary.toString()
    if (markdown.trim() !== '') {
      try {
        writeStepSummary(redactor.redact(markdown))
      } catch (error) {
        core.warning(`Could not write the job summary: ${errorMessage(error)}`)
      }
    }
  }
}

let groupOpen = false

/**
 * GitHub's log has no nested groups (a second `::group::` closes the first), so a group asked
 * for inside another is a header line within it.
 */
async function logGroup<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (groupOpen) {
    core.info(`── ${name} ──`)
    return fn()
  }
  groupOpen = true
  core.startGroup(name)
  try {
    return await fn()
  } finally {
    core.endGroup()
    groupOpen = false
  }
}

/**
 * The log lines after the failure annotation. One annotation per failure: a hint or a stack as
 * a second annotation would read as a second failure on the run's page.
 */
function explanation(error: unknown): string[] {
  if (error instanceof UserError) return error.hint ? [`To fix: ${error.hint}`] : []
  const stack = error instanceof Error && error.stack ? error.stack : `thrown: ${String(error)}`
  return [stack, BUG_REPORT_REQUEST]
}
