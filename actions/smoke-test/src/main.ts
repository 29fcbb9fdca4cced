import { runnerEnvOf, UserError, type ActionContext } from '@slipway/kit'
import { parseSmokeSettings, renderSmokeSummary, runSmokeTest, smokeOutputs } from '@slipway/smoke'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info,
  warning
}: ActionContext): Promise<void> {
  const settings = parseSmokeSettings(inputs, runnerEnvOf())
  settings.secrets.forEach(secret)
  const result = await runSmokeTest(settings, { progress: { info, warning } })
  renderSmokeSummary(result, summary)
  for (const [name, value] of Object.entries(smokeOutputs(result))) setOutput(name, value)
  if (!result.dryRun && !result.report.passed)
    throw new UserError(
      result.report.message,
      'the summary and the JUnit report show what each failed check received'
    )
}
