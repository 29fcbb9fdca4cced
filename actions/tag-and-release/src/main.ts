import { runnerEnvOf, type ActionContext } from '@slipway/kit'
import {
  GitHubReleaseStore,
  parseReleaseSettings,
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
  warning
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
  const result = await runRelease(settings, { releases, progress: { info, warning } })
  for (const [name, value] of Object.entries(releaseOutputs(result))) setOutput(name, value)
  renderReleaseSummary(result, summary)
  const { plan } = result
  // The webhook belongs to the front end: the CLI and the pipeline decide their own notices.
  if (plan.released && !settings.dryRun)
    await notifyWebhook(
      { url: settings.webhook.url, format: settings.webhook.format, secret, warning, info },
      {
        event: 'release',
        version: plan.tag,
        previousVersion: plan.previousTag,
        repository: settings.repositoryName,
        releaseUrl: result.releaseUrl,
        detail: `${plan.bump} release`
      }
    )
}
