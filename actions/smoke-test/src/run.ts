import { reportStage, type ActionContext } from '@slipway/kit'
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
  reportStage({ setOutput, summary, redactor }, result, {
    outputs: smokeOutputs,
    render: renderSmokeSummary,
    failure: smokeFailure
  })
}
