/**
 * The starter pipeline (workflows-templates/pipeline.yml) run as GitHub would run it, through
 * our reusable deploy workflow to three Environments on this machine, then the manual rollback
 * (workflows-templates/rollback.yml through .github/workflows/rollback.yml).
 *
 * One story, in order: a good push goes to production and is released; a second good push
 * too; a broken push passes staging's health gate, fails its smoke test, and the deploy job's
 * rollback step returns staging to the previous build; then someone rolls production back by
 * hand with workflow_dispatch.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { appFiles, startDeployFixture, type DeployFixture } from './deploy-fixture.js'
import { failedSteps, results, startHarness, type Harness } from './harness.js'
import type { RunRecord } from './types.js'

const ENVIRONMENTS = ['staging', 'preprod', 'production']
let fixture: DeployFixture
let h: Harness

beforeAll(async () => {
  fixture = await startDeployFixture(ENVIRONMENTS)
  h = await startHarness({
    environments: fixture.environments,
    machineEnv: fixture.machineEnv,
    secrets: { DEPLOY_TOKEN: 'deploy-token-value' }
  })
}, 60_000)

afterAll(async () => {
  await fixture?.stop()
  await h?.close()
})

const PIPELINE = 'workflows-templates/pipeline.yml'
const pipeline = (text?: string) => h.run({ workflow: PIPELINE, text, event: 'push' })

/**
 * The template with `smoke-timeout: 5s` added to the staging call: a failing smoke check is
 * retried until its timeout, and the default (2m) would be most of this folder's time budget.
 */
function withShortSmokeTimeout(): string {
  const text = readFileSync(join(repoRoot, PIPELINE), 'utf8')
  const staging = /(\n {2}staging:\n[\s\S]*?\n {4}with:\n)/
  if (!staging.test(text)) throw new Error(`${PIPELINE}: no staging call with with:`)
  return text.replace(staging, '$1      smoke-timeout: 5s\n')
}

/**
 * What the job's summary page shows: every step's summary, in step order. Our reusable workflows
 * give it one section with one verdict on top — the report — and fold each stage's own
 * section below it.
 */
function jobSummary(run: RunRecord, job: string): { writers: string[]; text: string } {
  const steps = run.jobs[job].steps.filter(step => step.summary.trim() !== '')
  return { writers: steps.map(step => step.name), text: steps.map(s => s.summary).join('') }
}

const deployedTo = (environment: string) =>
  h.github.state.deployments.filter(d => d.environment === environment)

