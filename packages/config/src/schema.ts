import { STAGES, type Stage } from './stages.js'
import { valueSchema, valueTypeOf } from './value-types.js'

/** What the schema needs to know of an action.yml. */
export interface ActionInputsDoc {
  inputs?: Record<string, { description?: string; default?: unknown; required?: boolean }>
}

/** Inputs that only make sense per run, never in a committed file. */
const RUN_ONLY_INPUTS = new Set(['token', 'github-token', 'config-file', 'environment'])

/**
 * Builds the JSON Schema of the config file from the actions' own input declarations, so
 * editors complete exactly the inputs the actions accept and the schema cannot drift. Each
 * value's form (enum, duration, boolean, integer) comes from value-types.ts.
 */
export function buildConfigSchema(
  actions: Partial<Record<Stage, ActionInputsDoc>>
): Record<string, unknown> {
  const definitions: Record<string, unknown> = {}
  const stageProperties: Record<string, unknown> = {}
  for (const [stage, actionName] of Object.entries(STAGES) as [Stage, string][]) {
    const action = actions[stage]
    if (!action) continue
    const properties: Record<string, unknown> = {
      enabled: { type: 'boolean', description: `Run the ${stage} stage (default true).` }
    }
    for (const [input, spec] of Object.entries(action.inputs ?? {})) {
      if (RUN_ONLY_INPUTS.has(input)) continue
      const valueType = valueTypeOf(stage, input)
      properties[input] = {
        description: spec.description?.trim(),
        ...(spec.default !== undefined && spec.default !== '' ? { default: spec.default } : {}),
        // Free-text inputs take any YAML value: lists and structures become input text.
        ...(valueType
          ? valueSchema(valueType)
          : { type: ['string', 'number', 'boolean', 'array', 'object'] })
      }
    }
    definitions[stage] = {
      type: 'object',
      description: `Inputs of the ${actionName} action.`,
      additionalProperties: false,
      properties
    }
    stageProperties[stage] = { $ref: `#/definitions/${stage}` }
  }
  definitions.stages = { type: 'object', additionalProperties: false, properties: stageProperties }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/slipway-dev/slipway/blob/main/slipway.schema.json',
    title: 'Slipway configuration',
    description:
      'Stage inputs shared by every environment (defaults) and overridden per environment.',
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      $schema: { type: 'string' },
      version: { const: 1, description: 'The config file format version.' },
      defaults: { $ref: '#/definitions/stages', description: 'Inputs for every environment.' },
      environments: {
        type: 'object',
        description: 'Per-environment inputs, merged over the defaults.',
        propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' },
        additionalProperties: { $ref: '#/definitions/stages' }
      }
    },
    definitions
  }
}
