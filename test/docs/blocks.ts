/**
 * Finds the YAML examples in our Markdown and says what each one is, so the docs test can
 * check each kind against what it claims to be used with. Kept free of jest: plain functions
 * the test runs over the real files and over small bad examples.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../helpers/run-bundle.js'
import type { Mapping, Step, Workflow } from '../workflows/workflows.js'

export interface YamlBlock {
  /** Path relative to the repository root. */
  file: string
  /** The 1-based line of the block's first content line (the one after the fence). */
  line: number
  /** The block's text with the fence's indentation removed. */
  text: string
}

export type Classified =
  | { kind: 'workflow'; doc: Workflow }
  | { kind: 'config'; doc: Mapping }
  | { kind: 'action-metadata'; doc: Mapping }
  | { kind: 'inputs'; doc: Mapping }
  | { kind: 'other'; doc: unknown }
  | { kind: 'invalid'; error: string }

/** The Markdown files users copy from: the README, each action's README and everything in docs/. */
export function docFiles(): string[] {
  const actions = readdirSync(join(repoRoot, 'actions'))
    .map(name => `actions/${name}/README.md`)
    .filter(path => existsSync(join(repoRoot, path)))
  return ['README.md', ...actions.sort(), ...markdownUnder('docs')]
}

function markdownUnder(dir: string): string[] {
  return readdirSync(join(repoRoot, dir))
    .sort()
    .flatMap(name => {
      const path = `${dir}/${name}`
      if (statSync(join(repoRoot, path)).isDirectory()) return markdownUnder(path)
      return name.endsWith('.md') ? [path] : []
    })
}

/**
 * Every ```yaml / ```yml block of a Markdown text. A block inside a list item is indented like
 * its fence; that indentation is removed so the text parses as the reader will paste it.
 */
export function yamlBlocks(file: string, markdown: string): YamlBlock[] {
  const lines = markdown.split('\n')
  const blocks: YamlBlock[] = []
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ya?ml)\b.*$/i.exec(lines[index])
    if (!open) continue
    const [, indent, fence] = open
    const body: string[] = []
    let end = index + 1
    while (end < lines.length && !lines[end].trimStart().startsWith(fence)) {
      body.push(lines[end].startsWith(indent) ? lines[end].slice(indent.length) : lines[end])
      end++
    }
    blocks.push({ file, line: index + 2, text: body.join('\n') })
    index = end
  }
  return blocks
}

export function allYamlBlocks(): YamlBlock[] {
  return docFiles().flatMap(file => yamlBlocks(file, readFileSync(join(repoRoot, file), 'utf8')))
}

const CONFIG_KEYS = ['version', 'defaults', 'environments']

/**
 * What a block is: a workflow (a whole file, a job list, a job's `steps:` or a bare list of
 * steps), a config file, an action's metadata, a mapping of inputs (a `with:` fragment), or
 * anything else.
 */
export function classify(block: YamlBlock): Classified {
  let doc: unknown
  try {
    doc = parse(block.text)
  } catch (error) {
    return { kind: 'invalid', error: (error as Error).message.split('\n')[0] }
  }
  if (Array.isArray(doc)) {
    if (doc.some(item => isMapping(item) && ('uses' in item || 'run' in item))) {
      return { kind: 'workflow', doc: { jobs: { snippet: { steps: doc as Step[] } } } }
    }
    return { kind: 'other', doc }
  }
  if (!isMapping(doc)) return { kind: 'other', doc }
  if ('jobs' in doc || 'on' in doc) return { kind: 'workflow', doc: doc as Workflow }
  if ('steps' in doc && Array.isArray(doc.steps)) {
    return { kind: 'workflow', doc: { ...doc, jobs: { snippet: { steps: doc.steps as Step[] } } } }
  }
  if (Object.keys(doc).some(key => CONFIG_KEYS.includes(key))) return { kind: 'config', doc }
  if ('runs' in doc || ('inputs' in doc && 'name' in doc)) return { kind: 'action-metadata', doc }
  if (Object.keys(doc).every(key => /^[a-z][a-z0-9-]*$/.test(key))) {
    // Plain input names only: a `with:` shown on its own. Anything more is `other`.
    return Object.values(doc).every(value => !isMapping(value))
      ? { kind: 'inputs', doc }
      : { kind: 'other', doc }
  }
  return { kind: 'other', doc }
}

export function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function where(block: YamlBlock): string {
  return `${block.file}:${block.line}`
}
