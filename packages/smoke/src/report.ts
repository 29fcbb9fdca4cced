import { formatDuration, link, type SummaryBuilder } from '@slipway/kit'
import { displayUrl, formatStatusList, parseStatusList, prometheusQueryUrl } from '@slipway/probes'
import { formatMatcher } from '@slipway/monitoring'
import type { SmokeCheck } from './checks.js'
import { formatMetric, formatRate, type LoadResult } from './load.js'
import type { SmokePlan } from './plan.js'
import type { SmokeCheckResult } from './ready.js'
import type { WatchResult } from './watch.js'

/** The `report` output: everything measured, as JSON, for the next run's baseline and for people. */
export interface SmokeReport {
  passed: boolean
  dryRun: boolean
  startedAt: string
  durationMs: number
  /** One line: why it failed, or what passed. */
  message: string
  checks: SmokeCheckResult[]
  load?: LoadResult
  watch?: WatchResult
  /** Stages that did not run because an earlier one failed. */
  skipped: Array<'load' | 'watch'>
  /** Names of the failed checks, plus `load` / `watch` when those failed. */
  failed: string[]
}

const PASS = '✅'
const FAIL = '❌'
const SKIP = '⏭️'

/** The job summary of a finished run: verdict, the checks table, load figures, watch window. */
export function renderSummary(report: SmokeReport, summary: SummaryBuilder): void {
  summary.heading(`Smoke test ${report.passed ? `passed ${PASS}` : `failed ${FAIL}`}`)
  const passedChecks = report.checks.filter(c => c.passed).length
  summary.paragraph(
    `${passedChecks}/${report.checks.length} checks passed in ${formatDuration(report.durationMs)}` +
      (report.passed ? '.' : ` — **${report.message}**`)
  )
  const checksMs = Math.max(0, ...report.checks.map(c => c.durationMs))
  const timings = [
    report.checks.length > 0 ? `checks ${formatDuration(checksMs)}` : '',
    report.load ? `load ${formatDuration(report.load.figures.durationMs)}` : '',
    report.watch ? `watch ${formatDuration(report.watch.durationMs)}` : ''
  ].filter(Boolean)
  if (timings.length > 1) summary.paragraph(`Timings: ${timings.join(' · ')}`)
  summary.table(
    ['', 'Check', 'URL', 'HTTP', 'Latency', 'Attempts', 'Message'],
    report.checks.map(check => [
      check.passed ? PASS : FAIL,
      check.name,
      // A check named after its request (`GET /health`) already shows the method.
      namedByRequest(check) ? check.url : `${check.method} ${check.url}`,
      check.httpStatus ?? '—',
      check.latencyMs === undefined ? '—' : `${Math.round(check.latencyMs)}ms`,
      check.attempts,
      tableMessage(check)
    ])
  )
  const withBodies = report.checks.filter(c => !c.passed && c.bodyExcerpt)
  if (withBodies.length > 0)
    summary.details(
      'Response bodies of failed checks',
      withBodies
        .map(c => `**${c.name}**\n\n\`\`\`\n${c.bodyExcerpt!.replace(/```/g, "'''")}\n\`\`\``)
        .join('\n\n')
    )
  if (report.load) renderLoad(report.load, summary)
  else if (report.skipped.includes('load'))
    summary.heading('Load check', 3).paragraph(`${SKIP} Skipped: the checks failed.`)
  if (report.watch) renderWatch(report.watch, summary)
  else if (report.skipped.includes('watch'))
    summary.heading('Watch window', 3).paragraph(`${SKIP} Skipped: an earlier stage failed.`)
}

/** Whether the check's name is the default one, its method and path. */
function namedByRequest(check: SmokeCheckResult): boolean {
  return check.name.startsWith(`${check.method} `)
}

/**
 * One line for a check's result in the log and the failure message. A check named after its
 * request would read `GET /: GET http://… → 503`: its message, which starts with the request,
 * is enough.
 */