describe('workflows-templates/pipeline.yml', () => {
  it('takes a good push through staging, preprod and production, then releases it', async () => {
    h.repository.write(appFiles('one'))
    h.repository.commit('feat: the first version of the app')
    const run = await pipeline()
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({
      build: 'success',
      'release-candidate': 'success',
      'staging/deploy': 'success',
      staging: 'success',
      'preprod/deploy': 'success',
      preprod: 'success',
      'production/deploy': 'success',
      production: 'success',
      release: 'success'
    })
    expect(run.approvals).toEqual([
      { job: 'staging/deploy', environment: 'staging' },
      { job: 'preprod/deploy', environment: 'preprod' },
      { job: 'production/deploy', environment: 'production' }
    ])
    // every Environment serves the build, each deployed as the release candidate's tag
    for (const environment of ENVIRONMENTS) {
      expect(await fixture.probe(environment)).toEqual({ status: 200, build: 'one' })
      expect(deployedTo(environment).map(d => d.ref)).toEqual(['v0.1.0-rc.1'])
    }
    expect(run.jobs.staging.outputs).toMatchObject({
      version: 'v0.1.0-rc.1',
      'smoke-passed': 'true'
    })
    const releases = h.github.state.releases.map(r => `${r.tag_name}:${r.prerelease}`)
    expect(releases).toEqual(['v0.1.0-rc.1:true', 'v0.1.0:false'])
    const final = h.github.state.releases[1].id as number
    expect(h.github.state.assets(final).map(a => a.name)).toContain('app.tar.gz')

    const summary = jobSummary(run, 'production/deploy')
    expect(summary.writers).toEqual(['Deployment report'])
    const [heading, verdict] = summary.text.split('\n\n')
    expect(heading).toBe('## Deployment report: production')
    expect(verdict).toMatch(/^(✅ )?\*\*success\*\*/)
    // the stages' own sections, each folded under the report, in the order they ran
    const folded = [...summary.text.matchAll(/<details><summary>(.*?)<\/summary>/g)].map(m => m[1])
    expect(folded).toEqual([
      'Preflight checks',
      '✅ deploy-strategy: canary v0.1.0-rc.1 → production',
      'Smoke test passed ✅'
    ])
  }, 300_000)

  it('runs the rollback step when the smoke test fails, and stops the pipeline at staging', async () => {
    h.repository.write(appFiles('two', true))
    h.repository.commit('fix: the second version, which breaks /health')
    const run = await pipeline(withShortSmokeTimeout())
    expect(results(run)).toEqual({
      build: 'success',
      'release-candidate': 'success',
      'staging/deploy': 'failure',
      staging: 'failure',
      preprod: 'skipped',
      production: 'skipped',
      release: 'skipped'
    })
    expect(run.conclusion).toBe('failure')
    const steps = Object.fromEntries(
      run.jobs['staging/deploy'].steps.map(s => [s.id ?? s.name, s.outcome])
    )
    expect({ steps, failed: failedSteps(run) }).toMatchObject({
      steps: {
        preflight: 'success',
        deploy: 'success',
        smoke: 'failure',
        rollback: 'success',
        verify: 'success'
      },
      failed: [expect.stringMatching(/^staging\/deploy: Smoke test: /)]
    })
    expect(run.jobs.staging.outputs).toMatchObject({
      'rolled-back': 'true',
      'rolled-back-to': 'v0.1.0-rc.1',
      'smoke-passed': 'false'
    })
    // current.sh says which slot is live, so the rollback routes back to the warm slot
    // instead of redeploying
    const rollbackStep = run.jobs['staging/deploy'].steps.find(s => s.id === 'rollback')
    expect(rollbackStep?.outputs.mode).toBe('route-back')
    expect(await fixture.probe('staging', '/health')).toEqual({ status: 200, build: 'one' })
    // one verdict on top of the job's summary; the failed smoke test is among the folded sections
    const summary = jobSummary(run, 'staging/deploy')
    expect(summary.writers).toEqual(['Deployment report'])
    expect(summary.text.split('\n\n').slice(0, 2)).toEqual([
      '## Deployment report: staging',
      expect.stringMatching(/^❌ \*\*rolled-back\*\*/)
    ])
    // each stage's section folded below it, in the order the steps ran (the failed smoke test's
    // response bodies are a fold of its own section)
    expect(
      [...summary.text.matchAll(/<details><summary>(.*?)<\/summary>/g)].map(m => m[1])
    ).toEqual([
      'Preflight checks',
      '✅ deploy-strategy: blue-green v0.1.1-rc.1 → staging',
      'Smoke test failed ❌',
      'Response bodies of failed checks',
      '✅ rollback: staging v0.1.1-rc.1 → v0.1.0-rc.1',
      'Smoke test passed ✅'
    ])
    // production never saw it
    expect(await fixture.probe('production')).toEqual({ status: 200, build: 'one' })
    expect(deployedTo('production').map(d => d.ref)).toEqual(['v0.1.0-rc.1'])
  }, 300_000)

  it('takes the repaired push to production', async () => {
    h.repository.write(appFiles('three'))
    h.repository.commit('fix: the third version repairs /health')
    const run = await pipeline()
    expect(failedSteps(run)).toEqual([])
    expect(run.conclusion).toBe('success')
    expect(await fixture.probe('production', '/health')).toEqual({ status: 200, build: 'three' })
    expect(deployedTo('production').map(d => d.ref)).toEqual(['v0.1.0-rc.1', 'v0.1.1-rc.2'])
  }, 300_000)
})

describe('workflows-templates/rollback.yml', () => {
  it('rolls production back by hand to the last good version, after the approval', async () => {
    const run = await h.run({
      workflow: 'workflows-templates/rollback.yml',
      event: 'workflow_dispatch',
      inputs: { environment: 'production', reason: 'customers report errors' }
    })
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({ 'rollback/rollback': 'success', rollback: 'success' })
    expect(run.approvals).toEqual([{ job: 'rollback/rollback', environment: 'production' }])
    expect(run.jobs.rollback.outputs).toMatchObject({
      version: 'v0.1.0-rc.1',
      'rolled-back-from': 'v0.1.1-rc.2',
      'smoke-passed': 'true',
      mode: 'route-back'
    })
    expect(await fixture.probe('production', '/health')).toEqual({ status: 200, build: 'one' })
    // the rollback is recorded as a Deployment of the version it returned to
    const last = deployedTo('production').at(-1)!
    expect(last.ref).toBe('v0.1.0-rc.1')
    expect(h.github.state.deploymentStatuses(last.id as number)[0].state).toBe('success')
    // rollback.yml's job too: one summary, the report first, the steps' sections folded below
    const summary = jobSummary(run, 'rollback/rollback')
    expect(summary.writers).toEqual(['Rollback report'])
    expect(summary.text.startsWith('## Deployment report: production\n\n')).toBe(true)
    expect(summary.text).toMatch(
      /^## Deployment report: production\n\n[^\n]*\*\*rollback succeeded\*\*/
    )
    expect(summary.text).not.toMatch(/❌/)
    expect(
      [...summary.text.matchAll(/<details><summary>(.*?)<\/summary>/g)].map(m => m[1])
    ).toEqual([
      expect.stringMatching(/^✅ rollback: production v0\.1\.1-rc\.2 → v0\.1\.0-rc\.1/),
      'Smoke test passed ✅'
    ])
  }, 300_000)
})
