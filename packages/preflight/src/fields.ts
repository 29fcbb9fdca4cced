import { InputError, parseDuration, redactUrlPasswords } from '@slipway/kit'
import { parseSize } from '@slipway/probes'

/**
 * Reads the fields of one YAML check entry (`checks[2]`) with the same rules as action inputs:
 * every problem is an InputError whose input is the field's path (`checks[2].url`), and a
 * field nobody read is an error too, so a typo (`expect_status`) cannot be silently ignored.
 */
export class EntryReader {
  private readonly seen = new Set<string>()

  /**
   * @param labels input names for fields that came from plain action inputs
   *   (`{ url: 'http-url' }`), so their errors name the input the user wrote.
   */
  constructor(
    readonly path: string,
    private readonly entry: Record<string, unknown>,
    private readonly labels: Record<string, string> = {}
  ) {}

  at(key: string): string {
    return this.labels[key] ?? `${this.path}.${key}`
  }

  has(key: string): boolean {
    return this.entry[key] !== undefined && this.entry[key] !== null
  }

  value(key: string): unknown {
    this.seen.add(key)
    const value = this.entry[key]
    return value === null ? undefined : value
  }

  string(key: string, required = false): string | undefined {
    const value = this.value(key)
    if (value === undefined || value === '') {
      if (required) throw new InputError(this.at(key), 'a value', undefined)
      return undefined
    }
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    if (typeof value !== 'string') throw new InputError(this.at(key), 'a string', value)
    return value.trim()
  }

  requiredString(key: string): string {
    return this.string(key, true) as string
  }

  int(
    key: string,
    options: { min?: number; max?: number; default?: number; required?: boolean } = {}
  ): number | undefined {
    const value = this.value(key)
    const expected =
      options.min !== undefined && options.max !== undefined
        ? `a whole number from ${options.min} to ${options.max}`
        : options.min !== undefined
          ? `a whole number of at least ${options.min}`
          : 'a whole number'
    if (value === undefined || value === '') {
      if (options.required) throw new InputError(this.at(key), expected, undefined)
      return options.default
    }
    const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value
    if (typeof number !== 'number' || !Number.isInteger(number))
      throw new InputError(this.at(key), expected, value)
    if (options.min !== undefined && number < options.min)
      throw new InputError(this.at(key), expected, value)
    if (options.max !== undefined && number > options.max)
      throw new InputError(this.at(key), expected, value)
    return number
  }

  bool(key: string, fallback = false): boolean {
    const value = this.value(key)
    if (value === undefined) return fallback
    if (typeof value === 'boolean') return value
    if (value === 'true') return true
    if (value === 'false') return false
    throw new InputError(this.at(key), 'true or false', value)
  }

  duration(key: string, fallback?: number): number | undefined {
    const value = this.value(key)
    if (value === undefined || value === '') return fallback
    const ms =
      typeof value === 'number'
        ? value * 1000
        : typeof value === 'string'
          ? parseDuration(value)
          : undefined
    if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
      throw new InputError(this.at(key), 'a duration such as 30s, 5m or 1h30m', value)
    }
    return Math.round(ms)
  }

  size(key: string, required = false): number | undefined {
    const value = this.value(key)
    if (value === undefined || value === '') {
      if (required) throw new InputError(this.at(key), 'a size such as 2GiB or 500MB', undefined)
      return undefined
    }
    const bytes = parseSize(String(value))
    if (bytes === undefined)
      throw new InputError(this.at(key), 'a size such as 2GiB, 500MB or 1048576 (bytes)', value)
    return bytes
  }

  /** A YAML list of strings, or one string of comma/newline-separated items. */
  list(key: string, required = false): string[] | undefined {
    const value = this.value(key)
    if (value === undefined || value === '') {
      if (required) throw new InputError(this.at(key), 'a list', undefined)
      return undefined
    }
    const items = Array.isArray(value)
      ? value
      : typeof value === 'string'
        ? value.split(/[\n,]/)
        : undefined
    if (!items || items.some(item => typeof item !== 'string' && typeof item !== 'number')) {
      throw new InputError(this.at(key), 'a list of strings', value)
    }
    const list = items.map(item => String(item).trim()).filter(item => item !== '')
    if (required && list.length === 0) throw new InputError(this.at(key), 'a non-empty list', value)
    return list
  }

  /** A mapping of names to text values (headers, environment variables). */
  map(key: string): Record<string, string> | undefined {
    const value = this.value(key)
    if (value === undefined) return undefined
    if (typeof value !== 'object' || Array.isArray(value))
      throw new InputError(this.at(key), 'a mapping of names to values', value)
    const result: Record<string, string> = {}
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
        throw new InputError(`${this.at(key)}.${name}`, 'a text value', item)
      }
      result[name] = String(item)
    }
    return result
  }

  /** Fails on any field that no reader asked for: `allowed` lists them for the message. */
  finish(type: string): void {
    const unknown = Object.keys(this.entry).filter(key => !this.seen.has(key))
    if (unknown.length === 0) return
    const allowed = [...this.seen].sort().join(', ')
    throw new InputError(
      this.at(unknown[0]),
      `one of the fields of a ${type} check (${allowed})`,
      redactUrlPasswords(unknown[0])
    )
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
