import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { renderReadme } from '../../scripts/action-docs.mjs'
import { repoRoot } from '../helpers/run-bundle.js'

interface ActionYaml {
  name?: string
  description?: string
  runs?: { using?: string; main?: string; steps?: unknown[] }
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>
  outputs?: Record<string, { description?: string }>
}

const actionsDir = join(repoRoot, 'actions')
const packagesDir = join(repoRoot, 'packages')
const names = readdirSync(actionsDir).filter(name =>
  existsSync(join(actionsDir, name, 'action.yml'))
)

/**
 * Every input an action reads, found by the literal `inputs.<reader>('name'` form the house
 * style requires, in its own sources and in any action source they import (rollback reads
 * the provider inputs through deploy-strategy's reader).
 */
function inputsReadBy(name: string): string[] {
  const found = new Set<string>()
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file) || !existsSync(file)) return
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(/\binputs\s*\.[a-zA-Z]+\(\s*['"]([a-z0-9-]+)['"]/g))
      found.add(match[1])
    for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
      const imported = join(dirname(file), `${match[1]}.ts`)
      if (imported.startsWith(actionsDir) || imported.startsWith(packagesDir)) visit(imported)
    }
    // A stage package reads its action's inputs in parse<Stage>Settings: the file that defines
    // each one imported (rollback imports only the provider part of deploy-strategy's settings).
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from '@slipway\/([a-z-]+)'/g))
      for (const parser of match[1].match(/\bparse\w*Settings\b/g) ?? [])
        visit(definitionOf(parser, join(packagesDir, match[2], 'src')))
  }
  const srcDir = join(actionsDir, name, 'src')
  for (const file of readdirSync(srcDir, { recursive: true }) as string[]) {
    if (file.endsWith('.ts')) visit(join(srcDir, file))
  }
  return [...found].sort()
}

/** The source file in `dir` that exports `name` as a function, else the stage's settings.ts. */
function definitionOf(name: string, dir: string): string {
  const file = (readdirSync(dir, { recursive: true }) as string[]).find(
    path =>
      path.endsWith('.ts') &&
      new RegExp(`export function ${name}\\b`).test(readFileSync(join(dir, path), 'utf8'))
  )
  return join(dir, file ?? 'settings.ts')
}

describe('action contracts', () => {
  it('finds the actions', () => {
    expect(names.length).toBeGreaterThan(0)
  })

  describe.each(names)('%s', name => {
    const yamlText = readFileSync(join(actionsDir, name, 'action.yml'), 'utf8')
    const action = parse(yamlText) as ActionYaml

    it('runs on node24 from its committed bundle', () => {
      expect(action.runs?.using).toBe('node24')
      expect(action.runs?.main).toBe(`../../dist/${name}/index.js`)
      const bundle = join(actionsDir, name, action.runs!.main!)
      expect(existsSync(bundle)).toBe(true)
      expect(readFileSync(bundle, 'utf8')).not.toContain('webpackMissingModule')
      expect(existsSync(join(repoRoot, 'dist', name, 'licenses.txt'))).toBe(true)
    })

    it('has a name, a description and a description for every input and output', () => {
      expect(action.name).toBeTruthy()
      expect(action.description).toBeTruthy()
      const undescribed = [
        ...Object.entries(action.inputs ?? {})
          .filter(([, spec]) => !spec?.description)
          .map(([key]) => `input ${key}`),
        ...Object.entries(action.outputs ?? {})
          .filter(([, spec]) => !spec?.description)
          .map(([key]) => `output ${key}`)
      ]
      expect(undescribed).toEqual([])
    })

    it('declares every input its code reads', () => {
      const declared = Object.keys(action.inputs ?? {})
      const read = inputsReadBy(name)
      expect(read.length).toBeGreaterThan(0)
      expect(read.filter(input => !declared.includes(input))).toEqual([])
    })

    it('reads every input it declares', () => {
      const read = inputsReadBy(name)
      expect(Object.keys(action.inputs ?? {}).filter(input => !read.includes(input))).toEqual([])
    })

    it('has a README whose tables match action.yml', () => {
      const readmePath = join(actionsDir, name, 'README.md')
      expect(existsSync(readmePath)).toBe(true)
      const readme = readFileSync(readmePath, 'utf8')
      expect(renderReadme(readme, yamlText)).toBe(readme)
      expect(readme).toMatch(/```ya?ml[\s\S]*uses:/)
    })

    it('offers a dry run', () => {
      expect(Object.keys(action.inputs ?? {})).toContain('dry-run')
    })

    it('keeps index.ts to the runAction call', () => {
      const index = readFileSync(join(actionsDir, name, 'src', 'index.ts'), 'utf8')
      // The action's name, or a function of main.js that names the failed operation from the inputs.
      expect(index).toMatch(new RegExp(`await runAction\\(('${name}'|[A-Za-z]+), main\\)`))
      expect(index.trim().split('\n').length).toBeLessThanOrEqual(3)
    })
  })
})

describe('bundles load', () => {
  it.each(names)('%s starts and fails cleanly without inputs', async name => {
    const { runBundle } = await import('../helpers/run-bundle.js')
    const run = await runBundle(name, { inputs: {}, env: { GITHUB_API_URL: 'http://127.0.0.1:9' } })
    // Without its required inputs an action may succeed (everything optional) or fail with
    // its own message; what it must never do is crash while loading its modules.
    expect(`${run.stdout}${run.stderr}`).not.toMatch(
      /Cannot find module|ERR_MODULE_NOT_FOUND|ReferenceError|SyntaxError/
    )
    if (run.exitCode !== 0) expect(run.annotations.errors.join('\n')).toContain(`${name} failed: `)
  })
})
