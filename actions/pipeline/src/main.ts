import { InputError, type ActionContext } from '@slipway/kit'
import {
  parseStages,
  planStages,
  renderPipelineSummary,
  runPipeline,
  PIPELINE_STAGES,
  type AnyStage
} from '@slipway/pipeline'
import { readConfigFile } from '@slipway/rollback'
import { secretEnvValues } from '@slipway/strategies'
import { noteUserFailure, pipelineError } from './failure.js'
import { readRootInputs } from './inputs.js'
import { runStage, settingsOf, stageSource } from './stages.js'

export async function main(ctx: ActionContext): Promise<void> {
  const root = readRootInputs(ctx.inputs)
  const token = root.token ?? process.env.GITHUB_TOKEN
  ctx.secret(token)
  // Container secrets given to this action are masked before any stage can log them.
  const given = root.explicit.deploy ?? {}
  ctx.secret(given['registry-password'])
  ctx.secret(given['ssh-private-key'])
  for (const value of secretEnvValues(given['secret-env'])) ctx.secret(value)
  const config = root.configFile ? readConfigFile(root.configFile) : undefined
  const plan = planStages(parseStages(root.stages), stage => settingsOf(stage, root, config))

  // Bad input must change nothing: every stage that will run is first planned as a dry run,
  // so an InputError in, say, the smoke settings stops the pipeline before the deploy.
  if (!root.dryRun) {
    const quiet = { ...ctx, info: () => undefined, warning: () => undefined }
    for (const stage of PIPELINE_STAGES.filter(s => plan[s].run)) {
      try {
        await runStage(quiet, stage, stageSource(stage, root, config, token, {}, true))
      } catch (error) {
        if (error instanceof InputError) throw error
      }
    }
  }

  // Stages that failed for a reason the user can fix: the step's failure is then a UserError.
  const userFixable = new Set<AnyStage>()
  const result = await runPipeline({
    plan,
    runStage: (stage, done) =>
      noteUserFailure(stage, userFixable, () =>
        runStage(ctx, stage, stageSource(stage, root, config, token, done))
      ),
    shouldRollBack: (failed, done) => {
      if (!root.rollbackOnFailure) return 'rollback-on-failure is false'
      if (root.dryRun) return 'dry run'
      if (!done.deploy || done.deploy.status === 'skipped') return 'nothing was deployed'
      if (!done.deploy.outputs['deployment-id'])
        return `${failed.stage} failed before a deployment was recorded: traffic was not moved`
      return true
    },
    log: ctx.info
  })

  const deploy = result.runs.find(r => r.stage === 'deploy')
  const release = result.runs.find(r => r.stage === 'release')
  const backup = result.runs.find(r => r.stage === 'backup')
  const rollback = result.rollback
  ctx.setOutput('status', root.dryRun && result.status === 'success' ? 'dry-run' : result.status)
  ctx.setOutput('version', root.version)
  ctx.setOutput('previous-version', deploy?.outputs['previous-version'] ?? '')
  ctx.setOutput('deployment-id', deploy?.outputs['deployment-id'] ?? '')
  ctx.setOutput('backup-id', backup?.outputs['backup-id'] ?? '')
  ctx.setOutput('release-url', release?.outputs['release-url'] ?? '')
  ctx.setOutput('tag', release?.outputs.tag ?? '')
  ctx.setOutput('failed-stage', result.failed?.stage ?? '')
  ctx.setOutput('rolled-back-to', rollback?.outputs['rolled-back-to'] ?? '')
  ctx.setOutput('rollback-deployment-id', rollback?.outputs['deployment-id'] ?? '')
  ctx.setOutput(
    'timeline',
    result.runs.map(r => ({
      stage: r.stage,
      status: r.status,
      startedAt: new Date(r.startedAt).toISOString(),
      durationMs: r.durationMs,
      detail: r.detail
    }))
  )
  // The runner always sets GITHUB_SERVER_URL; the CLI's local ledger leaves it out (no web pages).
  const server = process.env.GITHUB_SERVER_URL?.replace(/\/+$/, '')
  const repo = server ? process.env.GITHUB_REPOSITORY : undefined
  renderPipelineSummary(ctx.summary, result, {
    environment: root.environment,
    version: root.version,
    previousVersion: deploy?.outputs['previous-version'],
    dryRun: root.dryRun,
    links: [
      {
        label: 'Workflow run',
        url:
          repo && process.env.GITHUB_RUN_ID
            ? `${server}/${repo}/actions/runs/${process.env.GITHUB_RUN_ID}`
            : undefined
      },
      {
        label: 'Deployments',
        url: repo
          ? `${server}/${repo}/deployments/${encodeURIComponent(root.environment)}`
          : undefined
      },
      { label: 'Release', url: release?.outputs['release-url'] || undefined },
      { label: 'Environment', url: deploy?.outputs['environment-url'] || undefined }
    ]
  })
  const failure = pipelineError(result, userFixable)
  if (failure) throw failure
}
