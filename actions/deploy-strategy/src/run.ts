import { reportStage, type ActionContext, type RunnerEnv } from '@slipway/kit'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import {
  deployFailure,
  deployOutputs,
  renderDeploySummary,
  runDeployStage,
  type parseDeploySettings
} from '@slipway/strategies'
import { notifyWebhook } from '@slipway/notify'

export async function run(
  { secret, setOutput, summary, info, warning, group, redactor }: ActionContext,
  settings: ReturnType<typeof parseDeploySettings>,
  runnerEnv: RunnerEnv
): Promise<void> {
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
  reportStage({ setOutput, summary, redactor }, result, {
    outputs: deployOutputs,
    render: renderDeploySummary,
    failure: deployFailure
  })
}