export function describeCheck(check: SmokeCheckResult): string {
  const request = `${check.method} ${check.url}`
  if (namedByRequest(check) && check.message.startsWith(request)) return check.message
  return `${check.name}: ${check.message}`
}

/** The message without the `GET url → ` prefix the URL column already shows. */
function tableMessage(check: SmokeCheckResult): string {
  const prefix = `${check.method} ${check.url}`
  if (!check.message.startsWith(prefix)) return check.message
  return check.message.slice(prefix.length).replace(/^(?: → |: )/, '')
}

function renderLoad(load: LoadResult, summary: SummaryBuilder): void {
  const { figures, settings } = load
  summary.heading(`Load check ${load.passed ? PASS : FAIL}`, 3)
  const rate = settings.rate ? `${settings.rate} req/s` : 'unthrottled'
  summary.paragraph(
    `${load.url} — ${formatDuration(settings.durationMs)}, ${settings.connections} connections, ${rate}: ` +
      `**${figures.requests}** requests, **${figures.rps.toFixed(1)}** req/s, ${formatRate(figures.errorRate)} errors` +
      (figures.firstError && figures.errors > 0 ? ` (${figures.firstError})` : '')
  )
  const verdictFor = (metric: string, source: 'threshold' | 'baseline') =>
    load.verdicts.find(v => v.metric === metric && v.source === source)
  const cell = (metric: string, source: 'threshold' | 'baseline'): string => {
    const verdict = verdictFor(metric, source)
    if (!verdict) return '—'
    const mark = verdict.ok ? PASS : FAIL
    const op = verdict.metric === 'requests/s' ? '≥' : '≤'
    const baseline =
      verdict.baseline === undefined
        ? ''
        : ` (was ${formatMetric(verdict.metric, verdict.baseline)})`
    return `${mark} ${op} ${formatMetric(verdict.metric, verdict.limit)}${baseline}`
  }
  const rows: Array<[string, string, string]> = [
    ['error rate', formatRate(figures.errorRate), 'error rate'],
    ['p50', `${figures.p50Ms}ms`, ''],
    ['p95', `${figures.p95Ms}ms`, 'p95'],
    ['p99', `${figures.p99Ms}ms`, 'p99'],
    ['max', `${figures.maxMs}ms`, ''],
    ['requests/s', figures.rps.toFixed(1), 'requests/s']
  ]
  summary.table(
    ['Metric', 'Measured', 'Threshold', `Baseline (±${Math.round(settings.tolerance * 100)}%)`],
    rows.map(([label, value, metric]) => [
      label,
      value,
      metric ? cell(metric, 'threshold') : '',
      metric ? cell(metric, 'baseline') : ''
    ])
  )
}

function renderWatch(watch: WatchResult, summary: SummaryBuilder): void {
  summary.heading(`Watch window ${watch.passed ? PASS : FAIL}`, 3)
  const window =
    watch.settings.windowMs === 0
      ? 'one evaluation'
      : `${formatDuration(watch.settings.windowMs)} every ${formatDuration(watch.settings.intervalMs)}`
  summary.paragraph(
    `${window}: ${watch.rounds} round(s) in ${formatDuration(watch.durationMs)}, ${watch.breaches} breaching round(s)` +
      ` (limit ${watch.settings.failureLimit})${watch.stoppedEarly ? ', stopped at the limit' : ''}.`
  )
  if (watch.alertsBefore?.length)
    summary.paragraph(
      `Already firing before the deploy (reported, not counted): ${watch.alertsBefore.join(', ')}.`
    )
  const values = Object.entries(watch.lastValues)
  if (values.length > 0)
    summary.table(
      ['Query', 'Last value'],
      values.map(([name, value]) => [link(name, watch.settings.graphs?.[name]), value ?? '—'])
    )
  if (watch.breachRounds.length > 0)
    summary.table(
      ['Round', 'After', 'Check', 'Message'],
      watch.breachRounds.flatMap(round =>
        round.failures.map(f => [
          round.index + 1,
          `${(round.offsetMs / 1000).toFixed(1)}s`,
          f.name,
          f.message
        ])
      )
    )
}

