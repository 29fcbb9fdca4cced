import { reportStage, runnerEnvOf, type ActionContext } from '@slipway/kit'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import {
  deployFailure,
  deployOutputs,
  parseDeploySettings,
  renderDeploySummary,
  runDeployStage
} from '@slipway/strategies'
import { notifyWebhook } from '@slipway/notify'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info,
  warning,
  group,
  redactor
}: ActionContext): Promise<void> {
  const runnerEnv = runnerEnvOf()
  const settings = parseDeploySettings(inputs, runnerEnv, { token: process.env.GITHUB_TOKEN })
  settings.secrets.forEach(secret)
  const github = settings.record?.github
  const records = github
    ? new DeploymentLedger(
        createGitHubClient({ token: github.token, log: info }),
        github.repository,
        {
          runId: runnerEnv.runId,
          runAttempt: runnerEnv.runAttempt,
          serverUrl: runnerEnv.serverUrl,
          repository: runnerEnv.repository
        }
      )
    : undefined
  const result = await runDeployStage(settings, {
    progress: { info, warning, group },
    records,
    redactor,
    notify: async notification => {
      await notifyWebhook({ ...settings.webhook, secret, warning, info }, notification)
    }
  })
  reportStage({ setOutput, summary }, result, {
    outputs: deployOutputs,
    render: renderDeploySummary,
    failure: deployFailure
  })
}
