import { reportStage, runnerEnvOf, type ActionContext, type Inputs } from '@slipway/kit'
import {
  BACKUP_OPERATIONS,
  backupFailure,
  backupOutputs,
  parseBackupSettings,
  renderBackupSummary,
  runBackupOperation,
  runnerArtifactClient
} from '@slipway/backup'

/** What a failure is called: "restore failed: …" names the operation that failed. */
export function operationName(inputs: Inputs): string {
  const operation = inputs.string('operation')?.trim() ?? ''
  return (BACKUP_OPERATIONS as readonly string[]).includes(operation) ? operation : 'backup'
}

export async function main(ctx: ActionContext): Promise<void> {
  const settings = parseBackupSettings(ctx.inputs, runnerEnvOf())
  settings.secrets.forEach(ctx.secret)
  const result = await runBackupOperation(settings, {
    progress: { info: ctx.info, warning: ctx.warning, group: ctx.group },
    artifacts: settings.store.kind === 'artifact' ? await runnerArtifactClient() : undefined
  })
  reportStage(ctx, result, {
    outputs: backupOutputs,
    render: renderBackupSummary,
    failure: backupFailure
  })
}
