import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { BUNDLES } from '../../scripts/bundles.mjs'

// A bundle's entry file is what every start parses, an input error included: it must hold
// input reading and validation, and the heavy modules only a run needs must sit in chunks that
// the run loads (`await import()`). Each marker below is a string from the module's own code;
// it must still occur in some chunk of the built bundles (so a marker that no longer matches
// fails here instead of passing for nothing), and never in an entry file.

const HEAVY: Record<string, string> = {
  // @octokit/core's user agent
  Octokit: 'octokit-core.js/',
  // @octokit/plugin-retry
  'Octokit retry plugin': 'retryAfterBaseValue',
  // undici's diagnostics channels
  undici: 'undici:client:beforeConnect',
  // ssh2's identification string
  ssh2: 'SSH-2.0-ssh2js',
  // autocannon's latency histogram (hdr-histogram-js)
  autocannon: 'HdrHistogram',
  // age's file header
  'age-encryption': 'age-encryption.org/v1',
  // @actions/core's OIDC token request: the kit writes the runner's commands itself, and only
  // the artifact client (backups kept as workflow artifacts) loads @actions/core
  '@actions/core': 'ACTIONS_ID_TOKEN_REQUEST_URL'
}

const built = BUNDLES.filter(name => existsSync(join(repoRoot, 'dist', name, 'index.js')))
const entry = (name: string) => readFileSync(join(repoRoot, 'dist', name, 'index.js'), 'utf8')
const chunks = (name: string) =>
  readdirSync(join(repoRoot, 'dist', name))
    .filter(file => file.endsWith('.js') && file !== 'index.js')
    .map(file => readFileSync(join(repoRoot, 'dist', name, file), 'utf8'))

describe("the bundles' entry files", () => {
  it('are built (npm run build), one for each action', () => {
    expect(built).toEqual(BUNDLES)
    const actions = readdirSync(join(repoRoot, 'actions'), { withFileTypes: true })
      .filter(entry => entry.isDirectory())
      .map(entry => entry.name)
    expect([...BUNDLES].sort()).toEqual(actions.sort())
  })

  it.each(Object.entries(HEAVY))('leave %s to a chunk a run loads', (_module, marker) => {
    const withMarker = built.filter(name => entry(name).includes(marker))
    expect(withMarker).toEqual([])
    expect(built.some(name => chunks(name).some(text => text.includes(marker)))).toBe(true)
  })
})

// Libraries a settings parse needs synchronously (yaml for YAML-valued inputs, the config file
// and the provider files, cron-parser with luxon for freeze windows, ajv for the config file's
// schema, jsonpath-plus for the HTTP assertions' paths): the entry files of the bundles listed
// would parse them at every start; no other bundle's entry may. Every list is empty: the front
// ends preload each when the inputs may need it (the kit's parsers module), so no entry holds one.
const SETTINGS_PARSERS: Record<string, { marker: string; parsedAtStartBy: string[] }> = {
  // yaml's parse error class; preloaded where a value is more than a plain scalar
  yaml: { marker: 'YAMLParseError', parsedAtStartBy: [] },
  // cron-parser's constraint errors; preloaded before the parse where the inputs may hold a cron
  'cron-parser': { marker: 'Constraint error, got range', parsedAtStartBy: [] },
  // luxon's invalid-date reason
  luxon: { marker: 'Invalid DateTime', parsedAtStartBy: [] },
  // one of ajv's options; preloaded before the parse where a config file is named
  ajv: { marker: 'strictTuples', parsedAtStartBy: [] },
  // jsonpath-plus's own check; preloaded before the parse where the inputs may hold a path
  'jsonpath-plus': { marker: 'prevented in JSONPath expression', parsedAtStartBy: [] }
}

describe("the bundles' entry files and the settings parsers", () => {
  it.each(Object.entries(SETTINGS_PARSERS))(
    'parse %s only where a settings parse needs it',
    (_module, { marker, parsedAtStartBy }) => {
      const withMarker = built.filter(name => entry(name).includes(marker))
      expect(withMarker.filter(name => !parsedAtStartBy.includes(name))).toEqual([])
      expect(
        built.some(
          name => entry(name).includes(marker) || chunks(name).some(t => t.includes(marker))
        )
      ).toBe(true)
    }
  )
})

// The all-in-one action's entry reads its own inputs only (the version, the stages, the flags):
// every stage's settings parse, the config file reader and the stages' summaries are a chunk
// it loads once those are read. Each stage action's entry holds its own parse, so these markers
// are checked in the pipeline's entry alone.
const PIPELINE_DEFERRED: Record<string, string> = {
  // preflight's settings parse
  'preflight settings': 'at least one check: a checks list',
  // backup's settings parse
  'backup settings': 'the directory of the dir store',
  // deploy's health gate settings
  'deploy settings': 'a probe for the health gate',
  // smoke's settings parse
  'smoke settings': 'a URL to check (or a list in',
  // release's settings parse
  'release settings': 'a token with contents: write',
  // the config file's schema check
  'config file reader': 'a file matching slipway.schema.json',
  // the pipeline's own summary
  'pipeline summary': 'rollback-on-failure is false'
}

describe("the pipeline's entry file", () => {
  const pipelineBuilt = built.includes('pipeline')

  it.each(Object.entries(PIPELINE_DEFERRED))(
    'leaves the %s to a chunk loaded after its own inputs',
    (_part, marker) => {
      expect(pipelineBuilt).toBe(true)
      expect(entry('pipeline').includes(marker)).toBe(false)
      expect(chunks('pipeline').some(text => text.includes(marker))).toBe(true)
    }
  )
})
