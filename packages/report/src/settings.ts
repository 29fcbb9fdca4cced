import { join, resolve } from 'node:path'
import { parseRepository } from '@slipway/github'
import { InputError, parseDuration, type Inputs, type RunnerEnv } from '@slipway/kit'
import type { GitHubHistoryAccess } from './github-history-source.js'
import type { Targets } from './metrics.js'
import type { RunInfo } from './report.js'
import { parseStages, parseTimeline } from './run.js'

export interface ReportSettings {
  environment: string
  /** How far back the figures look; undefined for `all`. */
  windowMs?: number
  /** The window as written (`30d`), for the dry-run plan. */
  windowText: string
  maxDeployments: number
  targets: Targets
  /** This run: versions, stages, timeline and links (the workflow run's among them). */
  run: RunInfo
  failOnTarget: boolean
  dryRun: boolean
  /** Absolute path of the JSON report. */
  reportFile: string
  /** Read the deployment history for the quality figures (`quality`, and not a dry run). */
  readsHistory: boolean
  /** `owner/name`, when known. */
  repository?: string
  /** Where the history is read on GitHub; only when it is read. */
  github?: GitHubHistoryAccess
  /** The token: masked before anything runs. */
  readonly secrets: string[]
}

/** What the front end offers when an input is empty. */
export interface ReportFallbacks {
  /** The action: GITHUB_TOKEN of the step's environment. */
  token?: string
}

/**
 * Reads and validates the report inputs. Every problem is an InputError naming the input,
 * thrown before any API call; nothing is changed.
 */
export function parseReportSettings(
  inputs: Inputs,
  runnerEnv: RunnerEnv,
  fallbacks: ReportFallbacks = {}
): ReportSettings {
  const environment = inputs.string('environment', { default: 'production' })
  const windowText = inputs.string('window', { default: '30d' })
  const windowMs = windowOf(windowText)
  const maxDeployments = inputs.int('max-deployments', { default: 5000, min: 1, max: 100_000 })
  const withQuality = inputs.bool('quality', true)
  const targets = readTargets(inputs)
  const run = readRun(inputs)
  const failOnTarget = inputs.bool('fail-on-target')
  const dryRun = inputs.bool('dry-run')
  const reportFile = resolve(
    runnerEnv.workspace,
    inputs.string('report-file') ?? join(runnerEnv.runnerTemp, 'slipway-report.json')
  )
  const token = inputs.string('token') ?? fallbacks.token
  const repositoryText = inputs.string('repository') ?? runnerEnv.repository
  const repository = parseRepository(repositoryText)
  const readsHistory = withQuality && !dryRun
  if (readsHistory) {
    if (!repository) throw new InputError('repository', 'owner/name', repositoryText)
    if (!token)
      throw new InputError('token', 'a token with deployments: read (or quality: false)', token)
  }
  // The runner always sets GITHUB_SERVER_URL; without it (the CLI's local ledger) there is no
  // server to link to, and github.com/<ledger name> would be a broken link.
  const server = runnerEnv.serverUrl?.replace(/\/+$/, '')
  if (repository && server) {
    const base = `${server}/${repository.owner}/${repository.repo}`
    if (runnerEnv.runId)
      run.links.push({ name: 'Workflow run', url: `${base}/actions/runs/${runnerEnv.runId}` })
    run.links.push({
      name: run.deploymentId ? `Deployment #${run.deploymentId}` : `${environment} deployments`,
      url: `${base}/deployments/${encodeURIComponent(environment)}`
    })
  }
  return {
    environment,
    windowMs,
    windowText,
    maxDeployments,
    targets,
    run,
    failOnTarget,
    dryRun,
    reportFile,
    readsHistory,
    repository: repository ? `${repository.owner}/${repository.repo}` : undefined,
    github:
      readsHistory && repository && token
        ? { token, repository, apiUrl: runnerEnv.apiUrl }
        : undefined,
    secrets: token ? [token] : []
  }
}

/** `30d`, `12h`, … in ms, or undefined for `all`. */
function windowOf(text: string): number | undefined {
  if (text === 'all') return undefined
  const ms = parseDuration(text)
  if (ms === undefined || ms <= 0)
    throw new InputError('window', 'a duration such as 30d or 12h, or all', text)
  return ms
}

function percent(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const value = Number(text.replace(/%$/, ''))
  if (!/^\d+(\.\d+)?%?$/.test(text) || value > 100)
    throw new InputError(name, 'a percentage from 0 to 100', text)
  return value
}

function readTargets(inputs: Inputs): Targets {
  return {
    successRate: percent('target-success-rate', inputs.string('target-success-rate'), 99),
    rollbackSuccessRate: percent(
      'target-rollback-success-rate',
      inputs.string('target-rollback-success-rate'),
      100
    ),
    deployTimeMs: inputs.duration('target-deploy-time', { default: '30m', min: 1 }),
    mttrMs: inputs.duration('target-mttr', { default: '1h', min: 1 })
  }
}

function readRun(inputs: Inputs): RunInfo {
  const links = inputs.list('links').map(entry => {
    const at = entry.indexOf('=')
    const name = at > 0 ? entry.slice(0, at).trim() : ''
    const url = at > 0 ? entry.slice(at + 1).trim() : ''
    if (!name || !/^https?:\/\//.test(url))
      throw new InputError('links', 'entries like Name=https://…', entry)
    return { name, url }
  })
  return {
    version: inputs.string('version'),
    previousVersion: inputs.string('previous-version'),
    strategy: inputs.string('strategy'),
    status: inputs.string('status'),
    deploymentId: inputs.int('deployment-id', { min: 1 }),
    environmentUrl: inputs.url('environment-url')?.toString(),
    stages: parseStages(inputs.yaml('stages'), 'stages'),
    timeline: parseTimeline(inputs.json('timeline'), 'timeline'),
    links
  }
}
