import { SummaryBuilder, reportStage, writeStepSummary, type ActionContext } from '@slipway/kit'
import {
  preflightFailure,
  githubPreflightPorts,
  preflightOutputs,
  renderPreflightSummary,
  runPreflight,
  type parsePreflightSettings
} from '@slipway/preflight'

export async function run(
  { redactor, secret, setOutput, summary, info, warning }: ActionContext,
  settings: ReturnType<typeof parsePreflightSettings>
): Promise<void> {
  const result = await runPreflight(settings, {
    progress: { info, warning },
    variables: process.env,
    mask: secret,
    redactor,
    ...githubPreflightPorts(settings.github)
  })
  // In our reusable workflows the job's one summary is composed by its last step (the report, with
  // the job's verdict on top): a step given SLIPWAY_SUMMARY_FILE writes its section there instead.
  const sectionFile = process.env.SLIPWAY_SUMMARY_FILE
  const section = sectionFile ? new SummaryBuilder() : summary
  try {
    reportStage({ setOutput, summary: section }, result, {
      outputs: preflightOutputs,
      render: renderPreflightSummary,
      failure: preflightFailure
    })
  } finally {
    if (sectionFile)
      writeStepSummary(redactor.redact(section.toString()), { GITHUB_STEP_SUMMARY: sectionFile })
  }
}
