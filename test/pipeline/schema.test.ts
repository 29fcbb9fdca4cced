import { describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { Ajv } from 'ajv'
import { buildConfigSchema, STAGES, type ActionInputsDoc, type Stage } from '@slipway/config'
import { repoRoot } from '../helpers/run-bundle.js'

// slipway.schema.json is generated from the actions' own action.yml. It is committed (editors
// and the pipeline read it); this test fails when it drifts. Regenerate with:
//   SLIPWAY_UPDATE_SCHEMA=1 NODE_OPTIONS=--experimental-vm-modules npx jest test/pipeline/schema
const schemaPath = join(repoRoot, 'slipway.schema.json')

function generated(): Record<string, unknown> {
  const actions: Partial<Record<Stage, ActionInputsDoc>> = {}
  for (const [stage, action] of Object.entries(STAGES) as [Stage, string][]) {
    const file = join(repoRoot, 'actions', action, 'action.yml')
    if (existsSync(file)) actions[stage] = parse(readFileSync(file, 'utf8')) as ActionInputsDoc
  }
  return buildConfigSchema(actions)
}

describe('slipway.schema.json', () => {
  test('matches the actions’ inputs (SLIPWAY_UPDATE_SCHEMA=1 regenerates it)', () => {
    const text = `${JSON.stringify(generated(), null, 2)}\n`
    if (process.env.SLIPWAY_UPDATE_SCHEMA === '1') writeFileSync(schemaPath, text)
    expect(readFileSync(schemaPath, 'utf8')).toBe(text)
  })

  test('the example config files are valid, and a typo is not', () => {
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    // Every committed example, so a value form the schema gains cannot refuse one of them.
    for (const path of [['slipway.yml'], ['containers', 'slipway.yml']]) {
      const example = parse(readFileSync(join(repoRoot, 'examples', ...path), 'utf8'))
      expect([path.join('/'), validate(example)]).toEqual([path.join('/'), true])
      expect(validate.errors ?? []).toEqual([])
    }
    const typo = { version: 1, environments: { prod: { deploy: { stratgy: 'blue-green' } } } }
    expect(validate(typo)).toBe(false)
    expect(JSON.stringify(validate.errors)).toContain('stratgy')
  })
})
