import { readFile } from 'node:fs/promises'
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv'
import type { Probe } from './types.js'

/**
 * ajv (three drafts and the formats) and yaml, loaded by the check that uses them rather than
 * by every action that bundles the probes: an input error or a dry run never parses them.
 */
async function loadValidators() {
  const [ajv, ajv2019, ajv2020, formats, { parse: parseYaml }] = await Promise.all([
    import('ajv'),
    import('ajv/dist/2019.js'),
    import('ajv/dist/2020.js'),
    import('ajv-formats'),
    import('yaml')
  ])
  // ajv's modules are CommonJS whose module.exports is the class: Node and jest give the named
  // export, but webpack's namespace for a function export (the ncc bundle) carries only
  // `default`, where the named one is undefined ("Ajv is not a constructor").
  const Ajv = (ajv.Ajv ?? ajv.default) as typeof ajv.Ajv
  const Ajv2019 = (ajv2019.Ajv2019 ?? ajv2019.default) as typeof ajv2019.Ajv2019
  const Ajv2020 = (ajv2020.Ajv2020 ?? ajv2020.default) as typeof ajv2020.Ajv2020
  // ajv-formats is CommonJS with `exports.default`; depending on the loader the default import
  // is the function itself or the module object.
  const addFormatsModule = formats.default as unknown
  const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
    ajv: Ajv
  ) => Ajv
  return { Ajv, Ajv2019, Ajv2020, addFormats, parseYaml }
}
type Validators = Awaited<ReturnType<typeof loadValidators>>

export interface ConfigSchemaSpec {
  /** The configuration file: YAML or JSON (JSON is read as YAML, which it is). */
  file: string
  /** A JSON Schema file (JSON or YAML); draft-07 by default, 2019-09 or 2020-12 by `$schema`. */
  schema: string
}

const MAX_ERRORS = 10

/**
 * Passes when the file parses and is valid against the schema. Every violation is listed with
 * its instance path (`/server/port must be integer`), so the step says what to fix.
 */
export const configSchemaProbe: Probe<ConfigSchemaSpec> = async spec => {
  const validators = await loadValidators()
  const schema = await readDocument(validators, spec.schema, 'schema')
  if (!schema.ok) return schema.outcome
  let validate: ValidateFunction
  try {
    validate = compile(validators, schema.value)
  } catch (error) {
    return {
      ok: false,
      message: `${spec.schema} is not a usable JSON Schema: ${(error as Error).message}`
    }
  }
  const document = await readDocument(validators, spec.file, 'config')
  if (!document.ok) return document.outcome
  if (validate(document.value))
    return { ok: true, message: `${spec.file} is valid against ${spec.schema}` }
  const errors = (validate.errors ?? []).map(formatError)
  const shown = errors.slice(0, MAX_ERRORS)
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : ''
  return {
    ok: false,
    message: `${spec.file} is invalid (${errors.length} error${errors.length === 1 ? '' : 's'}): ${shown.join('; ')}${more}`,
    details: { errors }
  }
}

/** `/server/port must be integer`; the root is shown as `/`. */
export function formatError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
      : error.keyword === 'enum'
        ? ` (${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(v => JSON.stringify(v)).join(', ')})`
        : ''
  return `${path} ${error.message ?? error.keyword}${extra}`
}

function compile(
  { Ajv, Ajv2019, Ajv2020, addFormats }: Validators,
  schema: unknown
): ValidateFunction {
  const draft =
    typeof schema === 'object' && schema !== null
      ? String((schema as { $schema?: unknown }).$schema ?? '')
      : ''
  const options = { allErrors: true, strict: false }
  const ajv = draft.includes('2020-12')
    ? new Ajv2020(options)
    : draft.includes('2019-09')
      ? new Ajv2019(options)
      : new Ajv(options)
  addFormats(ajv as Ajv)
  return ajv.compile(schema as object)
}

type Read = { ok: true; value: unknown } | { ok: false; outcome: { ok: false; message: string } }

async function readDocument({ parseYaml }: Validators, path: string, what: string): Promise<Read> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      ok: false,
      outcome: {
        ok: false,
        message: `cannot read the ${what} file ${path}: ${code ?? (error as Error).message}`
      }
    }
  }
  try {
    return { ok: true, value: parseYaml(text, { prettyErrors: false }) }
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]
    return {
      ok: false,
      outcome: { ok: false, message: `the ${what} file ${path} is not valid YAML/JSON: ${reason}` }
    }
  }
}
