import type * as CronParser from 'cron-parser'
import type * as JsonPathPlus from 'jsonpath-plus'
import type * as AjvModule from 'ajv'
import type * as YamlModule from 'yaml'

/**
 * Libraries a settings parse needs synchronously but most starts never use, loaded before the
 * parse so a bundle's entry file does not hold them: `preloadParsers` imports each (its own
 * chunk in a bundle), and the sync accessors hand them to the parse. A front end preloads what
 * `neededParsers` finds in its inputs; an accessor reached without it is a bug in Slipway and
 * throws, never a check skipped.
 */
export type ParserName = 'cron-parser' | 'jsonpath-plus' | 'ajv' | 'yaml'

export const PARSER_NAMES: readonly ParserName[] = ['cron-parser', 'jsonpath-plus', 'ajv', 'yaml']

interface Loaded {
  'cron-parser'?: typeof CronParser
  'jsonpath-plus'?: typeof JsonPathPlus
  ajv?: { Ajv: typeof AjvModule.Ajv }
  yaml?: typeof YamlModule
}

const loaded: Loaded = {}

// Each import names its module literally, so the bundler makes it a chunk of its own.
const loaders: { [Name in ParserName]: () => Promise<NonNullable<Loaded[Name]>> } = {
  'cron-parser': () => import('cron-parser'),
  'jsonpath-plus': () => import('jsonpath-plus'),
  ajv: () => import('ajv').then(ajvClass),
  yaml: () => import('yaml')
}

// ajv is CommonJS whose module.exports is the class: Node and jest give the named export, but
// webpack's namespace for a function export (the ncc bundle) carries only `default`.
function ajvClass(module: { Ajv?: typeof AjvModule.Ajv; default?: unknown }): {
  Ajv: typeof AjvModule.Ajv
} {
  return { Ajv: (module.Ajv ?? module.default) as typeof AjvModule.Ajv }
}

export async function preloadParsers(names: Iterable<ParserName>): Promise<void> {
  const slots: Partial<Record<ParserName, unknown>> = loaded
  await Promise.all(
    [...new Set(names)].map(async name => {
      slots[name] ??= await loaders[name]()
    })
  )
}

/**
 * Which parsers a parse of these input values may need, from cheap checks on the text alone:
 * a cron expression can only be in a value that says `cron` (a freeze window), a JSONPath only
 * in one with a `$` (or a YAML/JSON escape of it), and a config file's content is not read here.
 * yaml is needed by any value that is not a simple plain scalar (`parseYaml` reads those
 * itself), so any newline, space, quote, bracket, indicator or number with a sign or a point,
 * and by a provider that reads YAML files (a value that says kube, compose or helm).
 * Preloading one that goes unused costs a little time; missing one fails the step as a bug.
 */
export function neededParsers(values: Iterable<string>, configFile: boolean): ParserName[] {
  if (configFile) return [...PARSER_NAMES]
  const needed = new Set<ParserName>()
  for (const value of values) {
    if (/cron/i.test(value)) needed.add('cron-parser')
    // The HTTP assertions fetch jsonpath-plus for any `expect-json` map, before they check
    // its keys start with `$`: a map in any value may be one.
    if (!isSimpleScalar(value)) needed.add('yaml').add('jsonpath-plus')
    // The kubernetes and compose providers read YAML files (kubeconfig, manifests, compose
    // file) when they are built, which the parse does to validate the inputs.
    if (/kube|compose|helm/i.test(value)) needed.add('yaml')
    if (DOLLAR.test(value)) needed.add('jsonpath-plus')
  }
  return [...needed]
}

/**
 * A one-line value YAML reads as a plain scalar with no indicator in it: letters, digits and
 * `_./@+=%~^,:-`, starting with none of the characters YAML gives a meaning at the start
 * (`-` a list item or `---`, `.` `...`, `:` a key, `%` a directive, `@` reserved, `,` flow, `~`
 * null) and not ending in `:` (a key). Anything else is left to the yaml library.
 */
