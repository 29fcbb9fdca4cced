import { join } from 'node:path'
import { tmpdir } from 'node:os'
import type { ActionContext } from '@slipway/kit'
import { displayUrl } from '@slipway/probes'
import { planSmoke, renderPlan, renderSummary, runSmoke, writeJUnit } from '@slipway/smoke'
import { readInputs } from './inputs.js'

export async function main({
  inputs,
  secret,
  setOutput,
  summary,
  info
}: ActionContext): Promise<void> {
  const plan = planSmoke(readInputs(inputs))
  for (const check of plan.checks)
    for (const value of Object.values(check.spec.headers ?? {})) secret(value)
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
    report
  )
  renderSummary(report, summary)
  setOutput('passed', report.passed)
  setOutput('failed', report.failed.length)
  setOutput('failed-checks', report.failed.join(','))
  setOutput('report', report)
  setOutput('junit-path', junitPath)
  if (!report.passed) throw new Error(report.message)
}
