import type * as CronParser from 'cron-parser'
import type * as JsonPathPlus from 'jsonpath-plus'
import type * as AjvModule from 'ajv'

/**
 * Libraries a settings parse needs synchronously but most starts never use, loaded before the
 * parse so a bundle's entry file does not hold them: `preloadParsers` imports each (its own
 * chunk in a bundle), and the sync accessors hand them to the parse. A front end preloads what
 * `neededParsers` finds in its inputs; an accessor reached without it is a bug in Slipway and
 * throws, never a check skipped.
 */
export type ParserName = 'cron-parser' | 'jsonpath-plus' | 'ajv'

export const PARSER_NAMES: readonly ParserName[] = ['cron-parser', 'jsonpath-plus', 'ajv']

interface Loaded {
  'cron-parser'?: typeof CronParser
  'jsonpath-plus'?: typeof JsonPathPlus
  ajv?: { Ajv: typeof AjvModule.Ajv }
}

const loaded: Loaded = {}

// Each import names its module literally, so the bundler makes it a chunk of its own.
const loaders: { [Name in ParserName]: () => Promise<NonNullable<Loaded[Name]>> } = {
  'cron-parser': () => import('cron-parser'),
  'jsonpath-plus': () => import('jsonpath-plus'),
  ajv: () => import('ajv').then(ajvClass)
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
 * Preloading one that goes unused costs a little time; missing one fails the step as a bug.
 */
export function neededParsers(values: Iterable<string>, configFile: boolean): ParserName[] {
  if (configFile) return [...PARSER_NAMES]
  const needed = new Set<ParserName>()
  for (const value of values) {
    if (/cron/i.test(value)) needed.add('cron-parser')
    if (DOLLAR.test(value)) needed.add('jsonpath-plus')
  }
  return [...needed]
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
const bundled = typeof __webpack_require__ === 'function'

function parser<Name extends ParserName>(name: Name): NonNullable<Loaded[Name]> {
  const module = loaded[name]
  if (module) return module as NonNullable<Loaded[Name]>
  if (bundled)
    throw new Error(
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
  ajv: (): typeof AjvModule.Ajv => parser('ajv').Ajv
}
