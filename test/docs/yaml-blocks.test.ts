/**
 * Docs that work when copied: every YAML block of the README, the actions' READMEs and docs/
 * is what it claims to be. A workflow snippet gives our actions only inputs they declare and
 * passes the action's own input validation (as a dry run); a call of a reusable workflow gives
 * only declared inputs and secrets; a config snippet matches slipway.schema.json; a `with:`
 * shown alone names inputs of its action; anything else is listed below with a reason and
 * must at least parse.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { allYamlBlocks, classify, where, yamlBlocks, type YamlBlock } from './blocks.js'
import {
  configFindings,
  docsRunnerEnv,
  inputsFindings,
  placeholder,
  removeRunnerEnv,
  workflowFindings
} from './snippet-checks.js'

/**
 * A block named by its file and a line of its text, so an edit above it does not move it.
 * Each entry must name exactly one block.
 */
interface BlockRef {
  file: string
  contains: string
}

const refersTo = (ref: BlockRef, block: YamlBlock): boolean =>
  block.file === ref.file && block.text.includes(ref.contains)

/** Blocks that are neither Slipway workflows nor config, and why. They must parse as YAML. */
const NOT_SLIPWAY: Array<BlockRef & { why: string }> = [
  {
    file: 'docs/cli.md',
    contains: 'stage: deploy',
    why: 'a GitLab CI job running the CLI (GitLab, not GitHub Actions)'
  },
  {
    file: 'docs/monitoring.md',
    contains: 'name: slipway-deploys',
    why: 'Prometheus alerting rules; test/monitoring loads and fires them'
  }
]
const notSlipway = (block: YamlBlock): boolean => NOT_SLIPWAY.some(ref => refersTo(ref, block))

/** Pages outside actions/ whose `with:` fragments belong to one action. */
const FRAGMENT_ACTION: Record<string, string> = {
  'docs/migrations.md': 'deploy-strategy'
}

/**
 * Findings known in blocks this suite cannot fix from here, each with the part of the finding
 * expected and why. When the block is fixed, the test says to remove its entry.
 */
const KNOWN_FINDINGS: Array<BlockRef & { finding: string; why: string }> = [
  {
    file: 'docs/guides/kubernetes.md',
    contains: 'aws eks update-kubeconfig',
    finding: "Input 'kubeconfig'",
    why: 'the kubeconfig is written by the step before (aws eks update-kubeconfig), which a snippet check does not run'
  }
]

function fragmentAction(file: string): string | undefined {
  return /^actions\/([a-z0-9-]+)\/README\.md$/.exec(file)?.[1] ?? FRAGMENT_ACTION[file]
}

const runnerEnv = docsRunnerEnv()
afterAll(() => removeRunnerEnv(runnerEnv))

function findingsOf(block: YamlBlock): string[] {
  const classified = classify(block)
  switch (classified.kind) {
    case 'invalid':
      return [`${where(block)}: not valid YAML: ${classified.error}`]
    case 'workflow':
      return workflowFindings(block, classified.doc, runnerEnv)
    case 'config':
      return configFindings(block)
    case 'inputs': {
      const action = fragmentAction(block.file)
      if (action) return inputsFindings(block, classified.doc, action)
      if (notSlipway(block)) return []
      return [`${where(block)}: a mapping of inputs on a page that names no action`]
    }
    case 'action-metadata':
      return []
    case 'other':
      return notSlipway(block)
        ? []
        : [`${where(block)}: neither a workflow nor a config file, and not listed in NOT_SLIPWAY`]
  }
}

const blocks = allYamlBlocks()

describe('the YAML blocks of the docs', () => {
  it('are found in the README, the actions and docs/', () => {
    const files = new Set(blocks.map(block => block.file))
    expect(files).toContain('README.md')
    expect([...files].some(file => file.startsWith('actions/'))).toBe(true)
    expect([...files].some(file => file.startsWith('docs/guides/'))).toBe(true)
    expect(blocks.filter(block => classify(block).kind === 'workflow').length).toBeGreaterThan(30)
  })

  it.each(blocks.map(block => [where(block), block] as const))(
    '%s works when copied',
    (at, block) => {
      const findings = findingsOf(block)
      const known = KNOWN_FINDINGS.find(ref => refersTo(ref, block))
      if (!known) {
        expect(findings).toEqual([])
        return
      }
      const expected = findings.filter(finding => finding.includes(known.finding))
      if (expected.length === 0) {
        throw new Error(
          `${at} no longer has the known finding (${known.finding}): remove its entry`
        )
      }
      expect(findings.filter(finding => !finding.includes(known.finding))).toEqual([])
    }
  )

  it('lists each exception for exactly one block', () => {
    const listed = [...NOT_SLIPWAY, ...KNOWN_FINDINGS]
    const matches = listed.map(ref => [
      `${ref.file}: ${ref.contains}`,
      blocks.filter(block => refersTo(ref, block)).length
    ])
    expect(matches.filter(([, count]) => count !== 1)).toEqual([])
  })
})