const SIMPLE_SCALAR = /^(?![-.:%@,~])[A-Za-z0-9_./@+=%~^,:-]+$/

function isSimpleScalar(value: string): boolean {
  return value === '' || (SIMPLE_SCALAR.test(value) && !value.endsWith(':'))
}

/** The YAML 1.2 core schema's resolution of a simple plain scalar, as the yaml library does it. */
function coreScalar(text: string): unknown {
  if (/^(?:null|Null|NULL)$/.test(text)) return null
  if (/^(?:true|True|TRUE)$/.test(text)) return true
  if (/^(?:false|False|FALSE)$/.test(text)) return false
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8)
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16)
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text)
  return text
}

/**
 * A YAML value of an input (`yaml.parse`). A simple plain scalar, which `neededParsers` does
 * not preload yaml for, is read here without it; anything else needs the preload.
 */
export function parseYaml(text: string, options?: { prettyErrors?: boolean }): unknown {
  if (!loaded.yaml && isSimpleScalar(text)) return text === '' ? null : coreScalar(text)
  return parsers.yaml().parse(text, options)
}

/** `$`, or an escape that YAML or JSON turns into one. */
const DOLLAR = /\$|\\(?:x24|u0024|U00000024)/i

/** The values of a runner step's inputs (`INPUT_*`), for `neededParsers`. */
export function stepInputValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => name.startsWith('INPUT_') && value !== undefined)
    .map(([, value]) => value as string)
}

// In a bundle webpack defines __webpack_require__; run from the sources (tests, scripts) it is
// undefined, and the parser is loaded synchronously from node_modules instead.
declare const __webpack_require__: unknown
let bundled = typeof __webpack_require__ === 'function'

/**
 * For tests: `strict` makes the sources behave as a bundle (an accessor without a preload
 * throws), and forgets what was loaded, so a test sees exactly what a preload gave.
 */
export function parsersForTest(strict: boolean): void {
  bundled = strict
  for (const name of PARSER_NAMES) delete (loaded as Record<string, unknown>)[name]
}

/** A bug in Slipway, never a bad input: a catch that turns parse errors into InputErrors rethrows it. */
export class ParserNotLoadedError extends Error {
  override name = 'ParserNotLoadedError'
}

function parser<Name extends ParserName>(name: Name): NonNullable<Loaded[Name]> {
  const module = loaded[name]
  if (module) return module as NonNullable<Loaded[Name]>
  if (bundled)
    throw new ParserNotLoadedError(
      `${name} was used before it was loaded: the front end must await preloadParsers(neededParsers(…)) before parsing`
    )
  const { createRequire } = process.getBuiltinModule('node:module')
  const required: unknown = createRequire(import.meta.url)(name)
  const value = (name === 'ajv' ? ajvClass(required as never) : required) as NonNullable<
    Loaded[Name]
  >
  loaded[name] = value
  return value
}

/** The loaded parsers, for the synchronous settings parse. */
export const parsers = {
  cron: (): typeof CronParser => parser('cron-parser'),
  jsonpath: (): typeof JsonPathPlus => parser('jsonpath-plus'),
  ajv: (): typeof AjvModule.Ajv => parser('ajv').Ajv,
  yaml: (): typeof YamlModule => parser('yaml')
}

/**
 * yaml's functions for code that reads YAML files as it builds a provider (compose files,
 * kubeconfigs, manifests, Helm's output): a `provider` of kubernetes or compose makes the front
 * end preload yaml (`neededParsers`), and the run keeps it.
 */
export const yamlParse = ((...args: unknown[]) =>
  (parsers.yaml().parse as (...a: unknown[]) => unknown)(...args)) as typeof YamlModule.parse
export const yamlStringify = ((...args: unknown[]) =>
  (parsers.yaml().stringify as (...a: unknown[]) => string)(...args)) as typeof YamlModule.stringify
export const yamlParseAllDocuments = ((...args: unknown[]) =>
  (parsers.yaml().parseAllDocuments as (...a: unknown[]) => unknown)(
    ...args
  )) as typeof YamlModule.parseAllDocuments
