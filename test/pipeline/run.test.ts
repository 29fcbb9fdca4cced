import { describe, expect, test } from '@jest/globals'
import { InputError, SummaryBuilder } from '@slipway/kit'
import {
  gantt,
  parseStages,
  planStages,
  renderPipelineSummary,
  runPipeline,
  StageFailure,
  type AnyStage,
  type Plan
} from '@slipway/pipeline'

const all: Plan = {
  preflight: { run: true },
  backup: { run: true },
  deploy: { run: true },
  smoke: { run: true },
  release: { run: true }
}

function clock(): () => number {
  let t = 1_700_000_000_000
  return () => (t += 100)
}

describe('runPipeline', () => {
  test('runs the stages in order and passes what earlier stages produced', async () => {
    const seen: string[] = []
    const result = await runPipeline({
      plan: { ...all, backup: { run: false, reason: 'not configured' } },
      runStage: async (stage, done) => {
        seen.push(
          `${stage}${done.deploy ? `(deploy:${done.deploy.outputs['deployment-id']})` : ''}`
        )
        const outputs: Record<string, string> = stage === 'deploy' ? { 'deployment-id': '7' } : {}
        return { outputs, summary: '' }
      },
      shouldRollBack: () => true,
      now: clock()
    })
    expect(seen).toEqual(['preflight', 'deploy', 'smoke(deploy:7)', 'release(deploy:7)'])
    expect(result.status).toBe('success')
    expect(result.runs.map(r => `${r.stage}:${r.status}`)).toEqual([
      'preflight:success',
      'backup:skipped',
      'deploy:success',
      'smoke:success',
      'release:success'
    ])
    expect(result.runs[1].detail).toBe('not configured')
  })

  test('a failed smoke stage stops the pipeline and runs the rollback', async () => {
    const ran: AnyStage[] = []
    const result = await runPipeline({
      plan: all,
      runStage: async stage => {
        ran.push(stage)
        if (stage === 'smoke')
          throw new StageFailure('500 on /', { outputs: { passed: 'false' }, summary: '## smoke' })
        const outputs: Record<string, string> =
          stage === 'rollback' ? { 'rolled-back-to': 'v1' } : {}
        return { outputs, summary: '' }
      },
      shouldRollBack: () => true,
      now: clock()
    })
    expect(ran).toEqual(['preflight', 'backup', 'deploy', 'smoke', 'rollback'])
    expect(result.status).toBe('rolled-back')
    expect(result.failed).toMatchObject({ stage: 'smoke', error: '500 on /', summary: '## smoke' })
    expect(result.runs.find(r => r.stage === 'release')).toMatchObject({
      status: 'skipped',
      detail: 'not run: smoke failed'
    })
    const summary = new SummaryBuilder()
    renderPipelineSummary(summary, result, {
      environment: 'prod',
      version: 'v2',
      previousVersion: 'v1',
      dryRun: false,
      links: [{ label: 'Release', url: undefined }]
    })
    const text = summary.toString()
    expect(text).toContain('↩️ v2 rolled back in prod: smoke failed, v1 is live again')
    expect(text).toContain('| smoke | ❌ failure |')
    expect(gantt(result)).toMatch(/smoke 100ms :crit, done, s3, \d+, \d+/)
    expect(gantt(result)).not.toContain('release')
  })

  test('a failed preflight does not roll back; a refused rollback is reported', async () => {
    const preflight = await runPipeline({
      plan: all,
      runStage: async stage => {
        if (stage === 'preflight') throw new Error('tls expires in 3 days')
        return { outputs: {}, summary: '' }
      },
      shouldRollBack: () => true
    })
    expect(preflight.status).toBe('failed')
    expect(preflight.rollback).toBeUndefined()
    const refused = await runPipeline({
      plan: all,
      runStage: async stage => {
        if (stage === 'deploy') throw new Error('health gate failed')
        return { outputs: {}, summary: '' }
      },
      shouldRollBack: () => 'deploy failed before a deployment was recorded'
    })
    expect(refused.status).toBe('failed')
    expect(refused.rollback).toMatchObject({
      status: 'skipped',
      detail: 'deploy failed before a deployment was recorded'
    })
  })
})

describe('stages', () => {
  test('parseStages and planStages', () => {
    expect(parseStages([])).toEqual({
      stages: ['preflight', 'backup', 'deploy', 'smoke', 'release'],
      explicit: false
    })
    expect(parseStages(['deploy', 'smoke']).explicit).toBe(true)
    expect(() => parseStages(['deploy', 'bogus'])).toThrow(InputError)
    expect(() => parseStages(['deploy', 'bogus'])).toThrow(/'stages'/)
    const plan = planStages(parseStages([]), stage => ({
      disabled: stage === 'preflight',
      configured: stage !== 'backup'
    }))
    expect(plan.preflight).toEqual({ run: false, reason: 'enabled: false in the config file' })
    expect(plan.backup).toEqual({ run: false, reason: 'not configured' })
    expect(plan.deploy.run).toBe(true)
    const explicit = planStages(parseStages(['backup']), () => ({
      disabled: false,
      configured: false
    }))
    expect(explicit.backup.run).toBe(true)
    expect(explicit.deploy).toEqual({ run: false, reason: 'not in stages' })
  })
})
