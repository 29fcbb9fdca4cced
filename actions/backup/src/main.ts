import { runnerEnvOf, type ActionContext, type Inputs } from '@slipway/kit'
import { BACKUP_OPERATIONS, parseBackupSettings } from '@slipway/backup'

/** What a failure is called: "restore failed: …" names the operation that failed. */
export function operationName(inputs: Inputs): string {
  const operation = inputs.string('operation')?.trim() ?? ''
  return (BACKUP_OPERATIONS as readonly string[]).includes(operation) ? operation : 'backup'
}

// Only the settings are parsed here. The run, with the modules only a run needs, is a chunk of
// its own that loads once the inputs are good: an input error costs what reading them costs.
export async function main(ctx: ActionContext): Promise<void> {
  const settings = parseBackupSettings(ctx.inputs, runnerEnvOf())
  settings.secrets.forEach(ctx.secret)
  const { run } = await import('./run.js')
  await run(ctx, settings)
}
