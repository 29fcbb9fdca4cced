import { SummaryBuilder, reportStage, writeStepSummary, type ActionContext } from '@slipway/kit'
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
  // In our reusable workflows the job's one summary is composed by its last step (the report, with
  // the job's verdict on top): a step given SLIPWAY_SUMMARY_FILE writes its section there instead.
  const sectionFile = process.env.SLIPWAY_SUMMARY_FILE
  const section = sectionFile ? new SummaryBuilder() : ctx.summary
  try {
    reportStage({ setOutput: ctx.setOutput, summary: section }, result, {
      outputs: backupOutputs,
      render: renderBackupSummary,
      failure: backupFailure
    })
  } finally {
    if (sectionFile)
      writeStepSummary(ctx.redactor.redact(section.toString()), {
        GITHUB_STEP_SUMMARY: sectionFile
      })
  }
}
