/**
 * `${{ }}` expressions evaluated with GitHub's own engine (@actions/expressions), with the
 * runner's status functions. An expression that does not lex, parse or evaluate throws, and so
 * does a reference GitHub would silently read as null but that is always a mistake in a test:
 * an input the workflow does not declare, a step id the job does not have, a job not in `needs`.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import { TokenType, type Token } from '@actions/expressions/lexer'

export class WorkflowError extends Error {}

export const CONTEXT_NAMES = [
  'github',
  'inputs',
  'vars',
  'secrets',
  'env',
  'steps',
  'needs',
  'runner',
  'job',
  'jobs',
  'matrix',
  'strategy'
]

/** What the status functions answer where the expression is evaluated. */
export interface Status {
  failure: boolean
  cancelled: boolean
  /** Jobs: every job in `needs` succeeded (a skipped one does not); steps: no step failed. */
  success?: boolean
}

/** Names an expression may reference under a context; a context not listed is not checked. */
export type KnownNames = Partial<Record<'inputs' | 'steps' | 'needs', Set<string>>>

export interface Scope {
  contexts: Record<string, unknown>
  status?: Status
  known?: KnownNames
  /** Where the expression is, for the error message. */
  where: string
}

function statusFunctions(status: Status) {
  const results = {
    success: (status.success ?? !status.failure) && !status.cancelled,
    failure: status.failure && !status.cancelled,
    cancelled: status.cancelled,
    always: true
  }
  return new Map(
    Object.entries(results).map(([name, result]) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(result) }
    ])
  )
}

function checkReferences(tokens: Token[], known: KnownNames, expression: string, where: string) {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [name, dot, key] = tokens.slice(i, i + 3)
    if (name.type !== TokenType.IDENTIFIER || dot.type !== TokenType.DOT) continue
    if (i > 0 && tokens[i - 1].type === TokenType.DOT) continue
    const names = known[name.lexeme as keyof KnownNames]
    if (!names || key.type !== TokenType.IDENTIFIER) continue
    if (!names.has(key.lexeme)) {
      throw new WorkflowError(
        `${where}: \`${expression}\` references ${name.lexeme}.${key.lexeme}, which is not defined here (known: ${[...names].join(', ') || 'none'})`
      )
    }
  }
}

/** Evaluates one expression body (without `${{ }}`). */
export function evaluate(expression: string, scope: Scope): data.ExpressionData {
  const functions = statusFunctions(scope.status ?? { failure: false, cancelled: false })
  try {
    const { tokens } = new Lexer(expression).lex()
    if (scope.known) checkReferences(tokens, scope.known, expression, scope.where)
    const parsed = new Parser(tokens, CONTEXT_NAMES, [...functions.values()]).parse()
    const context = JSON.parse(JSON.stringify(scope.contexts), data.reviver) as data.Dictionary
    return new Evaluator(parsed, context, functions).evaluate()
  } catch (error) {
    if (error instanceof WorkflowError) throw error
    throw new WorkflowError(
      `${scope.where}: \`${expression}\` does not evaluate: ${(error as Error).message}`,
      { cause: error }
    )
  }
}

export function truthy(value: data.ExpressionData): boolean {
  if (value instanceof data.Null) return false
  if (value instanceof data.BooleanData) return value.value
  if (value instanceof data.NumberData) return value.value !== 0 && !Number.isNaN(value.value)
  if (value instanceof data.StringData) return value.value !== ''
  return true
}

export function toPlain(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer) ?? 'null')
}

const WHOLE = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/
const ANY = /\$\{\{([\s\S]*?)\}\}/g

/**
 * A YAML value as the runner renders it: a string that is one whole expression keeps the
 * expression's type (a boolean stays a boolean), other strings get each `${{ }}` replaced by its
 * string form, and mappings and lists are rendered member by member.
 */
export function render(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value)
    if (whole && !whole[1].includes('}}')) return toPlain(evaluate(whole[1].trim(), scope))
    return value.replace(ANY, (_, body: string) => evaluate(body.trim(), scope).coerceString())
  }
  if (Array.isArray(value)) return value.map(item => render(item, scope))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, scope)]))
  }
  return value
}

/** A rendered value as a string, the way an action input or an env variable receives it. */
export function renderString(value: unknown, scope: Scope): string {
  if (typeof value === 'string') {
    return value.replace(ANY, (_, body: string) => evaluate(body.trim(), scope).coerceString())
  }
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(render(value, scope))
  return String(value)
}

/** An `if:` as the runner decides it: `success() && (…)` unless a status function is used. */
export function decide(condition: unknown, scope: Scope): boolean {
  if (condition === undefined || condition === null) condition = 'success()'
  if (typeof condition === 'boolean') return condition && evaluateStatus('success()', scope)
  let text = String(condition).trim()
  const wrapped = WHOLE.exec(text)
  if (wrapped) text = wrapped[1].trim()
  if (!/\b(success|failure|always|cancelled)\s*\(\s*\)/.test(text)) {
    text = `success() && (${text})`
  }
  return truthy(evaluate(text, scope))
}

function evaluateStatus(text: string, scope: Scope): boolean {
  return truthy(evaluate(text, scope))
}
