import { parsers, type InputSource } from '@slipway/kit'
import type { StageSection } from './config-file.js'

/**
 * Config values become input text as a user would write them in `with:`: a list of plain
 * values one per line (what list inputs such as canary `steps` or `hosts` take), structures as YAML.
 * A section comes from a config file, for which the front end preloads yaml.
 */
export function sectionInputs(section: StageSection): InputSource {
  return name => {
    const value = section[name]
    if (value === undefined || value === null) return undefined
    // One item per line: list inputs split on lines too, and an item may hold a comma itself
    // (a volume's `ro,z` options), which a comma-joined list would cut in two.
    if (Array.isArray(value) && value.every(item => item === null || typeof item !== 'object'))
      return value.join('\n')
    if (typeof value === 'object') return parsers.yaml().stringify(value).trimEnd()
    return String(value)
  }
}

/** The first source that has a non-blank value wins: explicit inputs, then the config file. */
export function layeredInputs(...sources: InputSource[]): InputSource {
  return name => {
    for (const source of sources) {
      const value = source(name)
      if (value !== undefined && value.trim() !== '') return value
    }
    return undefined
  }
}
