import { runnerEnvOf, type ActionContext } from '@slipway/kit'
import { parseSmokeSettings } from '@slipway/smoke'

// Only the settings are parsed here. The run, with the modules only a run needs, is a chunk of
// its own that loads once the inputs are good: an input error costs what reading them costs.
export async function main(ctx: ActionContext): Promise<void> {
  const settings = parseSmokeSettings(ctx.inputs, runnerEnvOf())
  settings.secrets.forEach(ctx.secret)
  const { run } = await import('./run.js')
  await run(ctx, settings)
}