/** The dry-run listing: what would be requested and asserted, with nothing sent. */
export function renderPlan(plan: SmokePlan, summary: SummaryBuilder): void {
  summary.heading('Smoke test (dry run)')
  summary.paragraph(
    `Nothing was sent. ${plan.checks.length} check(s) would run ${plan.concurrency} at a time, retrying until ready ` +
      `for up to ${formatDuration(plan.timeoutMs)}.`
  )
  summary.table(
    ['Check', 'Request', 'Expects', 'Retries'],
    plan.checks.map(check => [
      check.name,
      `${(check.spec.method ?? 'GET').toUpperCase()} ${displayUrl(check.spec.url)}`,
      describeExpectations(check),
      check.maxAttempts === undefined ? 'until ready' : String(check.maxAttempts - 1)
    ])
  )
  if (plan.load) {
    const load = plan.load
    const limits = [
      load.thresholds.maxErrorRate !== undefined
        ? `error rate ≤ ${formatRate(load.thresholds.maxErrorRate)}`
        : '',
      load.thresholds.maxP95Ms !== undefined ? `p95 ≤ ${load.thresholds.maxP95Ms}ms` : '',
      load.thresholds.maxP99Ms !== undefined ? `p99 ≤ ${load.thresholds.maxP99Ms}ms` : '',
      load.thresholds.minRps !== undefined ? `≥ ${load.thresholds.minRps} req/s` : '',
      load.baseline
        ? `baseline ${JSON.stringify(load.baseline)} ±${Math.round(load.tolerance * 100)}%`
        : ''
    ].filter(Boolean)
    summary
      .heading('Load check', 3)
      .list([
        `${(load.method ?? 'GET').toUpperCase()} ${displayUrl(load.url)} for ${formatDuration(load.durationMs)} with ${load.connections} connections${load.rate ? ` at ${load.rate} req/s` : ''} (at most ${load.maxRequests} requests)`,
        `Thresholds: ${limits.join(', ') || 'none'}`
      ])
  }
  if (plan.watch) {
    const watch = plan.watch
    summary
      .heading('Watch window', 3)
      .list([
        watch.windowMs === 0
          ? 'One evaluation of the queries'
          : `${formatDuration(watch.windowMs)}, every ${formatDuration(watch.intervalMs)}; fails after ${watch.failureLimit} breaching round(s)`,
        ...watch.queries.map(
          q =>
            `${q.name}: \`${q.query}\` ${q.max !== undefined ? `≤ ${q.max}` : ''}${q.min !== undefined ? ` ≥ ${q.min}` : ''} — ${prometheusQueryUrl(q).split('?')[0]}`
        ),
        ...(watch.alerts
          ? [
              `Alertmanager ${displayUrl(watch.alerts.url)}: fails on a new alert matching \`${watch.alerts.matchers.map(formatMatcher).join(', ')}\`${watch.alerts.silenceMatchers ? `; silences \`${watch.alerts.silenceMatchers.map(formatMatcher).join(', ')}\` meanwhile` : ''}`
            ]
          : [])
      ])
  }
}

function describeExpectations(check: SmokeCheck): string {
  const spec = check.spec
  const parts = [`status ${formatStatusList(parseStatusList(spec.expectStatus ?? '200-399'))}`]
  if (spec.bodyContains !== undefined)
    parts.push(`body contains ${JSON.stringify(spec.bodyContains)}`)
  if (spec.bodyRegex !== undefined) parts.push(`body ~ /${spec.bodyRegex}/`)
  for (const json of spec.json ?? [])
    parts.push(
      json.exists === false
        ? `${json.path} absent`
        : `${json.path} = ${JSON.stringify(json.equals)}`
    )
  for (const header of spec.expectHeaders ?? [])
    parts.push(`${header.name}${header.matches ? ` ~ /${header.matches}/` : ' present'}`)
  if (spec.maxLatencyMs !== undefined) parts.push(`≤ ${spec.maxLatencyMs}ms`)
  return parts.join('; ')
}
