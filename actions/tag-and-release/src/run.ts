import { reportStage, type ActionContext, type RunnerEnv } from '@slipway/kit'
import {
  GitHubPullRequestStore,
  GitHubReleaseStore,
  releaseNotice,
  releaseOutputs,
  renderReleaseSummary,
  runRelease,
  type parseReleaseSettings
} from '@slipway/release'
import { notifyWebhook } from '@slipway/notify'

export async function run(
  { secret, setOutput, summary, redactor, info, warning, group }: ActionContext,
  settings: ReturnType<typeof parseReleaseSettings>,
  runnerEnv: RunnerEnv
): Promise<void> {
  const releases = new GitHubReleaseStore({
    token: settings.token,
    apiUrl: runnerEnv.apiUrl,
    repository: settings.repository,
    log: info
  })
  const pulls = new GitHubPullRequestStore({
    token: settings.token,
    apiUrl: runnerEnv.apiUrl,
    repository: settings.repository,
    log: info
  })
  const result = await runRelease(settings, { releases, pulls, progress: { info, warning, group } })
  reportStage({ setOutput, summary, redactor }, result, {
    outputs: releaseOutputs,
    render: renderReleaseSummary
  })
  // The webhook belongs to the front end: the CLI and the pipeline decide their own notices.
  const notice = releaseNotice(settings, result)
  if (notice)
    await notifyWebhook(
      { url: settings.webhook.url, format: settings.webhook.format, secret, warning, info },
      notice
    )
}
