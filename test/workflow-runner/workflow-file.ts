/**
 * A workflow file as the runner reads it: checked by GitHub's own parser
 * (@actions/workflow-parser, with our reusable workflows resolved from this checkout), then its
 * YAML document, which the runner walks. A file the parser rejects is not run.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { repoRoot } from '../helpers/run-bundle.js'
import { parserErrors, triggers, type Job, type Workflow } from '../workflows/workflows.js'
import { WorkflowError } from './expressions.js'

export interface InputSpec {
  type?: string
  required?: boolean
  default?: unknown
}

export interface LoadedWorkflow {
  path: string
  doc: Workflow & { env?: Record<string, unknown>; name?: string }
}

export interface RunnerJob extends Job {
  env?: Record<string, unknown>
  'runs-on'?: unknown
  'timeout-minutes'?: unknown
  'continue-on-error'?: unknown
  steps?: RunnerStep[]
}

export interface RunnerStep {
  id?: string
  name?: string
  uses?: string
  run?: string
  shell?: string
  'working-directory'?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
  if?: unknown
  'continue-on-error'?: unknown
  'timeout-minutes'?: unknown
}

/** Loads a workflow from `text`, or from `path` (relative to the repository root) when no text. */
export async function loadWorkflow(path: string, text?: string): Promise<LoadedWorkflow> {
  const content = text ?? readFileSync(join(repoRoot, path), 'utf8')
  const errors = await parserErrors(path, content)
  if (errors.length > 0) {
    throw new WorkflowError(`${path} does not parse:\n${errors.join('\n')}`)
  }
  return { path, doc: (parse(content) ?? {}) as LoadedWorkflow['doc'] }
}

/** The inputs a trigger declares (`workflow_dispatch` or `workflow_call`). */
export function declaredInputs(
  doc: Workflow,
  trigger: 'workflow_dispatch' | 'workflow_call'
): Record<string, InputSpec> {
  const on = triggers(doc)[trigger] as { inputs?: Record<string, InputSpec | null> } | null
  return Object.fromEntries(
    Object.entries(on?.inputs ?? {}).map(([name, spec]) => [name, spec ?? {}])
  )
}

/** Every input name a workflow declares on any trigger: what `inputs.<name>` may reference. */
export function allInputNames(doc: Workflow): Set<string> {
  return new Set([
    ...Object.keys(declaredInputs(doc, 'workflow_dispatch')),
    ...Object.keys(declaredInputs(doc, 'workflow_call'))
  ])
}

/** A given input value converted to the declared type, as GitHub does for `inputs`. */
export function typedInput(name: string, spec: InputSpec, value: unknown): unknown {
  if (spec.type === 'boolean') {
    if (typeof value === 'boolean') return value
    if (value === 'true' || value === 'false') return value === 'true'
    throw new WorkflowError(`input ${name} is a boolean; given ${JSON.stringify(value)}`)
  }
  if (spec.type === 'number') {
    const number = Number(value)
    if (value === '' || Number.isNaN(number)) {
      throw new WorkflowError(`input ${name} is a number; given ${JSON.stringify(value)}`)
    }
    return number
  }
  if (spec.type === 'choice' || spec.type === 'string' || spec.type === 'environment') {
    return value === null || value === undefined ? '' : String(value)
  }
  return value
}

/**
 * The `inputs` context: each declared input's default, then the given values; a given name the
 * trigger does not declare, or a required input not given, is an error.
 */
export function inputsContext(
  specs: Record<string, InputSpec>,
  given: Record<string, unknown>,
  where: string
): Record<string, unknown> {
  const unknown = Object.keys(given).filter(name => !(name in specs))
  if (unknown.length > 0) {
    throw new WorkflowError(
      `${where}: ${unknown.join(', ')} not declared (declared: ${Object.keys(specs).join(', ')})`
    )
  }
  const inputs: Record<string, unknown> = {}
  for (const [name, spec] of Object.entries(specs)) {
    if (name in given) inputs[name] = typedInput(name, spec, given[name])
    else if (spec.required && spec.default === undefined) {
      throw new WorkflowError(`${where}: required input ${name} not given`)
    } else if (spec.default !== undefined) inputs[name] = typedInput(name, spec, spec.default)
    else inputs[name] = spec.type === 'boolean' ? false : spec.type === 'number' ? 0 : ''
  }
  return inputs
}
