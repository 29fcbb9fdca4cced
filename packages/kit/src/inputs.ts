import { parseDuration } from './duration.js'
import { InputError } from './errors.js'
import { ParserNotLoadedError, parseYaml } from './parsers.js'
import { redactUrlPasswords } from './redact.js'
import { didYouMean } from './suggest.js'

/** Where input values come from: the runner's INPUT_* variables, CLI flags, a config file. */
export type InputSource = (name: string) => string | undefined

/** Reads inputs the way @actions/core does: `INPUT_<NAME>` with spaces as underscores, upper-cased. */
export function environmentInputs(env: NodeJS.ProcessEnv = process.env): InputSource {
  return name => env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]
}

/** The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them. */
export const TRUE_TEXTS = ['true', 'True', 'TRUE'] as const
export const FALSE_TEXTS = ['false', 'False', 'FALSE'] as const

interface Common {
  required?: boolean
}

/**
 * Options under which a reader always returns a value: an input that must be given, or one
 * with a default. The overloads below use them so callers need no `!` after such reads.
 */
type Present<Value> = { required: true } | { default: Value }

type IntOptions = Common & { default?: number; min?: number; max?: number }
/** `default` is a duration text, parsed and checked like a given value. */
type DurationOptions = Common & { default?: string; min?: number }
type UrlOptions = Common & { protocols?: string[] }

/**
 * Typed input readers. Every reader trims, treats an empty value as absent, and throws an
 * InputError naming the input, the expected form and what it received.
 */
export class Inputs {
  /** Names of every input read, so the contract test can compare them with action.yml. */
  readonly read = new Set<string>()

  constructor(private readonly source: InputSource = environmentInputs()) {}

  raw(name: string): string | undefined {
    this.read.add(name)
    const value = this.source(name)?.trim()
    return value === undefined || value === '' ? undefined : value
  }

  string(name: string, options: Common & { default?: string } & Present<string>): string
  string(name: string, options?: Common & { default?: string }): string | undefined
  string(name: string, options: Common & { default?: string } = {}): string | undefined {
    const value = this.raw(name)
    if (value === undefined) return this.missing(name, 'a value', options.required, options.default)
    return value
  }

  requiredString(name: string): string {
    return this.string(name, { required: true })
  }

  int(name: string, options: IntOptions & Present<number>): number
  int(name: string, options?: IntOptions): number | undefined
  int(name: string, options: IntOptions = {}): number | undefined {
    const value = this.raw(name)
    const expected = rangeText('a whole number', options.min, options.max)
    if (value === undefined) return this.missing(name, expected, options.required, options.default)
    if (!/^-?\d+$/.test(value)) throw new InputError(name, expected, value)
    const number = Number(value)
    if (options.min !== undefined && number < options.min)
      throw new InputError(name, expected, value)
    if (options.max !== undefined && number > options.max)
      throw new InputError(name, expected, value)
    return number
  }

  bool(name: string, defaultValue = false): boolean {
    const value = this.raw(name)
    if (value === undefined) return defaultValue
    if ((TRUE_TEXTS as readonly string[]).includes(value)) return true
    if ((FALSE_TEXTS as readonly string[]).includes(value)) return false
    throw new InputError(name, 'true or false', value)
  }

  /** A duration in milliseconds (`30s`, `5m`, `1h30m`, `250ms`; a bare number is seconds). */
  duration(name: string, options: DurationOptions & Present<string>): number
  duration(name: string, options?: DurationOptions): number | undefined
  duration(name: string, options: DurationOptions = {}): number | undefined {
    const value = this.raw(name) ?? options.default
    const expected = 'a duration such as 30s, 5m or 1h30m'
    if (value === undefined) return this.missing(name, expected, options.required, undefined)
    const ms = parseDuration(value)
    if (ms === undefined) throw new InputError(name, expected, value)
    if (options.min !== undefined && ms < options.min)
      throw new InputError(name, `${expected}, at least ${options.min}ms`, value)
    return ms
  }

  /** A list separated by commas or new lines; blank entries are dropped. */
  list(name: string, options: Common = {}): string[] {
    const value = this.raw(name)
    if (value === undefined) {
      if (options.required) throw new InputError(name, 'a comma- or newline-separated list', value)
      return []
    }
    return value
      .split(/[\n,]/)
      .map(item => item.trim())
      .filter(item => item !== '')
  }

  // The allowed values alone decide T (NoInfer): a default outside them is a type error.
  enumOf<T extends string>(
    name: string,
    allowed: readonly T[],
    options: Common & { default?: NoInfer<T> } & Present<NoInfer<T>>
  ): T
  enumOf<T extends string>(
    name: string,
    allowed: readonly T[],
    options?: Common & { default?: NoInfer<T> }
  ): T | undefined
  enumOf<T extends string>(
    name: string,
    allowed: readonly T[],
    options: Common & { default?: T } = {}
  ): T | undefined {
    const value = this.raw(name)
    const expected = `one of ${allowed.join(', ')}`
    if (value === undefined) return this.missing(name, expected, options.required, options.default)
    if (!(allowed as readonly string[]).includes(value))
      throw new InputError(name, expected, value, didYouMean(value, allowed))
    return value as T
  }

  url(name: string, options: UrlOptions & { required: true }): URL
  url(name: string, options?: UrlOptions): URL | undefined
  url(name: string, options: UrlOptions = {}): URL | undefined {
    const protocols = options.protocols ?? ['http:', 'https:']
    const expected = `a URL starting with ${protocols.map(p => `${p}//`).join(' or ')}`
    const value = this.raw(name)
    if (value === undefined) return this.missing(name, expected, options.required, undefined)
    let parsed: URL
    try {
      parsed = new URL(value)
    } catch {
      throw new InputError(name, expected, redactUrlPasswords(value))
    }
    if (!protocols.includes(parsed.protocol))
      throw new InputError(name, expected, redactUrlPasswords(value))
    return parsed
  }

  /** A YAML (or JSON, which is YAML) document. The caller validates its shape. */
  yaml(name: string, options: Common = {}): unknown {
    const value = this.raw(name)
    if (value === undefined)
      return this.missing(name, 'a YAML document', options.required, undefined)
    try {
      return parseYaml(value, { prettyErrors: false })
    } catch (error) {
      if (error instanceof ParserNotLoadedError) throw error
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
      throw new InputError(name, `valid YAML (${reason})`, value)
    }
  }

  json(name: string, options: Common = {}): unknown {
    const value = this.raw(name)
    if (value === undefined)
      return this.missing(name, 'a JSON document', options.required, undefined)
    try {
      return JSON.parse(value)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new InputError(name, `valid JSON (${reason})`, value)
    }
  }

  private missing<T>(
    name: string,
    expected: string,
    required: boolean | undefined,
    fallback: T | undefined
  ): T | undefined {
    if (required) throw new InputError(name, expected, undefined)
    return fallback
  }
}

function rangeText(base: string, min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `${base} from ${min} to ${max}`
  if (min !== undefined) return `${base} of at least ${min}`
  if (max !== undefined) return `${base} of at most ${max}`
  return base
}
