import { describe, expect, test } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { renderReadme } from '../../scripts/action-docs.mjs'
import { repoRoot } from '../helpers/run-bundle.js'

// The root action.yml (the all-in-one pipeline) is outside actions/<name>/, so the shared
// contract test does not see it: the same checks here.
interface ActionYaml {
  name?: string
  description?: string
  runs?: { using?: string; main?: string }
  inputs?: Record<string, { description?: string }>
  outputs?: Record<string, { description?: string }>
}
const yamlText = readFileSync(join(repoRoot, 'action.yml'), 'utf8')
const action = parse(yamlText) as ActionYaml
// The action's main and the pipeline package that reads its inputs (root-inputs.ts).
const srcDirs = [
  join(repoRoot, 'actions', 'pipeline', 'src'),
  join(repoRoot, 'packages', 'pipeline', 'src')
]

function inputsRead(): string[] {
  const found = new Set<string>()
  for (const srcDir of srcDirs)
    for (const file of readdirSync(srcDir)) {
      if (!file.endsWith('.ts')) continue
      const text = readFileSync(join(srcDir, file), 'utf8')
      for (const match of text.matchAll(/\binputs\.[a-zA-Z]+\(\s*['"]([a-z0-9-]+)['"]/g))
        found.add(match[1])
    }
  return [...found].sort()
}

describe('root action.yml (pipeline)', () => {
  test('runs on node24 from its committed bundle', () => {
    expect(action.runs?.using).toBe('node24')
    expect(action.runs?.main).toBe('dist/pipeline/index.js')
    const bundle = join(repoRoot, action.runs!.main!)
    expect(existsSync(bundle)).toBe(true)
    expect(readFileSync(bundle, 'utf8')).not.toContain('webpackMissingModule')
    expect(existsSync(join(repoRoot, 'dist', 'pipeline', 'licenses.txt'))).toBe(true)
    expect(existsSync(join(repoRoot, 'actions', 'pipeline', 'action.yml'))).toBe(false)
  })

  test('describes every input and output', () => {
    expect(action.name).toBeTruthy()
    expect(action.description).toBeTruthy()
    const missing = [
      ...Object.entries(action.inputs ?? {}).filter(([, s]) => !s?.description),
      ...Object.entries(action.outputs ?? {}).filter(([, s]) => !s?.description)
    ].map(([k]) => k)
    expect(missing).toEqual([])
  })

  test('reads exactly the inputs it declares', () => {
    const declared = Object.keys(action.inputs ?? {}).sort()
    expect(inputsRead()).toEqual(declared)
  })

  test('README section tables match action.yml (npm run docs)', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    expect(readme).toContain('## The all-in-one pipeline action')
    expect(renderReadme(readme, yamlText)).toBe(readme)
  })
})
