import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { seedHistory, STEP_MS } from './history-fixture.js'

let gh: Emulator
beforeAll(async () => {
  gh = await startEmulator()
  // 60 deployments over the last 40 hours (2 failed closed, 1 rolled back); the 5 older ones
  // are more than 3 days old, outside the 3-day window.
  const start = Math.floor((Date.now() - 60 * STEP_MS) / 1000) * 1000
  seedHistory(gh, { startMs: start, count: 60, older: 5 })
})
afterAll(async () => {
  await gh.close()
})

const env = () => ({
  GITHUB_API_URL: gh.url,
  GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
  SLIPWAY_GITHUB_WRITE_INTERVAL_MS: '0'
})

describe('report action bundle', () => {
  test('summary with stages, gantt and figures; outputs and JSON file', async () => {
    const before = gh.requests.length
    const run = await runBundle('report', {
      env: env(),
      inputs: {
        token: gh.token,
        environment: 'production',
        window: '3d',
        version: '1.59.0',
        'previous-version': '1.58.0',
        strategy: 'canary',
        status: 'success',
        'environment-url': 'https://app.example.com',
        stages:
          '[{name: preflight, status: success, started: 1767261600000, duration: 12s}, {name: deploy, status: success, duration: 4m}, {name: smoke, status: failure, duration: 20s}]',
        timeline: JSON.stringify([
          { atMs: 0, step: 'prepare', detail: 'green', ok: true },
          { atMs: 30_000, step: 'shift', detail: '5%', ok: true },
          { atMs: 90_000, step: 'shift', detail: '100%', ok: true }
        ]),
        links: 'Release=https://github.com/octo/app/releases/tag/v1.59.0',
        'report-file': 'reports/slipway.json'
      }
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.summary).toContain('## Deployment report: production')
    expect(run.summary).toContain('```mermaid\ngantt')
    expect(run.summary).toContain('preflight :done, s0, 1767261600000, 1767261612000')
    expect(run.summary).toContain('smoke :crit')
    expect(run.summary).toContain('section Strategy')
    expect(run.summary).toMatch(/\| Deployment success rate \| 96\.61% \| ≥ 99% \| ❌ fail \|/)
    expect(run.summary).toContain('[Release](https://github.com/octo/app/releases/tag/v1.59.0)')
    expect(run.summary).toContain('[Workflow run](https://github.com/octo/app/actions/runs/1001)')
    expect(run.summary).toContain(
      '[production deployments](https://github.com/octo/app/deployments/production)'
    )
    // 59 completed: 2 failed closed (7, 57); 1 rollback (of 23), succeeded.
    expect(run.outputs['success-rate']).toBe(String(Math.round((57 / 59) * 10000) / 100))
    expect(run.outputs['rollback-success-rate']).toBe('100')
    expect(run.outputs['targets-met']).toBe('false')
    expect(run.outputs['missed-targets']).toBe('Deployment success rate')
    expect(run.annotations.warnings.join('\n')).toContain('Missed targets: Deployment success rate')
    // 61 deployments in the window with their statuses: one GraphQL query.
    expect(run.outputs['api-calls']).toBe('1')
    expect(gh.requests.slice(before).map(r => r.route)).toEqual(['POST /graphql'])
    expect(run.summary).toContain('read with GraphQL: 1 API call (1 GraphQL query)')
    const report = JSON.parse(run.outputs.report)
    expect(report.quality.figures.p90DeployTime.value).toBe(9 * 60_000)
    expect(report.run.totalMs).toBe(12_000 + 240_000 + 20_000)
    const file = run.outputs['report-file']
    expect(file).toBe(join(run.workspace, 'reports/slipway.json'))
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(report)
  })

  test('fail-on-target fails the step; the token never appears', async () => {
    const run = await runBundle('report', {
      env: env(),
      inputs: {
        token: gh.token,
        window: '30d',
        'fail-on-target': true,
        'report-file': 'out/r.json'
      }
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toContain('report failed: Missed targets')
    expect(existsSync(join(run.workspace, 'out/r.json'))).toBe(true)
    const log = run.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    expect(log.join('\n') + run.summary).not.toContain(gh.token)
    expect(run.stdout).toContain(`::add-mask::${gh.token}`)
  })

  test('dry run and quality: false make no API call', async () => {
    const before = gh.requests.length
    const dry = await runBundle('report', {
      env: env(),
      inputs: { 'dry-run': true, token: gh.token }
    })
    expect(dry.exitCode).toBe(0)
    expect(dry.summary).toContain('Dry run: would read the production history of the last 30d')
    const runOnly = await runBundle('report', {
      env: { ...env(), GITHUB_REPOSITORY: undefined },
      inputs: { quality: false, version: '2.0.0' }
    })
    expect(runOnly.exitCode).toBe(0)
    expect(runOnly.summary).toContain('**Version** `2.0.0`')
    expect(runOnly.summary).not.toContain('Quality over')
    expect(gh.requests.length).toBe(before)
  })

  test.each([
    [{ window: 'forever' }, 'window'],
    [{ 'target-success-rate': '120' }, 'target-success-rate'],
    [{ stages: '[{name: x, duration: soon}]' }, 'stages.x.duration'],
    [{ timeline: '{"not": "a list"}' }, 'timeline'],
    [{ links: 'nourl' }, 'links'],
    [{ 'max-deployments': '0' }, 'max-deployments']
  ])('bad input %j names %s, exit 1, no API call', async (inputs, name) => {
    const before = gh.requests.length
    const run = await runBundle('report', { env: env(), inputs: { token: gh.token, ...inputs } })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toContain(`Input '${name}'`)
    expect(gh.requests.length).toBe(before)
  })
})
