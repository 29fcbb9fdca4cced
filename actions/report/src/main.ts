import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { InputError, type ActionContext } from '@slipway/kit'
import { createGitHubClient, parseRepository } from '@slipway/github'
import { buildReport, renderReport } from '@slipway/report'
import { readRun, readTargets, readWindow } from './inputs.js'

export async function main({ inputs, secret, setOutput, summary, info, warning }: ActionContext) {
  const environment = inputs.string('environment', { default: 'production' })!
  const windowMs = readWindow(inputs)
  const maxDeployments = inputs.int('max-deployments', { default: 5000, min: 1, max: 100_000 })!
  const withQuality = inputs.bool('quality', true)
  const targets = readTargets(inputs)
  const run = readRun(inputs)
  const failOnTarget = inputs.bool('fail-on-target')
  const dryRun = inputs.bool('dry-run')
  const reportFile = resolve(
    process.env.GITHUB_WORKSPACE ?? process.cwd(),
    inputs.string('report-file') ?? join(process.env.RUNNER_TEMP ?? tmpdir(), 'slipway-report.json')
  )
  const token = inputs.string('token') ?? process.env.GITHUB_TOKEN
  secret(token)
  const repositoryText = inputs.string('repository') ?? process.env.GITHUB_REPOSITORY
  const repo = parseRepository(repositoryText)
  if (withQuality && !dryRun) {
    if (!repo) throw new InputError('repository', 'owner/name', repositoryText)
    if (!token)
      throw new InputError('token', 'a token with deployments: read (or quality: false)', token)
  }
  // The runner always sets GITHUB_SERVER_URL; without it (the CLI's local ledger) there is no
  // server to link to, and github.com/<ledger name> would be a broken link.
  const server = process.env.GITHUB_SERVER_URL?.replace(/\/+$/, '')
  if (repo && server) {
    const base = `${server}/${repo.owner}/${repo.repo}`
    if (process.env.GITHUB_RUN_ID)
      run.links.push({
        name: 'Workflow run',
        url: `${base}/actions/runs/${process.env.GITHUB_RUN_ID}`
      })
    run.links.push({
      name: run.deploymentId ? `Deployment #${run.deploymentId}` : `${environment} deployments`,
      url: `${base}/deployments/${encodeURIComponent(environment)}`
    })
  }

  const { report } = await buildReport({
    environment,
    run,
    github:
      withQuality && !dryRun && repo && token
        ? { octokit: createGitHubClient({ token, log: info }), repo }
        : undefined,
    windowMs,
    maxDeployments,
    targets,
    log: info
  })
  renderReport(summary, report)
  if (dryRun)
    summary.paragraph(
      `Dry run: would read the ${environment} history${windowMs === undefined ? '' : ` of the last ${inputs.string('window', { default: '30d' })}`} (at most ${maxDeployments} deployments).`
    )

  mkdirSync(dirname(reportFile), { recursive: true })
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`)
  const figures = report.quality?.figures
  const seconds = (ms?: number) => (ms === undefined ? '' : Math.round(ms / 100) / 10)
  const pct = (value?: number) => (value === undefined ? '' : Math.round(value * 100) / 100)
  setOutput('report', report)
  setOutput('report-file', reportFile)
  setOutput('targets-met', report.targetsMet)
  setOutput('missed-targets', report.missedTargets.join(','))
  setOutput('success-rate', pct(figures?.successRate.value))
  setOutput('rollback-success-rate', pct(figures?.rollbackSuccessRate.value))
  setOutput('mean-deploy-time', seconds(figures?.meanDeployTime.value))
  setOutput('p90-deploy-time', seconds(figures?.p90DeployTime.value))
  setOutput('mttr', seconds(figures?.mttr.value))
  setOutput('change-failure-rate', pct(figures?.changeFailureRate.value))
  setOutput('deployment-frequency', pct(figures?.frequencyPerDay.value))
  setOutput('api-calls', report.quality?.apiCalls.total ?? 0)
  if (!report.targetsMet) {
    const text = `Missed targets: ${report.missedTargets.join(', ')}`
    if (failOnTarget) throw new Error(text)
    warning(text)
  }
}
