/**
 * The contract between our workflows and what they call: every `with:` key of a step that uses
 * one of our actions is an input that action declares, every required input is given, every
 * call of one of our reusable workflows matches its `workflow_call` inputs and secrets, and
 * every output read from them is declared. An action that does not exist is a failure.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { contractFindings } from './checks.js'
import { allWorkflowFiles, loadWorkflow } from './workflows.js'

const files = allWorkflowFiles()

describe('workflow contracts', () => {
  it.each(files.map(f => [f.path, f] as const))(
    '%s matches the actions and workflows it calls',
    (_path, file) => {
      expect(contractFindings(file)).toEqual([])
    }
  )

  it('the templates and reusable workflows call our actions and workflows at all', () => {
    const uses = files.flatMap(f => f.text.match(/uses:\s*slipway-dev\/slipway\/\S+/g) ?? [])
    expect(uses.length).toBeGreaterThan(5)
  })
})

describe('the contract check fails when it should', () => {
  const check = (text: string) =>
    contractFindings(loadWorkflow('workflows-templates/bad.yml', text))

  it('reports an unknown with: key and a missing required input', () => {
    const findings = check(`on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: slipway-dev/slipway/actions/deploy-strategy@v1
        with:
          strategy: blue-green
          verison: v1.0.0
`)
    expect(findings).toEqual([
      expect.stringContaining(
        "input 'verison' is not declared by actions/deploy-strategy/action.yml"
      ),
      expect.stringContaining(
        "required input 'version' of actions/deploy-strategy/action.yml is missing"
      )
    ])
  })

  it('reports an input a pinned third-party action does not have', () => {
    const findings = check(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          fetch_depth: 0
`)
    expect(findings).toEqual([
      expect.stringContaining("input 'fetch_depth' is not declared by actions/checkout v4.2.2")
    ])
  })

  it('reports an action that does not exist, in either spelling', () => {
    const findings = check(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: ./actions/teleport
      - uses: slipway-dev/slipway/actions/teleport@v1
`)
    expect(findings).toEqual([
      expect.stringContaining('actions/teleport/action.yml does not exist'),
      expect.stringContaining('actions/teleport/action.yml does not exist')
    ])
  })

  it('reports an output the action does not have', () => {
    const findings = check(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - id: pf
        uses: slipway-dev/slipway/actions/preflight-check@v1
      - run: echo "$P"
        env:
          P: \${{ steps.pf.outputs.verdict }}
`)
    expect(findings).toEqual([
      expect.stringContaining(
        'steps.pf.outputs.verdict is not an output of actions/preflight-check/action.yml'
      )
    ])
  })

  it('reports a reusable workflow call with an unknown input, an unknown secret and a missing input', () => {
    const findings = check(`on: push
jobs:
  staging:
    uses: slipway-dev/slipway/.github/workflows/deploy.yml@v1
    with:
      enviroment: staging
    secrets:
      SSH_KEY: x
  after:
    needs: staging
    runs-on: ubuntu-latest
    steps:
      - run: echo "$V"
        env:
          V: \${{ needs.staging.outputs.deployed-version }}
`)
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          "input 'enviroment' is not declared by .github/workflows/deploy.yml"
        ),
        expect.stringContaining(
          "required input 'environment' of .github/workflows/deploy.yml is missing"
        ),
        expect.stringContaining(
          "required input 'version' of .github/workflows/deploy.yml is missing"
        ),
        expect.stringContaining("secret 'SSH_KEY' is not declared by .github/workflows/deploy.yml"),
        expect.stringContaining(
          'needs.staging.outputs.deployed-version is not an output of job staging'
        )
      ])
    )
    expect(findings).toHaveLength(5)
  })

  it('reports a workflow_call input or secret nothing uses', () => {
    const findings = check(`on:
  workflow_call:
    inputs:
      used-in-if: { type: boolean, default: true }
      used: { type: string, default: '' }
      forgotten: { type: string, default: '' }
    secrets:
      TOKEN: { required: false }
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - if: inputs.used-in-if
        run: echo "$U"
        env:
          U: \${{ inputs.used }}
`)
    expect(findings).toEqual([
      expect.stringContaining('inputs.forgotten is declared but never used'),
      expect.stringContaining('secrets.TOKEN is declared but never used')
    ])
  })

  it('reports a workflow_call output that reads an undeclared job output', () => {
    const findings = check(`on:
  workflow_call:
    outputs:
      id:
        value: \${{ jobs.deploy.outputs.id }}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: 'true'
`)
    expect(findings).toEqual([expect.stringContaining('reads jobs.deploy.outputs.id')])
  })
})

describe('the starter templates agree with each other', () => {
  const byPath = new Map(files.map(f => [f.path, f]))
  const HOOKS = [
    'provider',
    'prepare-command',
    'route-command',
    'health-command',
    'health-url',
    'retire-command',
    'current-command',
    'start-command',
    'stop-command',
    'nginx-upstream-file'
  ]
  const hooksOf = (job: { with?: Record<string, unknown> } | undefined) =>
    Object.fromEntries(HOOKS.filter(k => job?.with?.[k] !== undefined).map(k => [k, job!.with![k]]))

  it('rollback.yml redeploys through the same hooks pipeline.yml deploys with', () => {
    const pipeline = byPath.get('workflows-templates/pipeline.yml')!.doc.jobs ?? {}
    const rollback = byPath.get('workflows-templates/rollback.yml')!.doc.jobs ?? {}
    const deployJobs = Object.values(pipeline).filter(job => job.uses?.includes('deploy.yml'))
    expect(deployJobs.map(job => job.with?.environment)).toEqual([
      'staging',
      'preprod',
      'production'
    ])
    const rollbackHooks = hooksOf(Object.values(rollback)[0])
    expect(Object.keys(rollbackHooks).length).toBeGreaterThan(0)
    for (const job of deployJobs) expect(hooksOf(job)).toEqual(rollbackHooks)
  })
})

describe('the workflow examples in the docs', () => {
  const blocks = [
    'docs/workflows.md',
    'workflows-templates/README.md',
    'docs/guides/containers.md',
    'docs/guides/release-pr.md'
  ].flatMap(path =>
    [...readFileSync(join(repoRoot, path), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map(match => match[1])
      .filter(text => /^jobs:/m.test(text))
      .map((text, index) => [`${path} example ${index + 1}`, text] as const)
  )

  it('exist', () => {
    expect(blocks.length).toBeGreaterThan(0)
  })

  it.each(blocks)('%s matches the actions it uses', (name, text) => {
    expect(contractFindings(loadWorkflow(`docs/${name}.yml`, `on: push\n${text}`))).toEqual([])
  })
})

describe('deploy.yml rolls back through the provider it deployed with', () => {
  it('gives the rollback step the same value for every input it shares with the deploy step', () => {
    const job = Object.values(
      files.find(f => f.path === '.github/workflows/deploy.yml')!.doc.jobs ?? {}
    )[0]
    const step = (id: string) => (job.steps ?? []).find(s => s.id === id)!.with ?? {}
    const deploy = step('deploy')
    const rollback = step('rollback')
    const shared = Object.keys(rollback).filter(key => key in deploy)
    expect(shared).toEqual(
      expect.arrayContaining(['provider', 'targets', 'prepare-command', 'route-command'])
    )
    const differing = shared.filter(key => deploy[key] !== rollback[key])
    expect(differing).toEqual([])
  })
})
