import { readFileSync } from 'node:fs'
import type { ErrorObject } from 'ajv'
import type { Document, LineCounter, YAMLError } from 'yaml'
import { didYouMean, InputError, parsers } from '@slipway/kit'
import { STAGE_NAMES, type Stage } from './stages.js'

export type StageSection = Record<string, unknown>
export interface ConfigFile {
  version: 1
  defaults?: Partial<Record<Stage, StageSection>>
  environments?: Record<string, Partial<Record<Stage, StageSection>>>
}

/**
 * Loads and validates a config file. Problems are InputErrors on the input that named the
 * file (`config-file` by default), with the JSON path, line and column of each offending value
 * and the form expected there (an enum's nearest value when the given one is a near miss). The file's content is never quoted: a value, or a key that is really a
 * pasted value, may be a secret. A key is named only when it has the form of an input name
 * (lowercase words joined by `-`), so a typo such as `stratgy` is still named.
 */
export function loadConfigFile(
  path: string,
  schema: object,
  inputName = 'config-file'
): ConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new InputError(
      inputName,
      'a readable YAML file',
      `${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      `give \`${inputName}\` the path of the config file as the job sees it (relative to the workspace; check it is committed and checked out).`
    )
  }
  // A config file makes the front end preload every parser (neededParsers).
  const yaml = parsers.yaml()
  const lines = new yaml.LineCounter()
  const parsed = yaml.parseDocument(text, { lineCounter: lines })
  let document: unknown
  try {
    const [error] = parsed.errors
    if (error) throw error
    document = parsed.toJS()
  } catch (error) {
    throw new InputError(
      inputName,
      `valid YAML (${describeYamlError(error, lines)})`,
      path,
      'fix the YAML at the line and column named (indentation and quoting are the usual causes).'
    )
  }
  // verbose: each error carries the schema it broke, for its enum and its readable pattern form.
  const Ajv = parsers.ajv()
  const validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema)
  if (!validate(document)) {
    throw new InputError(
      inputName,
      `a file matching slipway.schema.json (${describeErrors(validate.errors ?? [], parsed, lines)})`,
      path,
      'fix the keys named, as slipway.schema.json describes them (an editor with the YAML language server checks the file as you type).'
    )
  }
  return document as ConfigFile
}

/** An input name, or an environment name of the same plain form: safe to show. */
const NAME_FORM = /^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$/
const MAX_NAME = 40

function shownKey(key: string): string | undefined {
  return key.length <= MAX_NAME && NAME_FORM.test(key) ? key : undefined
}

/**
 * The parser's reason without the text it quotes (`Unresolved alias …: <the alias>`), and
 * where. The yaml library puts quoted source after a colon and the location after " at line".
 */
function describeYamlError(error: unknown, lines: LineCounter): string {
  const yamlError = error as Partial<YAMLError> & { message?: string }
  const reason = String(yamlError.message ?? error)
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?$/, '')
    .replace(/:.*$/, '')
  const position =
    yamlError.linePos?.[0] ?? (yamlError.pos ? lines.linePos(yamlError.pos[0]) : undefined)
  return position ? `${reason} at line ${position.line}, column ${position.col}` : reason
}

function describeErrors(errors: ErrorObject[], document: Document, lines: LineCounter): string {
  return errors
    .slice(0, 5)
    .map(error => {
      const segments = error.instancePath
        .split('/')
        .slice(1)
        .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      const where = `/${segments.map(segment => shownKey(segment) ?? '…').join('/')}`
      if (error.keyword === 'additionalProperties') {
        const key = (error.params as { additionalProperty: string }).additionalProperty
        const at = positionOf(document, lines, segments, key)
        const named = shownKey(key)
        return named === undefined
          ? `${where}: an unknown key that is not an input name${at}`
          : `${where}: unknown key '${named}'${at}`
      }
      const propertyName =
        error.propertyName ?? (error.params as { propertyName?: string }).propertyName
      if (propertyName !== undefined) {
        // A key that breaks the naming rule: where it is, never what it is.
        const at = positionOf(document, lines, segments, propertyName)
        return `${where}: names must be letters, digits, '_', '.' or '-'${at}`
      }
      return `${where}: ${expectedForm(error, document, segments)}${positionOf(document, lines, segments)}`
    })
    .filter((message, index, all) => all.indexOf(message) === index)
    .join('; ')
}

/**
 * What the value should have been, in the words a user reads: the allowed values of an enum
 * (with the nearest one when the value is a near miss), the form a pattern stands for. The
 * value itself is only compared, never shown.
 */
function expectedForm(error: ErrorObject, document: Document, path: string[]): string {
  const schema = error.parentSchema as { patternErrorMessage?: string } | undefined
  if (error.keyword === 'pattern' && schema?.patternErrorMessage)
    return `expected ${schema.patternErrorMessage}`
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues
    const texts = [...new Set(allowed.map(String))]
    if (texts.every(text => /^(true|false)$/i.test(text))) return 'expected true or false'
    const given = document.getIn(path)
    const hint =
      typeof given === 'string' || typeof given === 'number'
        ? didYouMean(String(given), texts)
        : undefined
    return `expected one of ${texts.join(', ')}${hint ? ` (${hint})` : ''}`
  }
  return error.message ?? error.keyword
}

/** Where the node at `path` (or `key` inside it) starts in the YAML source: " (line 4, column 15)". */
function positionOf(document: Document, lines: LineCounter, path: string[], key?: string): string {
  let node: unknown = path.length === 0 ? document.contents : document.getIn(path, true)
  if (key !== undefined) {
    const { isMap, isScalar } = parsers.yaml()
    if (!isMap(node)) return ''
    node = node.items.find(pair => isScalar(pair.key) && String(pair.key.value) === key)?.key
  }
  const range = (node as { range?: [number, number, number] } | undefined)?.range
  if (!range) return ''
  const { line, col } = lines.linePos(range[0])
  return ` (line ${line}, column ${col})`
}

/** The environments a file defines, for error messages and the CLI. */
export function environmentsOf(config: ConfigFile): string[] {
  return Object.keys(config.environments ?? {})
}

/**
 * The merged section of one stage for one environment: the environment's values over the
 * defaults. An environment the file does not define is an error, so a typo cannot deploy
 * production with staging's defaults.
 */
export function stageSection(
  config: ConfigFile,
  environment: string | undefined,
  stage: Stage
): StageSection {
  if (!STAGE_NAMES.includes(stage)) throw new Error(`unknown stage ${stage}`)
  const defaults = config.defaults?.[stage] ?? {}
  if (environment === undefined || config.environments === undefined) return { ...defaults }
  const section = config.environments[environment]
  if (section === undefined) {
    throw new InputError(
      'environment',
      `one of the environments in the config file (${environmentsOf(config).join(', ') || 'none'})`,
      environment,
      `name one of those environments, or add ${JSON.stringify(environment)} under \`environments:\` in the config file.`
    )
  }
  return { ...defaults, ...(section[stage] ?? {}) }
}
