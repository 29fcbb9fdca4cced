import { SummaryBuilder, reportStage, writeStepSummary, type ActionContext } from '@slipway/kit'
import {
  renderSmokeSummary,
  runSmokeTest,
  smokeFailure,
  smokeOutputs,
  type parseSmokeSettings
} from '@slipway/smoke'

export async function run(
  { setOutput, summary, redactor, info, warning, group }: ActionContext,
  settings: ReturnType<typeof parseSmokeSettings>
): Promise<void> {
  const result = await runSmokeTest(settings, { progress: { info, warning, group } })
  // In our reusable workflows the job's one summary is composed by its last step (the report, with
  // the job's verdict on top): a step given SLIPWAY_SUMMARY_FILE writes its section there instead.
  const sectionFile = process.env.SLIPWAY_SUMMARY_FILE
  const section = sectionFile ? new SummaryBuilder() : summary
  try {
    reportStage({ setOutput, summary: section }, result, {
      outputs: smokeOutputs,
      render: renderSmokeSummary,
      failure: smokeFailure
    })
  } finally {
    if (sectionFile)
      writeStepSummary(redactor.redact(section.toString()), { GITHUB_STEP_SUMMARY: sectionFile })
  }
}
