/**
 * House rules for every workflow we ship: least-privilege permissions per job, third-party
 * actions pinned to a full commit SHA, one concurrency group per environment shared by deploy
 * and rollback, `deployment: false` where we record our own Deployments, no `secrets: inherit`,
 * and no `${{ }}` expanded inside a `run:` script (values travel through `env:`).
 */
import { describe, expect, it } from '@jest/globals'
import { houseRuleFindings } from './checks.js'
import { allWorkflowFiles, loadWorkflow, resolveUses, type Job } from './workflows.js'

const files = allWorkflowFiles()
const byPath = new Map(files.map(f => [f.path, f]))

describe('house rules', () => {
  it.each(files.map(f => [f.path, f] as const))('%s follows them', (_path, file) => {
    expect(houseRuleFindings(file)).toEqual([])
  })

  it('deploy.yml and rollback.yml hold the same per-environment lock and never cancel it', () => {
    const groups = ['.github/workflows/deploy.yml', '.github/workflows/rollback.yml'].map(path => {
      const jobs = Object.values(byPath.get(path)?.doc.jobs ?? {}) as Job[]
      return jobs.map(job => job.concurrency)
    })
    for (const jobs of groups) {
      expect(jobs).toEqual([
        { group: 'slipway-deploy-${{ inputs.environment }}', 'cancel-in-progress': false }
      ])
    }
  })

  it('deploy.yml runs the stages in the order of the procedure', () => {
    const deploy = byPath.get('.github/workflows/deploy.yml')!
    const [job] = Object.values(deploy.doc.jobs ?? {}) as Job[]
    const order = (job.steps ?? [])
      .map(step => (step.uses ? resolveUses(step.uses) : undefined))
      .map(r => (r?.kind === 'action' ? r.name : r?.kind === 'third-party' ? r.repo : undefined))
      .filter(Boolean)
    const stage = (name: string) => order.indexOf(name)
    expect(stage('actions/checkout')).toBe(0)
    expect(stage('preflight-check')).toBeGreaterThan(stage('actions/checkout'))
    expect(stage('backup')).toBeGreaterThan(stage('preflight-check'))
    expect(stage('deploy-strategy')).toBeGreaterThan(stage('backup'))
    expect(stage('smoke-test')).toBeGreaterThan(stage('deploy-strategy'))
  })
})

describe('each house rule can fail', () => {
  const check = (text: string, path = 'workflows-templates/bad.yml') =>
    houseRuleFindings(loadWorkflow(path, text))

  it('needs top-level permissions {} or contents: read and permissions on every job', () => {
    const findings = check(`on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make
  release:
    runs-on: ubuntu-latest
    permissions: write-all
    steps:
      - run: make release
`)
    expect(findings).toEqual([
      expect.stringContaining('top-level permissions must be {} or { contents: read }'),
      expect.stringContaining('job build: has no permissions'),
      expect.stringContaining('job release: permissions: write-all')
    ])
  })

  it('grants contents: write only to release jobs and deployments: write only to deploy jobs', () => {
    const findings = check(`on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: { contents: write, deployments: write }
    steps:
      - run: make
`)
    expect(findings).toEqual([
      expect.stringContaining('contents: write in a job that does not tag or release'),
      expect.stringContaining('deployments: write in a job that neither deploys nor rolls back')
    ])
  })

  it('lets a rollback write contents only when it marks the bad release', () => {
    const job = (markRelease: string) => `
    runs-on: ubuntu-latest
    permissions: { contents: write, deployments: write }
    environment: { name: production, deployment: false }
    concurrency: { group: slipway-deploy-production, cancel-in-progress: false }
    steps:
      - uses: slipway-dev/slipway/actions/rollback@v1
        with: { environment: production, mark-release: ${markRelease} }
`
    const findings = check(`on: workflow_dispatch
permissions: {}
jobs:
  marks:${job('true')}  quiet:${job('false')}`)
    expect(findings).toEqual([
      expect.stringContaining('job quiet: contents: write in a job that does not tag or release')
    ])
  })

  it('pins third-party actions to a SHA with a version comment, ours to @v1, never ./ in a template', () => {
    const findings = check(`on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4
      - uses: actions/cache@0123456789abcdef0123456789abcdef01234567 # v4.2.0
      - uses: slipway-dev/slipway/actions/smoke-test@main
      - uses: ./actions/smoke-test
`)
    expect(findings).toEqual([
      expect.stringContaining(
        'actions/checkout@v4 is not pinned to a full 40-character commit SHA'
      ),
      expect.stringContaining("has no '# v4.4.0' comment"),
      expect.stringContaining('is not a verified pin'),
      expect.stringContaining('should use our major tag @v1'),
      expect.stringContaining("would resolve against the caller's checkout")
    ])
  })

  it('refuses an expression expanded inside a run: script', () => {
    const findings = check(`on: workflow_dispatch
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - run: echo "deploying \${{ github.event.inputs.version }}"
`)
    expect(findings).toEqual([
      expect.stringContaining('run: expands ${{ github.event.inputs.version }} into the script')
    ])
  })

  it('makes a deploying job hold slipway-deploy-<environment> without cancelling, with deployment: false', () => {
    const findings = check(`on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: { deployments: write }
    environment: production
    concurrency: deploy-production
    steps:
      - uses: slipway-dev/slipway/actions/deploy-strategy@v1
  b:
    runs-on: ubuntu-latest
    permissions: { deployments: write }
    environment: { name: staging, deployment: false }
    concurrency: { group: slipway-deploy-staging, cancel-in-progress: true }
    steps:
      - uses: slipway-dev/slipway/actions/deploy-strategy@v1
`)
    expect(findings).toEqual([
      expect.stringContaining(
        'job a: runs deploy-strategy but its concurrency is not { group: slipway-deploy-production, cancel-in-progress: false }'
      ),
      expect.stringContaining('job a: runs deploy-strategy without environment.deployment: false'),
      expect.stringContaining('job b: runs deploy-strategy but its concurrency is not')
    ])
  })

  it('refuses secrets: inherit and a caller holding the lock the called workflow takes', () => {
    const findings = check(`on: push
permissions: {}
jobs:
  staging:
    permissions: { contents: read, deployments: write, actions: read }
    concurrency: slipway-deploy-staging
    uses: slipway-dev/slipway/.github/workflows/deploy.yml@v1
    with: { environment: staging, version: v1.0.0 }
    secrets: inherit
`)
    expect(findings).toEqual([
      expect.stringContaining('secrets: inherit'),
      expect.stringContaining('the run would wait on itself')
    ])
  })
})
