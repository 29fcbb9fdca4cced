// yaml is not in the bundles' entry files: the front end preloads it before the synchronous
// settings parse whenever an input value is more than a simple plain scalar, and the kit's
// parseYaml reads a simple one itself. These tests run the sources in the bundle's strict mode
// (an accessor without a preload throws), so a parse-time use of yaml that the rule misses
// fails here.
import { afterAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import {
  Inputs,
  ParserNotLoadedError,
  neededParsers,
  parseYaml,
  parsersForTest,
  preloadParsers,
  type RunnerEnv
} from '@slipway/kit'
import { parseBackupSettings } from '@slipway/backup'
import { parsePipelineSettings } from '@slipway/pipeline'
import { parsePreflightSettings } from '@slipway/preflight'
import { parseReleaseSettings } from '@slipway/release'
import { parseReportSettings } from '@slipway/report'
import { parseRollbackSettings } from '@slipway/rollback'
import { parseSmokeSettings } from '@slipway/smoke'
import { parseDeploySettings } from '@slipway/strategies'
import { repoRoot } from '../helpers/run-bundle.js'

// The files the kubernetes and compose providers read as the parse builds them: their paths
// are plain values, so only the provider's name can tell the front end yaml is needed.
const files = mkdtempSync(join(tmpdir(), 'slipway-yaml-preload-'))
const composeFile = join(files, 'compose.yml')
writeFileSync(composeFile, 'services:\n  web:\n    image: ghcr.io/o/web:1\n')
const manifest = join(files, 'web.yml')
writeFileSync(
  manifest,
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: ghcr.io/o/web:1}]\n'
)
const kubeconfig = join(files, 'kubeconfig')
writeFileSync(
  kubeconfig,
  'apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "https://127.0.0.1:9"}}]\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nusers: [{name: u, user: {token: t}}]\n'
)
const savedKubeconfig = process.env.KUBECONFIG
process.env.KUBECONFIG = kubeconfig

afterAll(() => {
  parsersForTest(false)
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG
  else process.env.KUBECONFIG = savedKubeconfig
  rmSync(files, { recursive: true, force: true })
})

describe('parseYaml without yaml loaded', () => {
  // Every short string over the plain alphabet and the characters YAML gives a meaning, plus
  // the core schema's own forms: where neededParsers would not preload yaml, parseYaml's own
  // reading must be the library's.
  const alphabet = ['a', 'Z', '0', '7', '_', '.', '/', '@', '+', '=', '%', '~', '^', ',', ':', '-']
  const samples = new Set<string>([
    'null',
    'Null',
    'NULL',
    'true',
    'True',
    'TRUE',
    'false',
    'FALSE',
    'yes',
    'no',
    'on',
    '0x1F',
    '0xg',
    '0o17',
    '0o8',
    '1e3',
    '1E+3',
    '1e',
    '+.inf',
    '+.INF',
    '.nan',
    '007',
    '+1',
    '1_000',
    '1.',
    '1.5',
    '1.2.3',
    'v1.2.3',
    '2001:db8::1',
    'a:b',
    'https://x.example/a?b',
    '=',
    '^a',
    'ghcr.io/o/web@sha256:ab',
    '5,25,50,100',
    '5%',
    '30s',
    '---',
    '...',
    '-',
    ':'
  ])
  for (const a of alphabet) {
    samples.add(a)
    for (const b of alphabet) {
      samples.add(a + b)
      for (const c of alphabet) samples.add(a + b + c)
    }
  }
  const simple = [...samples].filter(text => !neededParsers([text], false).includes('yaml'))

  it('leaves out of the rule only values it reads as the yaml library does', () => {
    parsersForTest(true)
    const differing = simple.filter(text => {
      const ours = parseYaml(text, { prettyErrors: false })
      const theirs: unknown = parse(text, { prettyErrors: false })
      return !Object.is(ours, theirs)
    })
    expect(differing).toEqual([])
    // The rule is not empty: the common one-word values load nothing.
    expect(simple).toEqual(expect.arrayContaining(['true', '1.2.3', 'a:b', '0x1F']))
  })

  it('needs yaml for anything else', () => {
    for (const text of ['- a', 'a: b', '[1]', '{a: 1}', 'a\nb', '"a"', '-1', '.5', 'a:', '~', '@a'])
      expect(neededParsers([text], false)).toContain('yaml')
    parsersForTest(true)
    expect(() => parseYaml('- a')).toThrow(ParserNotLoadedError)
  })
})

