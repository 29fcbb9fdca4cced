import { beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import {
  STAGES,
  TYPED_INPUTS,
  valueTypeOf,
  type ActionInputsDoc,
  type Stage
} from '@slipway/config'
import { STRATEGIES } from '@slipway/strategies'
import { repoRoot } from '../helpers/run-bundle.js'
import { scanReaderCalls, type ReaderCall } from './reader-scan.js'

// The schema's value forms (packages/config/src/value-types.ts) against the readers that
// really parse each input: every typed reader call, found by the TypeScript checker, must
// agree with the table, and every table entry must have such a call behind it.

/** Where each stage's inputs are read: its action and the packages its settings come from. */
const STAGE_SOURCES: Record<Stage, string[]> = {
  preflight: ['actions/preflight-check/', 'packages/preflight/'],
  backup: ['actions/backup/', 'packages/backup/'],
  deploy: ['actions/deploy-strategy/', 'packages/strategies/'],
  smoke: ['actions/smoke-test/', 'packages/smoke/'],
  release: ['actions/tag-and-release/', 'packages/release/'],
  // Rollback drives the deploy's provider, router and hooks through the deploy's parsers.
  rollback: ['actions/rollback/', 'packages/rollback/', 'packages/strategies/']
}

/** Inputs read as text and checked by a parser of their own against an exported constant. */
const CHECKED_AFTER_READING: Record<string, readonly string[]> = { strategy: STRATEGIES }

const READER_KIND: Record<string, string> = {
  enumOf: 'enum',
  duration: 'duration',
  bool: 'boolean',
  int: 'integer'
}

type Form = string // 'enum:a|b', 'duration', …, or 'text'

function formOfReads(input: string, calls: ReaderCall[]): Form {
  if (input in CHECKED_AFTER_READING)
    return `enum:${[...CHECKED_AFTER_READING[input]].sort().join('|')}`
  const forms = new Set(
    calls
      .filter(call => call.reader in READER_KIND)
      .map(call =>
        call.values ? `enum:${[...call.values].sort().join('|')}` : READER_KIND[call.reader]
      )
  )
  if (forms.size > 1) return `conflicting readers: ${[...forms].join(', ')}`
  return [...forms][0] ?? 'text'
}

function formInTable(stage: Stage, input: string): Form {
  const type = valueTypeOf(stage, input)
  if (!type) return 'text'
  return type.kind === 'enum' ? `enum:${[...type.values].sort().join('|')}` : type.kind
}

describe('config value forms', () => {
  let calls: ReaderCall[]
  beforeAll(() => {
    calls = scanReaderCalls(repoRoot)
  }, 120_000)

  test('the scan finds the readers (a scan that finds nothing would prove nothing)', () => {
    const enums = calls.filter(call => call.reader === 'enumOf')
    expect(enums.length).toBeGreaterThan(10)
    expect(enums.find(call => call.input === 'health-check')?.values).toEqual(
      expect.arrayContaining(['auto', 'http', 'tcp', 'command', 'none'])
    )
    expect(calls.some(call => call.reader === 'duration' && call.input === 'health-timeout')).toBe(
      true
    )
  })

  test.each(Object.keys(STAGES) as Stage[])(
    'every %s input has the form its readers accept',
    stage => {
      const action = parse(
        readFileSync(join(repoRoot, 'actions', STAGES[stage], 'action.yml'), 'utf8')
      ) as ActionInputsDoc
      const sources = STAGE_SOURCES[stage]
      const mismatches: string[] = []
      for (const input of Object.keys(action.inputs ?? {})) {
        const reads = calls.filter(
          call => call.input === input && sources.some(source => call.file.startsWith(source))
        )
        const read = formOfReads(input, reads)
        const table = formInTable(stage, input)
        if (read !== table) mismatches.push(`${input}: readers ${read}, table ${table}`)
      }
      expect(mismatches).toEqual([])
    }
  )

  test('every input the table gives a form is a config input of some stage', () => {
    const declared = new Set(
      Object.values(STAGES).flatMap(action =>
        Object.keys(
          (
            parse(
              readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8')
            ) as ActionInputsDoc
          ).inputs ?? {}
        )
      )
    )
    expect(TYPED_INPUTS.filter(input => !declared.has(input))).toEqual([])
  })
})
