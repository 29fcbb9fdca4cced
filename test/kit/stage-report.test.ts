import { describe, expect, test } from '@jest/globals'
import { SummaryBuilder, UserError, reportStage, type OutputValue } from '@slipway/kit'

describe('reportStage', () => {
  const stage = {
    outputs: (result: { ok: boolean }) => ({ status: result.ok ? 'success' : 'failure' }),
    render: (result: { ok: boolean }, summary: SummaryBuilder) => {
      summary.heading(result.ok ? 'passed' : 'failed')
    },
    failure: (result: { ok: boolean }) =>
      result.ok ? undefined : new UserError('the gate did not pass', 'see the summary')
  }

  function context() {
    const outputs: Record<string, OutputValue> = {}
    return {
      outputs,
      summary: new SummaryBuilder(),
      setOutput: (n: string, v: OutputValue) => void (outputs[n] = v)
    }
  }

  test('a failed result still writes its outputs and summary before the failure is thrown', () => {
    const ctx = context()
    expect(() => reportStage(ctx, { ok: false }, stage)).toThrow('the gate did not pass')
    expect(ctx.outputs).toEqual({ status: 'failure' })
    expect(ctx.summary.toString()).toContain('failed')
  })

  test('a passing result throws nothing', () => {
    const ctx = context()
    reportStage(ctx, { ok: true }, stage)
    expect(ctx.outputs).toEqual({ status: 'success' })
    expect(ctx.summary.toString()).toContain('passed')
  })
})
