import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DeploymentRecord } from '@slipway/deployments'
import { InputError, Inputs, SummaryBuilder, type Clock, type RunnerEnv } from '@slipway/kit'
import {
  parseReportSettings,
  renderReportSummary,
  reportOutputs,
  runReport,
  type DeploymentHistorySource,
  type HistoryWindow
} from '@slipway/report'

const T = Date.UTC(2026, 10, 20, 12)
const iso = (ms: number): string => new Date(ms).toISOString()
const dir = mkdtempSync(join(tmpdir(), 'slipway-report-stage-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const runnerEnv: RunnerEnv = {
  workspace: dir,
  runnerTemp: dir,
  repository: 'octo/app',
  serverUrl: 'https://github.com',
  runId: '77'
}
const clock: Clock = { now: () => T, sleep: async () => undefined }

function settingsOf(values: Record<string, string>, fallbacks = {}) {
  return parseReportSettings(new Inputs(name => values[name]), runnerEnv, fallbacks)
}

/** Two deployments in the window: one succeeded in 2 minutes, one failed closed. */
function history(): DeploymentRecord[] {
  const record = (id: number, at: number, state: 'success' | 'failure'): DeploymentRecord => ({
    id,
    ref: `v1.${id}.0`,
    sha: 'f'.repeat(40),
    environment: 'production',
    createdAt: iso(at),
    payload: { version: `v1.${id}.0` },
    statuses: [
      { id: id * 10 + 2, state, description: '', createdAt: iso(at + 120_000) },
      { id: id * 10 + 1, state: 'in_progress', description: '', createdAt: iso(at) }
    ]
  })
  return [record(2, T - 3_600_000, 'failure'), record(1, T - 7_200_000, 'success')]
}

/** An in-memory history that records the windows it was asked for. */
function memoryHistory() {
  const windows: HistoryWindow[] = []
  const source: DeploymentHistorySource = {
    read: async window => {
      windows.push(window)
      return { deployments: history(), scanned: 2, truncated: false }
    }
  }
  return { source, windows }
}

const quiet = { info: () => undefined, warning: () => undefined }

describe('parseReportSettings', () => {
  test('links from the runner environment, the report file in the workspace, the token a secret', () => {
    const settings = settingsOf({ 'report-file': 'out/r.json' }, { token: 'ghs_fallback1' })
    expect(settings.reportFile).toBe(join(dir, 'out/r.json'))
    expect(settings.run.links).toEqual([
      { name: 'Workflow run', url: 'https://github.com/octo/app/actions/runs/77' },
      { name: 'production deployments', url: 'https://github.com/octo/app/deployments/production' }
    ])
    expect(settings.github?.token).toBe('ghs_fallback1')
    expect(settings.secrets).toEqual(['ghs_fallback1'])
  })

  test('reading the history without a token is an InputError; a dry run needs none', () => {
    expect(() => settingsOf({})).toThrow(InputError)
    expect(() => settingsOf({})).toThrow("Input 'token'")
    const dry = settingsOf({ 'dry-run': 'true' })
    expect(dry.readsHistory).toBe(false)
    expect(dry.github).toBeUndefined()
  })
})

describe('runReport through a DeploymentHistorySource', () => {
  test('measures the history the port returns, over the window it was asked for', async () => {
    const { source, windows } = memoryHistory()
    const warnings: string[] = []
    const settings = settingsOf({ token: 'x', window: '1d', 'report-file': 'memory.json' })
    const result = await runReport(settings, {
      progress: { info: () => undefined, warning: line => warnings.push(line) },
      clock,
      history: source
    })
    expect(windows).toEqual([
      { environment: 'production', sinceMs: T - 86_400_000, untilMs: T, maxDeployments: 5000 }
    ])
    const outputs = reportOutputs(result)
    expect(outputs['success-rate']).toBe(50)
    expect(outputs['api-calls']).toBe(0)
    expect(outputs['targets-met']).toBe(false)
    expect(result.failure).toBeUndefined()
    expect(warnings).toEqual([expect.stringContaining('Missed targets: Deployment success rate')])
    expect(JSON.parse(readFileSync(result.reportFile, 'utf8')).quality.deployments).toBe(2)
    const summary = new SummaryBuilder()
    renderReportSummary(result, summary)
    expect(summary.toString()).toContain('2 deployments and 0 rollbacks read.')
  })

  test('fail-on-target turns a missed target into the failure', async () => {
    const { source } = memoryHistory()
    const settings = settingsOf({ token: 'x', 'fail-on-target': 'true', 'report-file': 'f.json' })
    const result = await runReport(settings, { progress: quiet, clock, history: source })
    expect(result.failure).toBe('Missed targets: Deployment success rate')
  })

  test('a dry run reads nothing and says what it would read', async () => {
    const { source, windows } = memoryHistory()
    const settings = settingsOf({ 'dry-run': 'true', 'report-file': 'dry.json' })
    const result = await runReport(settings, { progress: quiet, clock, history: source })
    expect(windows).toEqual([])
    expect(result.plan).toBe(
      'Dry run: would read the production history of the last 30d (at most 5000 deployments).'
    )
  })

  test('settings that read the history and no source to read it from is a defect, not a pass', async () => {
    const settings = settingsOf({ token: 'x', 'report-file': 'none.json' })
    await expect(runReport(settings, { progress: quiet, clock })).rejects.toThrow(
      'no history source'
    )
  })
})
