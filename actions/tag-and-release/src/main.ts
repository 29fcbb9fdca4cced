import { reportStage, runnerEnvOf, type ActionContext } from '@slipway/kit'
import {
  GitHubPullRequestStore,
  GitHubReleaseStore,
  parseReleaseSettings,
  releaseNotice,
  releaseOutputs,
  renderReleaseSummary,
  runRelease
} from '@slipway/release'
import { notifyWebhook } from '@slipway/notify'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info,
  warning,
  group
}: ActionContext): Promise<void> {
  const runnerEnv = runnerEnvOf()
  const settings = parseReleaseSettings(inputs, runnerEnv)
  settings.secrets.forEach(secret)
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
  reportStage({ setOutput, summary }, result, {
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
