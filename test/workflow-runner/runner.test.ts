/**
 * The runner itself, on small fixture workflows: what it runs, and that each mistake the suite
 * relies on it to catch fails the run (an undeclared `with:` key, an expression that does not
 * evaluate, a failing step, an `if:` that skips).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { failedSteps, results, startHarness, type Harness } from './harness.js'

let h: Harness

beforeAll(async () => {
  h = await startHarness({
    vars: { GREETING: 'hello' },
    secrets: { TOKEN: 'repo-secret-value' },
    environments: {
      staging: { vars: { URL: 'http://staging.test' }, secrets: { TOKEN: 'env-secret' } }
    }
  })
  h.repository.write({ 'README.md': 'fixture\n', 'data/a.txt': 'artifact body\n' })
  h.repository.commit('feat: first')
})

afterAll(async () => {
  await h?.close()
})

const graph = `name: graph
on:
  push:
  workflow_dispatch:
    inputs:
      flag: { type: boolean, default: false }
permissions: {}
env:
  TOP: top-level
jobs:
  first:
    runs-on: ubuntu-latest
    outputs:
      word: \${{ steps.say.outputs.word }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          persist-credentials: false
      - id: say
        run: |
          test "$(cat README.md)" = fixture
          test "$(git rev-parse HEAD)" = "$GITHUB_SHA"
          echo "word=from-first" >> "$GITHUB_OUTPUT"
          echo "LATER=set-by-env-file" >> "$GITHUB_ENV"
      - run: test "$LATER" = set-by-env-file && test "$TOP" = top-level
      - id: skipped
        if: inputs.flag
        run: exit 1
      - uses: actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02
        with:
          name: data
          path: data/
          if-no-files-found: error
  second:
    needs: first
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - uses: actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093
        with:
          name: data
          path: got
      - env:
          WORD: \${{ needs.first.outputs.word }}
          URL: \${{ vars.URL }}
          GREETING: \${{ vars.GREETING }}
          TOKEN: \${{ secrets.TOKEN }}
        run: |
          test "$WORD" = from-first
          test "$URL" = http://staging.test
          test "$GREETING" = hello
          test "$TOKEN" = env-secret
          test "$(cat got/a.txt)" = "artifact body"
          echo "printed $TOKEN"
`

describe('a workflow that works', () => {
  it('runs jobs in needs order with outputs, GITHUB_ENV, if:, artifacts, vars, secrets and environments', async () => {
    const run = await h.run({ workflow: 'graph.yml', text: graph, event: 'push' })
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({ first: 'success', second: 'success' })
    expect(run.conclusion).toBe('success')
    expect(run.jobs.first.outputs).toEqual({ word: 'from-first' })
    expect(run.jobs.first.steps.find(s => s.id === 'skipped')?.outcome).toBe('skipped')
    expect(run.approvals).toEqual([{ job: 'second', environment: 'staging' }])
    expect(run.artifacts.map(a => a.name)).toEqual(['data'])
    // a secret printed by a step is masked in the record
    const log = run.jobs.second.steps[1].log
    expect(log).toContain('printed ***')
    expect(log).not.toContain('env-secret')
    // the run is registered with GitHub and completed
    const registered = h.github.state.workflowRuns.find(r => r.id === run.runId)
    expect(registered).toMatchObject({ status: 'completed', conclusion: 'success' })
  })

  it('runs the step that if: skipped when the input asks for it (and it fails the run)', async () => {
    const run = await h.run({
      workflow: 'graph.yml',
      text: graph,
      event: 'workflow_dispatch',
      inputs: { flag: true }
    })
    expect(run.jobs.first.steps.find(s => s.id === 'skipped')?.outcome).toBe('failure')
    expect(results(run)).toEqual({ first: 'failure', second: 'skipped' })
    expect(run.conclusion).toBe('failure')
  })

  it('runs our action as its bundle with the defaults of its action.yml', async () => {
    const text = `on: push
permissions: {}
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          fetch-depth: 0
      - id: next
        uses: slipway-dev/slipway/actions/tag-and-release@v1
        with:
          dry-run: true
`
    const run = await h.run({ workflow: 'preview.yml', text, event: 'push' })
    expect(failedSteps(run)).toEqual([])
    // github-token defaults to github.token, which the emulator accepts; a dry run tags nothing
    expect(run.jobs.preview.outputs).toEqual({})
    expect(run.jobs.preview.steps[1].outputs.tag).toBe('v0.1.0')
    expect(Object.keys(h.github.state.refs).filter(r => r.startsWith('refs/tags/'))).toEqual([])
  })
})

describe('a reusable workflow call', () => {
  const caller = (extra = '') => `on: push
permissions: {}
jobs:
  staging:
    uses: slipway-dev/slipway/.github/workflows/deploy.yml@v1
    permissions: { contents: read, deployments: write, actions: read }
    with:
      environment: staging
      version: v9.9.9
      dry-run: true
      prepare-command: ./deploy/prepare.sh
      route-command: ./deploy/route.sh
      health-command: ./deploy/health.sh${extra}
    secrets:
      DEPLOY_TOKEN: \${{ secrets.TOKEN }}
  after:
    needs: staging
    runs-on: ubuntu-latest
    steps:
      - env:
          VERSION: \${{ needs.staging.outputs.version }}
        run: test "$VERSION" = v9.9.9
`

  it('runs the called jobs with the inputs, secrets and Environment, and returns its outputs', async () => {
    const run = await h.run({ workflow: 'caller.yml', text: caller(), event: 'push' })
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({
      'staging/deploy': 'success',
      staging: 'success',
      after: 'success'
    })
    expect(run.approvals).toEqual([{ job: 'staging/deploy', environment: 'staging' }])
    const steps = Object.fromEntries(
      run.jobs['staging/deploy'].steps.map(s => [s.id ?? s.name, s.outcome])
    )
    // no artifact, no database, no smoke URL: those steps are skipped by their if:
    expect(steps).toMatchObject({
      'Download the build artifact': 'skipped',
      preflight: 'success',
      backup: 'skipped',
      deploy: 'success',
      smoke: 'skipped',
      rollback: 'skipped'
    })
    expect(run.jobs.staging.outputs.version).toBe('v9.9.9')
    // a dry run records nothing
    expect(h.github.state.deployments).toEqual([])
  })

  it('refuses an input the called workflow does not declare', async () => {
    await expect(
      h.run({
        workflow: 'caller.yml',
        text: caller('\n      strategy-typo: canary'),
        event: 'push'
      })
    ).rejects.toThrow(/strategy-typo/)
  })
})

describe('what fails a run', () => {
  const oneStep = (step: string, on = 'push') => `on: ${on}
permissions: {}
jobs:
  only:
    runs-on: ubuntu-latest
    steps:
${step}
`

  it('a with: key the action does not declare', async () => {
    const text = oneStep(`      - uses: slipway-dev/slipway/actions/smoke-test@v1
        with:
          url: http://127.0.0.1:9/
          expect-stauts: 200`)
    await expect(h.run({ workflow: 'bad.yml', text, event: 'push' })).rejects.toThrow(
      /with: expect-stauts not declared by the action/
    )
  })

  it('a with: key a local equivalent does not declare', async () => {
    const text = oneStep(`      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
          fetch-dept: 0`)
    await expect(h.run({ workflow: 'bad.yml', text, event: 'push' })).rejects.toThrow(
      /fetch-dept not declared/
    )
  })

  it('an expression that does not evaluate', async () => {
    const text = oneStep(`      - run: echo "\${{ fromJSON('not json') }}"`)
    await expect(h.run({ workflow: 'bad.yml', text, event: 'push' })).rejects.toThrow(
      /does not evaluate/
    )
  })

  it('a reference GitHub would read as null: an undeclared input, an unknown step', async () => {
    const input = oneStep(
      `      - run: echo "\${{ inputs.versoin }}"`,
      `
  workflow_dispatch:
    inputs:
      version: { type: string, default: '' }`
    )
    await expect(
      h.run({ workflow: 'bad.yml', text: input, event: 'workflow_dispatch' })
    ).rejects.toThrow(/inputs\.versoin, which is not defined here/)
    const step = oneStep(`      - id: a
        run: echo "word=x" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.b.outputs.word }}"`)
    await expect(h.run({ workflow: 'bad.yml', text: step, event: 'push' })).rejects.toThrow(
      /steps\.b, which is not defined here/
    )
  })

  it('a failing step: its job fails, the next steps are skipped unless failure() or always()', async () => {
    const text = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: broken
        run: exit 3
      - id: after
        run: echo never
      - id: on-failure
        if: failure()
        run: echo "outcome=\${{ steps.broken.outcome }}" >> "$GITHUB_OUTPUT"
      - id: always
        if: always()
        run: echo ran
  later:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  cleanup:
    needs: build
    if: failure()
    runs-on: ubuntu-latest
    steps:
      - run: echo "cleaning up after \${{ needs.build.result }}"
`
    const run = await h.run({ workflow: 'fails.yml', text, event: 'push' })
    expect(run.conclusion).toBe('failure')
    expect(results(run)).toEqual({ build: 'failure', later: 'skipped', cleanup: 'success' })
    const steps = Object.fromEntries(run.jobs.build.steps.map(s => [s.id, s.outcome]))
    expect(steps).toEqual({
      broken: 'failure',
      after: 'skipped',
      'on-failure': 'success',
      always: 'success'
    })
    expect(run.jobs.build.steps[2].outputs.outcome).toBe('failure')
    expect(failedSteps(run)).toEqual(['build: exit 3: Process completed with exit code 3.'])
  })

  it('an action the suite has no local equivalent for', async () => {
    const text = oneStep(`      - uses: actions/cache@v4
        with:
          path: x
          key: y`)
    await expect(h.run({ workflow: 'bad.yml', text, event: 'push' })).rejects.toThrow(
      /no local equivalent/
    )
  })

  it('a file GitHub would not accept', async () => {
    const text = `on: push
jobs:
  only:
    steps:
      - run: echo no runs-on
`
    await expect(h.run({ workflow: 'bad.yml', text, event: 'push' })).rejects.toThrow(
      /does not parse/
    )
  })
})
