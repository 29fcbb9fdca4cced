import { reportStage, runnerEnvOf, type ActionContext } from '@slipway/kit'
import {
  preflightFailure,
  githubPreflightPorts,
  parsePreflightSettings,
  preflightOutputs,
  renderPreflightSummary,
  runPreflight
} from '@slipway/preflight'

export async function main({
  inputs,
  redactor,
  secret,
  setOutput,
  summary,
  info,
  warning
}: ActionContext): Promise<void> {
  const settings = parsePreflightSettings(inputs, runnerEnvOf())
  settings.secrets.forEach(secret)
  const result = await runPreflight(settings, {
    progress: { info, warning },
    variables: process.env,
    mask: secret,
    redactor,
    ...githubPreflightPorts(settings.github)
  })
  reportStage({ setOutput, summary }, result, {
    outputs: preflightOutputs,
    render: renderPreflightSummary,
    failure: preflightFailure
  })
}
