import { runnerEnvOf, type ActionContext } from '@slipway/kit'
import {
  githubDeploymentHistory,
  parseReportSettings,
  renderReportSummary,
  reportFailure,
  reportOutputs,
  runReport
} from '@slipway/report'

export async function main({ inputs, secret, setOutput, summary, info, warning }: ActionContext) {
  const settings = parseReportSettings(inputs, runnerEnvOf(), {
    token: process.env.GITHUB_TOKEN
  })
  settings.secrets.forEach(secret)
  const result = await runReport(settings, {
    progress: { info, warning },
    history: githubDeploymentHistory(settings.github, info)
  })
  for (const [name, value] of Object.entries(reportOutputs(result))) setOutput(name, value)
  renderReportSummary(result, summary)
  const failure = reportFailure(result)
  if (failure) throw failure
}
