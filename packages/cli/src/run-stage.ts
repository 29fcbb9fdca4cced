import type { RunnerEnv } from '@slipway/kit'
import {
  STAGE_REGISTRY,
  parsePipelineSettings,
  pipelineOutputs,
  renderPipelineStageSummary,
  runPipelineStage,
  type Backends,
  type RegisteredStage,
  type StageDefinition,
  type StageIo
} from '@slipway/pipeline'
import type { CliContext } from './context.js'

/** What a command runs with: the terminal, the runner facts, and GitHub or the local ledger. */
export interface CommandInvocation {
  ctx: CliContext
  runnerEnv: RunnerEnv
  backends: Backends
  /** The token given to the CLI; settings fall back on it where a stage names none. */
  token?: string
  /** The variables `required-vars` checks look at: the CLI's environment. */
  variables: NodeJS.ProcessEnv
}

export type CommandRun = (invocation: CommandInvocation) => Promise<void>

const ioOf = ({ ctx, variables }: CommandInvocation): StageIo => ({
  secret: ctx.secret,
  redactor: ctx.redactor,
  variables
})

/**
 * A command that runs one registered stage as its action does: parse (user errors about
 * settings come only from here, before anything changes), mask, run, outputs, summary, and
 * the stage's failure last, so that outputs and summary are printed for a failed gate too.
 */
export function stageCommand(stage: RegisteredStage): CommandRun {
  return async invocation => {
    const { ctx, runnerEnv, backends, token } = invocation
    const definition = STAGE_REGISTRY[stage] as unknown as StageDefinition<
      { readonly secrets: string[] },
      unknown
    >
    const settings = definition.parse(ctx.inputs, runnerEnv, { token })
    settings.secrets.forEach(ctx.secret)
    const result = await definition.run(settings, backends, ioOf(invocation))
    for (const [name, value] of Object.entries(definition.outputs(result)))
      ctx.setOutput(name, value)
    definition.render(result, ctx.summary)
    const failure = definition.failure?.(result)
    if (failure) throw failure
  }
}

/** The pipeline command: every stage parsed first, then run in order, rolling back on failure. */
export const pipelineCommand: CommandRun = async invocation => {
  const { ctx, runnerEnv, backends, token } = invocation
  const settings = parsePipelineSettings(ctx.inputs, runnerEnv, { token })
  settings.secrets.forEach(ctx.secret)
  const outcome = await runPipelineStage(settings, { backends, io: ioOf(invocation) })
  for (const [name, value] of Object.entries(pipelineOutputs(outcome))) ctx.setOutput(name, value)
  renderPipelineStageSummary(outcome, ctx.summary)
  if (outcome.failure) throw outcome.failure
}
