import { reportStage, runnerEnvOf, type ActionContext } from '@slipway/kit'
import {
  parseSmokeSettings,
  renderSmokeSummary,
  runSmokeTest,
  smokeFailure,
  smokeOutputs
} from '@slipway/smoke'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info,
  warning,
  group
}: ActionContext): Promise<void> {
  const settings = parseSmokeSettings(inputs, runnerEnvOf())
  settings.secrets.forEach(secret)
  const result = await runSmokeTest(settings, { progress: { info, warning, group } })
  reportStage({ setOutput, summary }, result, {
    outputs: smokeOutputs,
    render: renderSmokeSummary,
    failure: smokeFailure
  })
}