describe('the docs check fails when it should', () => {
  const check = (text: string, file = 'docs/example.md') =>
    findingsOf(yamlBlocks(file, `Intro\n\n\`\`\`yaml\n${text}\`\`\`\n`)[0])

  it('finds blocks with their line, also inside a list item', () => {
    const found = yamlBlocks(
      'docs/x.md',
      'a\n\n1. step\n\n   ```yml\n   a: 1\n   ```\n\n```yaml\nb: 2\n```\n'
    )
    expect(found).toEqual([
      { file: 'docs/x.md', line: 6, text: 'a: 1' },
      { file: 'docs/x.md', line: 10, text: 'b: 2' }
    ])
  })

  it('reports an input the action does not declare, with file and line', () => {
    expect(
      check(`- uses: slipway-dev/slipway/actions/deploy-strategy@v1
  with:
    strategy: blue-green
    verison: v1.0.0
`)
    ).toEqual([
      "docs/example.md:4: job snippet step 1: input 'verison' is not declared by actions/deploy-strategy/action.yml"
    ])
  })

  it("runs the action's own validation on a complete step", () => {
    const findings = check(`jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: OWNER/slipway/actions/deploy-strategy@v1
        with:
          strategy: canary
          version: \${{ github.sha }}
          prepare-command: ./start.sh
          route-command: ./route.sh
`)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toContain('docs/example.md:4: job deploy step 1: actions/deploy-strategy')
    expect(findings[0]).toContain("Input 'health-check'")
  })

  it('validates the all-in-one action with its config file, and finds a bad value', () => {
    const step = (strategy: string) => `- uses: slipway-dev/slipway@v1
  with:
    version: \${{ github.ref_name }}
    config-file: slipway.yml
    strategy: ${strategy}
`
    expect(check(step('canary'))).toEqual([])
    const findings = check(step('blue-gren'))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toContain("Input 'strategy'")
  })

  it('checks only the keys of a step whose with: is elided', () => {
    expect(
      check(`- uses: slipway-dev/slipway/actions/deploy-strategy@v1
  with:
    backup-id: \${{ steps.backup.outputs.backup-id }}
    # …
`)
    ).toEqual([])
  })

  it('reports an unknown input or secret of a reusable workflow call', () => {
    const findings = check(`jobs:
  staging:
    uses: slipway-dev/slipway/.github/workflows/deploy.yml@v1
    with:
      enviroment: staging
    secrets:
      NOT_A_SECRET: x
`)
    expect(findings).toEqual([
      "docs/example.md:4: job staging: input 'enviroment' is not declared by .github/workflows/deploy.yml",
      "docs/example.md:4: job staging: secret 'NOT_A_SECRET' is not declared by .github/workflows/deploy.yml"
    ])
  })

  it('validates a config snippet against the schema', () => {
    expect(check('version: 1\ndefaults:\n  deploy:\n    strategy: canary\n')).toEqual([])
    const findings = check('version: 1\ndefaults:\n  deploy:\n    stratgy: canary\n')
    expect(findings).toHaveLength(1)
    expect(findings[0]).toContain("unknown key 'stratgy'")
  })

  it('checks a with: fragment against the action of its page', () => {
    expect(check('health-commnd: ./health.sh\n', 'actions/deploy-strategy/README.md')).toEqual([
      "actions/deploy-strategy/README.md:4: input 'health-commnd' is not declared by actions/deploy-strategy/action.yml"
    ])
  })

  it('reports invalid YAML and an unlisted block of another kind', () => {
    expect(check('a: [1\n')[0]).toContain('not valid YAML')
    expect(check('apiVersion: v1\nkind: Service\nmetadata: { name: x }\n')).toEqual([
      'docs/example.md:4: neither a workflow nor a config file, and not listed in NOT_SLIPWAY'
    ])
  })

  it('gives expressions values of the form the input takes', () => {
    expect(placeholder('version', '${{ github.sha }}')).toBe('v1.5.0')
    expect(placeholder('reason', 'rollback by ${{ github.actor }}')).toBe('rollback by octocat')
  })
})
