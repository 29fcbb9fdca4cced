import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { Inputs, InputError, SummaryBuilder, type RunnerEnv } from '@slipway/kit'
import { parseSmokeSettings, renderSmokeSummary, runSmokeTest, smokeOutputs } from '@slipway/smoke'

const inputsOf = (values: Record<string, string>): Inputs => new Inputs(name => values[name])
const runnerEnv: RunnerEnv = { workspace: '/work', runnerTemp: '/runner/temp' }
const progress = { info: () => undefined, warning: () => undefined }

describe('smoke stage API', () => {
  it('lists URL and header credentials as secrets and puts the JUnit report in the runner temp', () => {
    const settings = parseSmokeSettings(
      inputsOf({
        url: 'https://user:url-secret@app.example/health',
        headers: 'Authorization: Bearer tok-123456'
      }),
      runnerEnv
    )
    expect(settings.junitPath).toBe(join('/runner/temp', 'slipway-smoke-junit.xml'))
    expect(settings.secrets).toEqual(
      expect.arrayContaining(['url-secret', 'Bearer tok-123456', 'tok-123456'])
    )
    expect(() => parseSmokeSettings(inputsOf({}), runnerEnv)).toThrow(InputError)
  })

  it('a dry run sends nothing: it passes and renders the plan', async () => {
    const settings = parseSmokeSettings(
      inputsOf({ url: 'http://127.0.0.1:1/health', 'dry-run': 'true' }),
      runnerEnv
    )
    const result = await runSmokeTest(settings, { progress })
    expect(smokeOutputs(result)).toEqual({
      passed: true,
      failed: 0,
      'failed-checks': '',
      report: { dryRun: true, checks: [{ name: 'GET /health', url: 'http://127.0.0.1:1/health' }] }
    })
    const summary = new SummaryBuilder()
    renderSmokeSummary(result, summary)
    expect(summary.toString()).toContain('## Smoke test (dry run)')
  })
})
