import { reportStage, type ActionContext, type RunnerEnv } from '@slipway/kit'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { GitHubReleaseStore } from '@slipway/release'
import {
  loadHistory,
  renderRollbackStageSummary,
  rollbackFailure,
  rollbackOutputs,
  runRollbackStage,
  type parseRollbackSettings
} from '@slipway/rollback'
import { notifyWebhook } from '@slipway/notify'

export async function run(
  { secret, setOutput, summary, info, warning, group, redactor }: ActionContext,
  settings: ReturnType<typeof parseRollbackSettings>,
  runnerEnv: RunnerEnv
): Promise<void> {
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
  reportStage({ setOutput, summary, redactor }, result, {
    outputs: rollbackOutputs,
    render: renderRollbackStageSummary,
    failure: rollbackFailure
  })
}
