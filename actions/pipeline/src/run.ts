import { type ActionContext, type RunnerEnv } from '@slipway/kit'
import {
  githubBackends,
  pipelineOutputs,
  renderPipelineStageSummary,
  runPipelineStage,
  type parsePipelineSettings
} from '@slipway/pipeline'

export async function run(
  ctx: ActionContext,
  settings: ReturnType<typeof parsePipelineSettings>,
  runnerEnv: RunnerEnv
): Promise<void> {
  const progress = { info: ctx.info, warning: ctx.warning, group: ctx.group }
  const outcome = await runPipelineStage(settings, {
    backends: githubBackends(settings.token, runnerEnv, progress),
    io: { secret: ctx.secret, redactor: ctx.redactor, variables: process.env }
  })
  for (const [name, value] of Object.entries(pipelineOutputs(outcome))) ctx.setOutput(name, value)
  renderPipelineStageSummary(outcome, ctx.summary)
  if (outcome.failure) throw outcome.failure
}
