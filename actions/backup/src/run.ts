import { reportStage, type ActionContext } from '@slipway/kit'
import {
  backupFailure,
  backupOutputs,
  renderBackupSummary,
  runBackupOperation,
  runnerArtifactClient,
  type parseBackupSettings
} from '@slipway/backup'

export async function run(
  ctx: ActionContext,
  settings: ReturnType<typeof parseBackupSettings>
): Promise<void> {
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
