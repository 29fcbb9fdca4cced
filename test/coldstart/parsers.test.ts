// cron-parser (with luxon), jsonpath-plus and ajv are not in the entry files: the front end
// preloads each before the synchronous settings parse when the inputs may need it. These run
// the real bundles, so a front end that parses without the preload fails here with the bug
// message instead of a check going unmade.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

// A config file is read by the parse (rollback's and the pipeline's `config-file`), its schema
// checked with ajv: named in the inputs, it has every parser preloaded.
describe('a config file in the inputs, through the bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-parsers-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'good.yml'), 'version: 1\ndefaults:\n  rollback:\n    dry-run: true\n')
  writeFileSync(join(dir, 'bad.yml'), 'version: 1\ndefaults:\n  rollback:\n    stratgy: x\n')
  const bundles: [string, Record<string, string>][] = [
    ['rollback', { environment: 'staging' }],
    ['pipeline', { version: 'v1' }]
  ]

  it.each(bundles)('%s validates a good one past the schema', async (bundle, inputs) => {
    const run = await runBundle(bundle, {
      workspace: dir,
      inputs: { ...inputs, 'config-file': 'good.yml' }
    })
    expect(text(run)).not.toContain(BUG)
    expect(text(run)).not.toContain('slipway.schema.json (')
  })

  it.each(bundles)('%s rejects an unknown key, naming it', async (bundle, inputs) => {
    const run = await runBundle(bundle, {
      workspace: dir,
      inputs: { ...inputs, 'config-file': 'bad.yml' }
    })
    expect(run.exitCode).toBe(1)
    expect(text(run)).not.toContain(BUG)
    expect(text(run)).toContain("unknown key 'stratgy'")
  })
})

// yaml: preloaded for any value more than a plain scalar, and for a provider that reads YAML
// files as the parse builds it (kubernetes, compose) even when every value is plain.
describe('YAML in the inputs and the provider files, through the bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-yaml-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'empty.yml'), 'services: {}\n')
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'canary steps',
      {
        strategy: 'canary',
        version: '1.2.3',
        provider: 'docker',
        image: 'ghcr.io/o/web',
        hosts: 'h1',
        port: '8080',
        steps: '- setWeight: 5\n- pause: ['
      },
      /steps'?: expected .*YAML error/
    ],
    [
      'a compose file',
      { strategy: 'rolling', version: '1.2.3', provider: 'compose', 'compose-file': 'empty.yml' },
      /compose-file'?: expected a compose file/
    ]
  ]

  it.each(cases)('deploy-strategy reads %s, naming a bad one', async (_name, inputs, expected) => {
    const run = await runBundle('deploy-strategy', { workspace: dir, inputs })
    expect(run.exitCode).toBe(1)
    expect(text(run)).not.toContain(BUG)
    expect(text(run)).toMatch(expected)
  })

  it('preflight-check reads a YAML checks list', async () => {
    const run = await runBundle('preflight-check', {
      inputs: { checks: '- {type: nonsense}', 'dry-run': 'true' }
    })
    expect(run.exitCode).toBe(1)
    expect(text(run)).not.toContain(BUG)
    expect(text(run)).toContain('nonsense')
  })
})
