import { readFileSync } from 'node:fs'
import { Ajv, type ErrorObject } from 'ajv'
import { parse } from 'yaml'
import { InputError } from '@slipway/kit'
import { STAGE_NAMES, type Stage } from './stages.js'

export type StageSection = Record<string, unknown>
export interface ConfigFile {
  version: 1
  defaults?: Partial<Record<Stage, StageSection>>
  environments?: Record<string, Partial<Record<Stage, StageSection>>>
}

/**
 * Loads and validates a config file. Problems are InputErrors on the input that named the
 * file (`config-file` by default), with the JSON path of each offending value.
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
      `${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`
    )
  }
  let document: unknown
  try {
    document = parse(text)
  } catch (error) {
    throw new InputError(inputName, `valid YAML (${(error as Error).message.split('\n')[0]})`, path)
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
  if (!validate(document)) {
    throw new InputError(
      inputName,
      `a file matching slipway.schema.json (${describeErrors(validate.errors ?? [])})`,
      path
    )
  }
  return document as ConfigFile
}

function describeErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map(error => {
      const where = error.instancePath || '/'
      if (error.keyword === 'additionalProperties') {
        return `${where}: unknown key '${(error.params as { additionalProperty: string }).additionalProperty}'`
      }
      return `${where}: ${error.message}`
    })
    .join('; ')
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
      environment
    )
  }
  return { ...defaults, ...(section[stage] ?? {}) }
}
