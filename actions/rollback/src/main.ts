import { reportStage, runnerEnvOf, type ActionContext } from '@slipway/kit'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { GitHubReleaseStore } from '@slipway/release'
import {
  loadHistory,
  parseRollbackSettings,
  renderRollbackStageSummary,
  rollbackFailure,
  rollbackOutputs,
  runRollbackStage
} from '@slipway/rollback'
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
  const settings = parseRollbackSettings(inputs, runnerEnv, { token: process.env.GITHUB_TOKEN })
  settings.secrets.forEach(secret)
  const { token, repository } = settings.github
  const client = createGitHubClient({ token, log: info })
  const run = { serverUrl: runnerEnv.serverUrl, repository: runnerEnv.repository }
  const result = await runRollbackStage(settings, {
    records: new DeploymentLedger(client, repository, {
      ...run,
      runId: runnerEnv.runId,
      runAttempt: runnerEnv.runAttempt
    }),
    rollbackRecords: new DeploymentLedger(client, repository, run),
    history: (environment, options) => loadHistory(client, repository, environment, options),
    releases: new GitHubReleaseStore({ client, repository, log: info }),
    progress: { info, warning, group },
    redactor,
    notify: async notification => {
      await notifyWebhook({ ...settings.webhook, secret, warning, info }, notification)
    }
  })
  reportStage({ setOutput, summary }, result, {
    outputs: rollbackOutputs,
    render: renderRollbackStageSummary,
    failure: rollbackFailure
  })
}
