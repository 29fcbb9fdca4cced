import { runnerEnvOf, UserError, type ActionContext } from '@slipway/kit'
import {
  failureMessage,
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
  for (const [name, value] of Object.entries(preflightOutputs(result))) setOutput(name, value)
  renderPreflightSummary(result, summary)
  const failure = failureMessage(result)
  if (failure)
    throw new UserError(
      failure,
      'fix what the failed checks report, or set fail-on: never to only report them'
    )
}
