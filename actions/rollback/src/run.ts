import {
  SummaryBuilder,
  reportStage,
  writeStepSummary,
  type ActionContext,
  type RunnerEnv
} from '@slipway/kit'
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
  // In our reusable workflows the job's one summary is composed by its last step (the report, with
  // the job's verdict on top): a step given SLIPWAY_SUMMARY_FILE writes its section there instead.
  const sectionFile = process.env.SLIPWAY_SUMMARY_FILE
  const section = sectionFile ? new SummaryBuilder() : summary
  try {
    reportStage({ setOutput, summary: section }, result, {
      outputs: rollbackOutputs,
      render: renderRollbackStageSummary,
      failure: rollbackFailure
    })
  } finally {
    if (sectionFile)
      writeStepSummary(redactor.redact(section.toString()), { GITHUB_STEP_SUMMARY: sectionFile })
  }
}
