import { reportStage, type ActionContext } from '@slipway/kit'
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
  reportStage({ setOutput, summary, redactor }, result, {
    outputs: preflightOutputs,
    render: renderPreflightSummary,
    failure: preflightFailure
  })
}