// The pipeline's action.yml is the repository's root one.
function declaredInputs(file: string): Record<string, string | undefined> {
  const doc = parse(readFileSync(file, 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>
  }
  return Object.fromEntries(
    Object.entries(doc.inputs ?? {}).map(([name, spec]) => {
      const value = spec.default === undefined ? undefined : String(spec.default)
      // The runner fills `${{ … }}` defaults; a test has no run to fill them from.
      return [name, value?.includes('${{') ? undefined : value]
    })
  )
}

const runnerEnv: RunnerEnv = {
  workspace: repoRoot,
  runnerTemp: repoRoot,
  repository: 'o/r',
  sha: 'a'.repeat(40),
  serverUrl: 'http://127.0.0.1:9',
  apiUrl: 'http://127.0.0.1:9',
  runId: '1',
  runAttempt: '1'
}

type Parse = (inputs: Inputs) => unknown
interface Stage {
  file: string
  parse: Parse
  /** Settings that let the parse reach far: each input below is varied on top of each one. */
  bases: Record<string, string>[]
}

const fallbacks = { token: 't' }
const STAGES: Record<string, Stage> = {
  backup: {
    file: 'actions/backup/action.yml',
    parse: inputs => parseBackupSettings(inputs, runnerEnv),
    bases: [{ path: 'backups', 'database-url': 'postgres://u@127.0.0.1/db' }]
  },
  'preflight-check': {
    file: 'actions/preflight-check/action.yml',
    parse: inputs => parsePreflightSettings(inputs, runnerEnv),
    bases: [{}, { 'http-url': 'http://127.0.0.1:9/health' }]
  },
  'deploy-strategy': {
    file: 'actions/deploy-strategy/action.yml',
    parse: inputs => parseDeploySettings(inputs, runnerEnv, fallbacks),
    bases: [
      {
        strategy: 'rolling',
        provider: 'docker',
        version: '1.2.3',
        image: 'ghcr.io/o/web',
        hosts: 'h1'
      },
      {
        strategy: 'canary',
        provider: 'kubernetes',
        version: '1.2.3',
        app: 'web',
        image: 'ghcr.io/o/web'
      },
      { strategy: 'blue-green', provider: 'nginx', version: '1.2.3', hosts: 'h1' },
      { strategy: 'rolling', provider: 'compose', version: '1.2.3', 'compose-file': composeFile },
      {
        strategy: 'rolling',
        provider: 'kubernetes',
        version: '1.2.3',
        app: 'web',
        manifests: manifest
      }
    ]
  },
  'smoke-test': {
    file: 'actions/smoke-test/action.yml',
    parse: inputs => parseSmokeSettings(inputs, runnerEnv),
    bases: [{}, { url: 'http://127.0.0.1:9/health' }]
  },
  'tag-and-release': {
    file: 'actions/tag-and-release/action.yml',
    parse: inputs => parseReleaseSettings(inputs, runnerEnv),
    bases: [{ token: 't' }, { 'dry-run': 'true' }]
  },
  rollback: {
    file: 'actions/rollback/action.yml',
    parse: inputs => parseRollbackSettings(inputs, runnerEnv, fallbacks),
    bases: [
      { 'health-url': 'http://127.0.0.1:9/health', provider: 'docker', hosts: 'h1' },
      { provider: 'kubernetes', app: 'web' },
      {
        'health-url': 'http://127.0.0.1:9/health',
        provider: 'compose',
        'compose-file': composeFile
      },
      {
        provider: 'kubernetes',
        app: 'web',
        manifests: manifest
      }
    ]
  },
  report: {
    file: 'actions/report/action.yml',
    parse: inputs => parseReportSettings(inputs, runnerEnv, fallbacks),
    bases: [{ token: 't' }, { quality: 'false' }]
  },
  pipeline: {
    file: 'action.yml',
    parse: inputs => parsePipelineSettings(inputs, runnerEnv, fallbacks),
    bases: [
      { version: 'v1.2.3', 'dry-run': 'true' },
      { version: 'v1.2.3', 'dry-run': 'true', strategy: 'canary', provider: 'kubernetes' },
      {
        version: 'v1.2.3',
        'dry-run': 'true',
        strategy: 'rolling',
        provider: 'compose',
        'compose-file': composeFile
      },
      {
        version: 'v1.2.3',
        'dry-run': 'true',
        strategy: 'rolling',
        provider: 'kubernetes',
        app: 'web',
        manifests: manifest
      }
    ]
  }
}

// The YAML shapes the stages read (lists of checks, maps of headers, canary steps, flow
// collections, a kubeconfig), and plain values, put in every declared input in turn.
const SHAPES = [
  '- a\n- b',
  '- {type: http, url: "http://127.0.0.1:9/health"}',
  'a: 1\nb: two',
  '[5, 25, 100]',
  '{a: 1}',
  '- setWeight: 5\n- pause: 1s',
  'users:\n- name: u\n  user: {token: secret}',
  'x',
  '5',
  'true'
]

interface Case {
  stage: string
  input: string
  values: Record<string, string>
}

const cases: Case[] = Object.entries(STAGES).flatMap(([stage, { file, bases }]) => {
  const declared = declaredInputs(join(repoRoot, file))
  const defaults = Object.fromEntries(
    Object.entries(declared).filter((entry): entry is [string, string] => entry[1] !== undefined)
  )
  return Object.keys(declared).flatMap(input =>
    bases.flatMap(base =>
      SHAPES.map(shape => ({ stage, input, values: { ...defaults, ...base, [input]: shape } }))
    )
  )
})

/** Parses a case as a bundle would after the front end's preload (or with none). */
async function parseCase({ stage, values }: Case, preload: boolean): Promise<unknown> {
  parsersForTest(true)
  if (preload) await preloadParsers(neededParsers(Object.values(values), false))
  const inputs = new Inputs(name => values[name])
  try {
    STAGES[stage].parse(inputs)
    return undefined
  } catch (error) {
    return error
  }
}

describe('every stage parses its declared inputs, YAML-valued, after the preload', () => {
  it('has cases for every stage and its action.yml', () => {
    for (const stage of Object.keys(STAGES))
      expect(cases.filter(c => c.stage === stage).length).toBeGreaterThan(20)
  })

  it('never reaches a parser the preload left out', async () => {
    const missed: string[] = []
    for (const c of cases) {
      const error = await parseCase(c, true)
      if (error instanceof ParserNotLoadedError || String(error).includes('before it was loaded'))
        missed.push(`${c.stage} ${c.input}: ${String(error)}`)
    }
    expect(missed).toEqual([])
  }, 120_000)

  // Without the preload the same sweep does reach yaml: the cases exercise the parse-time uses
  // (so the test above can fail), in every stage that reads a YAML value.
  it('reaches yaml in the parse of each stage that reads YAML values', async () => {
    const reached = new Set<string>()
    for (const c of cases) {
      if (reached.has(c.stage)) continue
      const error = await parseCase(c, false)
      if (error instanceof ParserNotLoadedError && error.message.startsWith('yaml'))
        reached.add(c.stage)
    }
    expect([...reached].sort()).toEqual(
      ['deploy-strategy', 'pipeline', 'preflight-check', 'report', 'rollback', 'smoke-test'].sort()
    )
  }, 120_000)
})

// The provider's files are the only YAML in these: every value is plain.
describe('a provider that reads YAML files as the parse builds it', () => {
  const plain: Case[] = Object.entries(STAGES).flatMap(([stage, { bases }]) =>
    bases
      .filter(base => base['compose-file'] || base.manifests)
      .map(base => ({ stage, input: 'provider', values: base }))
  )

  it.each(plain.map(c => [`${c.stage} ${c.values.provider}`, c] as const))(
    '%s: reaches yaml, and the preload has it',
    async (_name, c) => {
      expect(Object.values(c.values).every(v => !/[\s"'{[]/.test(v))).toBe(true)
      const without = await parseCase(c, false)
      expect(String(without)).toContain('yaml was used before it was loaded')
      const error = await parseCase(c, true)
      expect(String(error)).not.toContain('before it was loaded')
    }
  )
})

it('the stage list is every action', () => {
  const actions = readdirSync(join(repoRoot, 'actions')).filter(name =>
    existsSync(join(repoRoot, 'actions', name, 'action.yml'))
  )
  expect(
    Object.keys(STAGES)
      .filter(s => s !== 'pipeline')
      .sort()
  ).toEqual(actions.sort())
})
