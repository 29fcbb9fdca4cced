/**
 * Every workflow file passes actionlint and GitHub's own workflow parser
 * (@actions/workflow-parser, with our reusable workflows resolved from this checkout, so a call
 * with an unknown or missing input or secret is an error here too).
 */
import { describe, expect, it } from '@jest/globals'
import { actionlint, type LintResult } from './actionlint.js'
import { allWorkflowFiles, parserErrors } from './workflows.js'

/**
 * actionlint 1.7.7 predates `environment.deployment` (GitHub's schema has it: "Whether to create
 * a deployment record for this environment"), which our deploy jobs set to false because we
 * record our own Deployments. This one message, on a `deployment: false` line, is not a finding;
 * the parser test below still validates that key against GitHub's schema.
 */
const STALE_SCHEMA =
  'unexpected key "deployment" for "environment" section. expected one of "name", "url"'

function realFindings(text: string, results: LintResult[]): LintResult[] {
  const lines = text.split('\n')
  return results.filter(
    r =>
      !(r.message === STALE_SCHEMA && /^\s*deployment:\s*false\s*$/.test(lines[r.line - 1] ?? ''))
  )
}

const files = allWorkflowFiles()

describe('workflow files', () => {
  it('include the reusable workflows and the templates', () => {
    const paths = files.map(f => f.path)
    for (const expected of [
      '.github/workflows/deploy.yml',
      '.github/workflows/rollback.yml',
      '.github/workflows/release.yml',
      'workflows-templates/pipeline.yml',
      'workflows-templates/rollback.yml',
      'workflows-templates/release.yml'
    ]) {
      expect(paths).toContain(expected)
    }
  })

  describe.each(files.map(f => [f.path, f] as const))('%s', (_path, file) => {
    it('has no actionlint finding', async () => {
      const findings = realFindings(file.text, await actionlint(file.text, file.path))
      expect(
        findings.map(f => `${file.path}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)
      ).toEqual([])
    })

    it("parses with GitHub's workflow parser without errors", async () => {
      expect(await parserErrors(file.path, file.text)).toEqual([])
    })
  })
})

describe('the linters catch mistakes', () => {
  const bad = `on:
  workflow_call:
    inputs:
      environment: { type: string, required: true }
permissions: {}
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions: {}
    environment:
      name: \${{ inputs.environment }}
      deploymnt: false
    steps:
      - run: echo "$V"
        env:
          V: \${{ inputs.versoin }}
`

  it('actionlint reports an undefined input and a misspelt key, even next to the allowance', async () => {
    const findings = realFindings(bad, await actionlint(bad, 'bad.yml'))
    const messages = findings.map(f => f.message).join('\n')
    expect(messages).toContain('versoin')
    expect(messages).toContain('deploymnt')
  })

  it('the parser reports a call with an unknown input and a missing required one', async () => {
    const caller = `on: push
permissions: {}
jobs:
  staging:
    permissions: { contents: read }
    uses: slipway-dev/slipway/.github/workflows/deploy.yml@v1
    with:
      enviroment: staging
`
    const errors = (await parserErrors('caller.yml', caller)).join('\n')
    expect(errors).toContain('enviroment is not defined in the referenced workflow')
    expect(errors).toMatch(/environment.*required|required.*environment/i)
  })
})
