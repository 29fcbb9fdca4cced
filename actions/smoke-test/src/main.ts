import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { urlCredentials, type ActionContext } from '@slipway/kit'
import { displayUrl } from '@slipway/probes'
import { planSmoke, renderPlan, renderSummary, runSmoke, writeJUnit } from '@slipway/smoke'
import { readInputs } from './inputs.js'

export async function main({
  inputs,
  redactor,
  secret,
  setOutput,
  summary,
  info
}: ActionContext): Promise<void> {
  const plan = planSmoke(readInputs(inputs))
  // Credentials in URLs and in request headers stay out of the log, the summary and the report.
  for (const url of [
    ...plan.checks.map(c => c.spec.url),
    plan.load?.url,
    plan.watch?.queries[0]?.url
  ])
    for (const credential of urlCredentials(url ?? '')) secret(credential)
  for (const check of plan.checks)
    for (const [name, value] of Object.entries(check.spec.headers ?? {}))
      if (/authorization|token|key|secret|cookie|password/i.test(name)) {
        secret(value)
        // `Bearer <token>`: a server may echo the credential without its scheme.
        secret(/^[A-Za-z]+\s+(\S+)$/.exec(value)?.[1])
      }

  if (plan.dryRun) {
    renderPlan(plan, summary)
    setOutput('passed', true)
    setOutput('failed', 0)
    setOutput('failed-checks', '')
    setOutput('report', {
      dryRun: true,
      checks: plan.checks.map(c => ({ name: c.name, url: displayUrl(c.spec.url) }))
    })
    return
  }
  const report = await runSmoke(plan, { info })
  const junitPath = writeJUnit(
    plan.junitPath ?? join(process.env.RUNNER_TEMP ?? tmpdir(), 'slipway-smoke-junit.xml'),
    report,
    redactor
  )
  renderSummary(report, summary)
  setOutput('passed', report.passed)
  setOutput('failed', report.failed.length)
  setOutput('failed-checks', report.failed.join(','))
  setOutput('report', report)
  setOutput('junit-path', junitPath)
  if (!report.passed) throw new Error(report.message)
}
