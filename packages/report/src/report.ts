import { formatDuration, link, systemClock, type Clock, type SummaryBuilder } from '@slipway/kit'
import type { ApiCalls } from './history.js'
import type { DeploymentHistorySource } from './history-source.js'
import { computeQuality, round, type Figure, type Quality, type Targets } from './metrics.js'
import { ganttOf, type StageTiming, type TimelineStep } from './run.js'

export interface RunInfo {
  version?: string
  previousVersion?: string
  strategy?: string
  status?: string
  deploymentId?: number
  environmentUrl?: string
  stages: StageTiming[]
  timeline: TimelineStep[]
  links: { name: string; url: string }[]
}

export interface ReportOptions {
  environment: string
  run: RunInfo
  /** The history to measure; without one there are no quality figures. */
  history?: DeploymentHistorySource
  /** `owner/name` of the history, for the report. */
  repository?: string
  /** How far back the quality figures look; undefined reads the whole history (up to maxDeployments). */
  windowMs?: number
  maxDeployments?: number
  targets?: Partial<Targets>
  nowMs?: number
  clock?: Clock
  log?: (line: string) => void
}

export interface DeploymentReport {
  generatedAt: string
  environment: string
  repository?: string
  run: Omit<RunInfo, 'stages' | 'timeline'> & {
    stages: StageTiming[]
    timeline: TimelineStep[]
    totalMs?: number
    gantt?: string
  }
  quality?: {
    window: { since?: string; until: string; days: number }
    deployments: number
    rollbacks: number
    openIncidents: number
    figures: Record<string, Figure>
    /** How the GitHub API read the history; absent for a source without API calls. */
    apiCalls?: ApiCalls
    scanned: number
    truncated: boolean
  }
  /** Every figure with a target met (figures without data count as met). */
  targetsMet: boolean
  missedTargets: string[]
}

/** Builds the deployment report: this run's stages and timeline, plus the environment's quality figures. */
export async function buildReport(options: ReportOptions): Promise<{
  report: DeploymentReport
  quality?: Quality
}> {
  const clock = options.clock ?? systemClock
  const nowMs = options.nowMs ?? clock.now()
  const { run } = options
  const totals = run.stages.map(s => s.durationMs).filter((d): d is number => d !== undefined)
  const gantt = ganttOf(run.stages, run.timeline, {
    title: `${options.environment} ${run.version ?? ''}`
  })
  const report: DeploymentReport = {
    generatedAt: new Date(nowMs).toISOString(),
    environment: options.environment,
    repository: options.history ? options.repository : undefined,
    run: {
      ...run,
      totalMs: totals.length > 0 ? totals.reduce((a, b) => a + b, 0) : undefined,
      gantt
    },
    targetsMet: true,
    missedTargets: []
  }
  let quality: Quality | undefined
  if (options.history) {
    const sinceMs = options.windowMs === undefined ? undefined : nowMs - options.windowMs
    const started = clock.now()
    const history = await options.history.read({
      environment: options.environment,
      sinceMs,
      untilMs: nowMs,
      maxDeployments: options.maxDeployments
    })
    const { calls } = history
    const how = calls
      ? ` with ${calls.total} ${calls.api === 'graphql' ? 'GraphQL' : 'REST'} API calls`
      : ''
    options.log?.(
      `Read ${history.deployments.length} deployments of ${options.environment}${how} in ${formatDuration(clock.now() - started)}`
    )
    quality = computeQuality(history.deployments, {
      sinceMs,
      untilMs: nowMs,
      targets: options.targets
    })
    report.quality = {
      window: {
        since: sinceMs === undefined ? undefined : new Date(sinceMs).toISOString(),
        until: new Date(nowMs).toISOString(),
        days: round(quality.window.days, 3)
      },
      deployments: quality.deployments,
      rollbacks: quality.rollbacks,
      openIncidents: quality.openIncidents,
      figures: quality.figures,
      apiCalls: history.calls,
      scanned: history.scanned,
      truncated: history.truncated
    }
    report.missedTargets = Object.values(quality.figures)
      .filter(f => f.verdict === 'fail')
      .map(f => f.name)
    report.targetsMet = report.missedTargets.length === 0
  }
  return { report, quality }
}

export function formatFigure(figure: Figure): string {
  if (figure.value === undefined) return '—'
  switch (figure.unit) {
    case '%':
      return `${round(figure.value, 2)}%`
    case 'ms':
      return formatDuration(figure.value)
    case 'count':
      return String(figure.value)
    default:
      return `${round(figure.value, 2)} ${figure.unit}`
  }
}

