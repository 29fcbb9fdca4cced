// cron-parser (with luxon) is not in the entry files: the front end preloads it before the
// synchronous settings parse when the inputs may hold a cron expression. These run the real
// bundles, so a front end that parses without the preload fails here with the bug message
// instead of a freeze window going unchecked.
import { describe, expect, it } from '@jest/globals'
import { runBundle, type BundleRun } from '../helpers/run-bundle.js'

const BUG = 'was used before it was loaded'
const text = (run: BundleRun) => [run.stdout, run.stderr, run.summary].join('\n')

const cases: [string, string, Record<string, string>][] = [
  [
    'preflight-check',
    'freeze-windows',
    { 'freeze-windows': '- {name: weekend, cron: "0 18 * * 5", duration: 62h}', 'dry-run': 'true' }
  ],
  [
    'preflight-check',
    'checks',
    {
      checks: '- {type: freeze, windows: [{cron: "0 18 * * 5", duration: 62h}]}',
      'dry-run': 'true'
    }
  ],
  [
    'pipeline',
    'preflight-checks',
    {
      version: 'v1',
      'dry-run': 'true',
      'preflight-checks': '- {type: freeze, windows: [{cron: "0 18 * * 5", duration: 62h}]}'
    }
  ]
]

describe('a cron expression in the inputs, through the bundle', () => {
  it.each(cases)('%s parses a valid one in %s', async (bundle, _input, inputs) => {
    const run = await runBundle(bundle, { inputs })
    expect(text(run)).not.toContain(BUG)
    expect(text(run)).not.toContain('a cron expression')
  })

  it.each(cases)('%s rejects a bad one in %s, naming it', async (bundle, _input, inputs) => {
    const bad = Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [
        name,
        value.replace('0 18 * * 5', '61 * * * *')
      ])
    )
    const run = await runBundle(bundle, { inputs: bad })
    expect(run.exitCode).toBe(1)
    expect(text(run)).not.toContain(BUG)
    expect(text(run)).toMatch(/cron'?: expected a cron expression/)
  })
})

// A JSONPath reaches the parse from a value with a `$` in it, or with an escape YAML turns into
// one (`"\u0024.status"`), which the front end's check must also see.
const paths: [string, string, Record<string, string>][] = [
  [
    'smoke-test',
    'expect-json',
    { url: 'http://127.0.0.1:9/health', 'expect-json': '{"$.status": ok}', 'dry-run': 'true' }
  ],
  [
    'smoke-test',
    'expect-json (escaped $)',
    { url: 'http://127.0.0.1:9/health', 'expect-json': '{"\\u0024.status": ok}', 'dry-run': 'true' }
  ],
  [
    'smoke-test',
    'checks',
    {
      checks: '- {url: "http://127.0.0.1:9/health", expect-json: {"$.status": ok}}',
      'dry-run': 'true'
    }
  ]
]

describe('a JSONPath in the inputs, through the bundle', () => {
  it.each(paths)('%s parses a valid one in %s', async (bundle, _input, inputs) => {
    const run = await runBundle(bundle, { inputs })
    expect(text(run)).not.toContain(BUG)
    expect(run.exitCode).toBe(0)
  })

  it.each(paths)('%s rejects a bad one in %s, naming it', async (bundle, _input, inputs) => {
    const bad = Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [name, value.replace('.status', '..[(')])
    )
    const run = await runBundle(bundle, { inputs: bad })
    expect(run.exitCode).toBe(1)
    expect(text(run)).not.toContain(BUG)
    expect(text(run)).toContain('JSONPath')
  })
})
