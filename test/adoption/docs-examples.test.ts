import { describe, expect, test } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../helpers/run-bundle.js'

// Issue #16: a newcomer copies the examples. Every `uses:` of ours in them must name only
// inputs the action (or reusable workflow) declares, and a HAProxy config shown beside a
// deploy must name the backend the deploy manages.

/** The documents whose examples are checked (each a guide, a README or a starter). */
const DOCUMENTS = [
  'actions/rollback/README.md',
  'docs/routers.md',
  'docs/workflows.md',
  'docs/guides/vm-haproxy.md',
  'docs/guides/library-release.md',
  ...listed('workflows-templates', '.yml'),
  ...listed('examples/vm-haproxy', ''),
  ...listed('examples/library', '')
].filter(file => existsSync(join(repoRoot, file)))

function listed(dir: string, suffix: string): string[] {
  const full = join(repoRoot, dir)
  if (!existsSync(full)) return []
  return readdirSync(full, { recursive: true })
    .map(String)
    .filter(file => file.endsWith(suffix) && /\.(ya?ml|md)$/.test(file))
    .map(file => `${dir}/${file}`)
}

const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8')

/** A Markdown file's fenced code blocks, each with its language (empty when none). */
function fencedBlocks(text: string): { lang: string; body: string }[] {
  const blocks: { lang: string; body: string }[] = []
  let open: { lang: string; lines: string[] } | undefined
  for (const line of text.split('\n')) {
    const fence = /^\s*```(\S*)\s*$/.exec(line)
    if (fence && !open) open = { lang: fence[1], lines: [] }
    else if (fence && open) {
      blocks.push({ lang: open.lang, body: open.lines.join('\n') })
      open = undefined
    } else open?.lines.push(line)
  }
  return blocks
}

/** The YAML of a file: itself, or each ```yaml block of a Markdown file (dedented). */
function yamlDocuments(file: string): unknown[] {
  const texts = file.endsWith('.md')
    ? fencedBlocks(read(file))
        .filter(block => /^ya?ml$/.test(block.lang))
        .map(block => block.body)
    : [read(file)]
  const docs: unknown[] = []
  for (const text of texts) {
    const indent = Math.min(
      ...text
        .split('\n')
        .filter(line => line.trim())
        .map(line => line.length - line.trimStart().length)
    )
    const dedented = text
      .split('\n')
      .map(line => line.slice(indent))
      .join('\n')
    try {
      docs.push(parse(dedented))
    } catch {
      // a fragment that is not YAML on its own (`...` elisions): nothing to check in it
    }
  }
  return docs
}

interface Step {
  uses: string
  with?: Record<string, unknown>
}

function stepsIn(node: unknown, found: Step[] = []): Step[] {
  if (Array.isArray(node)) node.forEach(item => stepsIn(item, found))
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>
    if (typeof record.uses === 'string') found.push(record as unknown as Step)
    Object.values(record).forEach(value => stepsIn(value, found))
  }
  return found
}

/** What a `uses:` of ours declares: an action's inputs or a reusable workflow's. */
function declaredInputs(uses: string): string[] | undefined {
  const match = /^(?:OWNER|slipway-dev)\/slipway(?:\/(.+?))?@/.exec(uses)
  if (!match) return undefined
  const path = match[1] ?? ''
  const file = path.startsWith('.github/workflows/')
    ? path
    : join(path, existsSync(join(repoRoot, path, 'action.yml')) ? 'action.yml' : 'action.yaml')
  const yaml = parse(read(file)) as {
    inputs?: Record<string, unknown>
    on?: { workflow_call?: { inputs?: Record<string, unknown> } }
  }
  return Object.keys(
    path.startsWith('.github/workflows/')
      ? (yaml.on?.workflow_call?.inputs ?? {})
      : (yaml.inputs ?? {})
  )
}

describe('examples name only declared inputs', () => {
  test.each(DOCUMENTS)('%s', file => {
    const wrong: string[] = []
    for (const doc of yamlDocuments(file))
      for (const step of stepsIn(doc)) {
        const declared = declaredInputs(step.uses)
        if (!declared) continue
        for (const key of Object.keys(step.with ?? {}))
          if (!declared.includes(key)) wrong.push(`${step.uses}: ${key}`)
      }
    expect(wrong).toEqual([])
  })
})

describe('docs/routers.md', () => {
  test('its HAProxy config names the backend its deploy example manages', () => {
    const text = read('docs/routers.md')
    const deploy = parse(read('actions/deploy-strategy/action.yml')) as {
      inputs: Record<string, { default?: string }>
    }
    const managed = new Set<string>()
    for (const doc of yamlDocuments('docs/routers.md'))
      for (const step of stepsIn(doc))
        if (step.with?.router === 'haproxy')
          managed.add(
            String(step.with['haproxy-backend'] ?? deploy.inputs['haproxy-backend'].default)
          )
    expect(managed.size).toBeGreaterThan(0)
    // the HAProxy files shown: the code blocks without a language
    const configs = fencedBlocks(text)
      .filter(block => block.lang === '')
      .map(block => block.body)
      .join('\n')
    const named = [...configs.matchAll(/^\s*(?:default_backend|backend)\s+(\S+)/gm)].map(m => m[1])
    expect(named.length).toBeGreaterThan(0)
    expect([...new Set(named)]).toEqual([...managed])
  })
})
