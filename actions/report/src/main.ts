import { reportStage, runnerEnvOf, type ActionContext } from '@slipway/kit'
import {
  githubDeploymentHistory,
  parseReportSettings,
  renderReportSummary,
  reportFailure,
  reportOutputs,
  runReport
} from '@slipway/report'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info,
  warning,
  group
}: ActionContext) {
  const settings = parseReportSettings(inputs, runnerEnvOf(), {
    token: process.env.GITHUB_TOKEN
  })
  settings.secrets.forEach(secret)
  const result = await runReport(settings, {
    progress: { info, warning, group },
    history: githubDeploymentHistory(settings.github, info)
  })
  reportStage({ setOutput, summary }, result, {
    outputs: reportOutputs,
    render: renderReportSummary,
    failure: reportFailure
  })
}
