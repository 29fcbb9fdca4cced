import { accessSync, constants, statSync } from 'node:fs'
import { InputError, type Redactor } from '@slipway/kit'
import { parseImageReference } from './image-reference.js'

/**
 * Checks of single docker inputs, each throwing an InputError that names the input, the form
 * expected and what was given (never a secret's value).
 */

// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const CONTROL = /[\x00-\x1F\x7F]/

export function checkImage(image: string): string {
  if (!parseImageReference(image))
    throw new InputError(
      'image',
      'an image reference such as registry.example.com/team/app:1.2.3 or app@sha256:<64 hex> (lower-case name)',
      image
    )
  return image
}

export function checkReadableFile(input: string, path: string, what: string): string {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file')
    accessSync(path, constants.R_OK)
  } catch {
    throw new InputError(input, `a readable file (${what})`, path)
  }
  return path
}

export function checkPort(input: string, value: number | undefined, max = 65535): number {
  if (value === undefined || !Number.isInteger(value) || value < 1 || value > max)
    throw new InputError(
      input,
      `a TCP port from 1 to ${max}`,
      value === undefined ? undefined : String(value)
    )
  return value
}

/** `KEY=VALUE` lines (blank lines and `#` comments skipped); values are registered as secrets. */
export function parseSecretEnv(
  text: string | undefined,
  redactor?: Redactor
): Record<string, string> {
  const values: Record<string, string> = {}
  if (!text) return values
  const lines = text.split(/\r?\n/)
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    const key = eq > 0 ? line.slice(0, eq) : ''
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || CONTROL.test(line))
      // Never the line itself: it may hold a secret.
      throw new InputError(
        'secret-env',
        'KEY=VALUE lines (KEY of letters, digits and _)',
        `line ${index + 1}`
      )
    const value = raw.slice(raw.indexOf('=') + 1).replace(/\s+$/, '')
    values[key] = value
    redactor?.add(value)
  }
  return values
}

/** `key=value` items; the `slipway.` labels are ours. */
export function parseLabels(items: string[]): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const item of items
    .flatMap(i => i.split('\n'))
    .map(i => i.trim())
    .filter(Boolean)) {
    const eq = item.indexOf('=')
    const key = eq > 0 ? item.slice(0, eq) : ''
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(key) || CONTROL.test(item))
      throw new InputError('labels', 'key=value items (keys of letters, digits and ._/-)', item)
    if (key.startsWith('slipway.'))
      throw new InputError('labels', 'labels outside slipway.* (Slipway sets those itself)', item)
    labels[key] = item.slice(eq + 1)
  }
  return labels
}

/** A JSON list of arguments (`["node","server.js"]`), or words separated by spaces. */
export function parseCmd(text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const trimmed = text.trim()
  let args: unknown
  if (trimmed.startsWith('[')) {
    try {
      args = JSON.parse(trimmed)
    } catch {
      throw new InputError('cmd', 'a JSON list of strings, or words separated by spaces', text)
    }
  } else args = trimmed.split(/\s+/)
  if (
    !Array.isArray(args) ||
    args.length === 0 ||
    args.some(a => typeof a !== 'string' || CONTROL.test(a))
  )
    throw new InputError(
      'cmd',
      'a JSON list of strings (no control characters), or words separated by spaces',
      text
    )
  return args as string[]
}

export function checkPattern(
  input: string,
  value: string | undefined,
  pattern: RegExp,
  expected: string
): string | undefined {
  if (value === undefined || value === '') return undefined
  if (!pattern.test(value)) throw new InputError(input, expected, value)
  return value
}

export function checkInteger(input: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new InputError(input, `an integer from ${min} to ${max}`, String(value))
  return value
}

export function checkVolumes(items: string[]): string[] {
  const volumes = items
    .flatMap(i => i.split('\n'))
    .map(i => i.trim())
    .filter(Boolean)
  for (const volume of volumes) {
    if (CONTROL.test(volume) || volume.startsWith('-') || !volume.includes(':'))
      throw new InputError('volumes', 'source:target[:options] items, one per line', volume)
  }
  return volumes
}
