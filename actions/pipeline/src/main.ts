import { runnerEnvOf, type ActionContext } from '@slipway/kit'
import {
  githubBackends,
  parsePipelineSettings,
  pipelineOutputs,
  renderPipelineStageSummary,
  runPipelineStage
} from '@slipway/pipeline'

export async function main(ctx: ActionContext): Promise<void> {
  const runnerEnv = runnerEnvOf()
  // Every stage that will run is parsed here: bad input anywhere stops the step before any stage.
  const settings = parsePipelineSettings(ctx.inputs, runnerEnv, { token: process.env.GITHUB_TOKEN })
  settings.secrets.forEach(ctx.secret)
  const progress = { info: ctx.info, warning: ctx.warning, group: ctx.group }
  const outcome = await runPipelineStage(settings, {
    backends: githubBackends(settings.token, runnerEnv, progress),
    io: { secret: ctx.secret, redactor: ctx.redactor, variables: process.env }
  })
  for (const [name, value] of Object.entries(pipelineOutputs(outcome))) ctx.setOutput(name, value)
  renderPipelineStageSummary(outcome, ctx.summary)
  if (outcome.failure) throw outcome.failure
}