function formatTarget(figure: Figure): string {
  if (!figure.target) return '—'
  const value =
    figure.unit === 'ms' ? formatDuration(figure.target.value) : `${figure.target.value}%`
  return `${figure.target.comparison === '>=' ? '≥' : '≤'} ${value}`
}

const VERDICT = { pass: '✅ pass', fail: '❌ fail', 'n/a': '— no data' } as const

/**
 * A run that did not deliver its version: failed, errored, rolled back, cancelled. A manual
 * rollback that worked reports `rollback succeeded`, which is not one of them.
 */
const FAILED_RUN = /fail|error|rolled[- ]back|cancel|abort/i

/**
 * The report's first line. It follows the run's status before the quality targets: a
 * rolled-back or failed run is never headed by "all targets met", whatever the figures say.
 */
export function verdictOf(report: DeploymentReport): string | undefined {
  const status = report.run.status
  const missed = report.missedTargets.length > 0 ? report.missedTargets.join(', ') : undefined
  if (status && FAILED_RUN.test(status))
    return `❌ **${status}**${missed ? ` · missed targets: ${missed}` : ''}`
  if (missed) return `⚠️ **${status ?? 'report'}** · missed targets: ${missed}`
  if (!report.quality) return status ? `**${status}**` : undefined
  return `✅ **${status ?? 'report'}** · all targets met`
}

/** The job summary: a heading, the run (versions, stages, timeline, links), then the quality figures. */
export function renderReport(summary: SummaryBuilder, report: DeploymentReport): void {
  const { run } = report
  summary.heading(`Deployment report: ${report.environment}`)
  const verdict = verdictOf(report)
  if (verdict) summary.paragraph(verdict)
  const facts = [
    run.version && `**Version** \`${run.version}\``,
    run.previousVersion && `previous \`${run.previousVersion}\``,
    run.strategy && `strategy ${run.strategy}`,
    run.totalMs !== undefined && `total ${formatDuration(run.totalMs)}`
  ].filter(Boolean)
  if (facts.length > 0) summary.paragraph(facts.join(' · '))
  summary.table(
    ['Stage', 'Status', 'Duration', 'Detail'],
    run.stages.map(s => [
      s.name,
      s.status,
      s.durationMs === undefined ? '' : formatDuration(s.durationMs),
      s.detail
    ])
  )
  if (run.gantt) summary.mermaid(run.gantt)
  const links = [
    ...(run.environmentUrl ? [{ name: 'Environment', url: run.environmentUrl }] : []),
    ...run.links
  ]
  summary.list(links.map(l => link(l.name, l.url)))
  const quality = report.quality
  if (!quality) return
  summary.heading(
    quality.window.since
      ? `Quality over ${round(quality.window.days, 1)} days`
      : 'Quality over the whole history',
    3
  )
  summary.table(
    ['Figure', 'Value', 'Target', 'Result', 'Basis'],
    Object.values(quality.figures).map(f => [
      f.name + (f.unit === 'per week' ? ' (weekly)' : f.unit === 'per day' ? ' (daily)' : ''),
      formatFigure(f),
      formatTarget(f),
      f.target ? VERDICT[f.verdict] : '',
      f.basis
    ])
  )
  const calls = quality.apiCalls
  summary.paragraph(
    (report.targetsMet ? '' : `Missed: ${report.missedTargets.join(', ')}. `) +
      `${quality.deployments} deployments and ${quality.rollbacks} rollbacks read` +
      (calls
        ? ` with ${calls.api === 'graphql' ? 'GraphQL' : 'REST'}: ` +
          `${plural(calls.total, 'API call')} (${callsText(calls)})`
        : '') +
      (quality.truncated ? '; stopped at max-deployments.' : '.') +
      (calls?.api === 'rest' && calls.graphql > 0
        ? ` ${calls.fallback ?? 'GraphQL failed'}, so REST read the history.`
        : '')
  )
}

/** How many calls of each kind read the history. */
function callsText(calls: ApiCalls): string {
  const graphql = plural(calls.graphql, 'GraphQL query', 'GraphQL queries')
  const statuses = `${calls.listStatuses} REST status pages`
  if (calls.api === 'graphql') return graphql + (calls.listStatuses ? `, ${statuses}` : '')
  const rest = `${calls.listDeployments} REST deployment pages, ${statuses}`
  return calls.graphql ? `${graphql}, ${rest}` : rest
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
