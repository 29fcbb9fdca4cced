import { runnerEnvOf, type ActionContext } from '@slipway/kit'
import { readRootInputs } from '@slipway/pipeline'

// Only the settings are parsed here (every stage that will run: bad input anywhere stops the
// step before any stage). The action's own inputs are read first, with nothing but the kit:
// an error there (no version, a bad flag) is what a misconfigured step meets most, and it
// costs no stage's parser. The stages' parsers (with their summaries and the config file
// reader) are a chunk that loads next, and the run, with the modules only a run needs, one
// more once the inputs are good.
export async function main(ctx: ActionContext): Promise<void> {
  const runnerEnv = runnerEnvOf()
  readRootInputs(ctx.inputs)
  const { parsePipelineSettings } = await import('./settings.js')
  const settings = parsePipelineSettings(ctx.inputs, runnerEnv, { token: process.env.GITHUB_TOKEN })
  settings.secrets.forEach(ctx.secret)
  const { run } = await import('./run.js')
  await run(ctx, settings, runnerEnv)
}
