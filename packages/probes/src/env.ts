import type { Probe } from './types.js'

export interface EnvSpec {
  /** Variable names that must be set and non-empty. */
  names: string[]
  /** Where to look; the process environment by default. */
  env?: NodeJS.ProcessEnv
}

/**
 * Passes when every named variable is set to a non-blank value. Only names ever appear in
 * the message and details — values are secrets more often than not.
 */
export const envProbe: Probe<EnvSpec> = async spec => {
  const env = spec.env ?? process.env
  const missing = spec.names.filter(name => (env[name] ?? '').trim() === '')
  const present = spec.names.filter(name => !missing.includes(name))
  const details = { present, missing }
  if (missing.length > 0) {
    return {
      ok: false,
      message: `missing or empty: ${missing.join(', ')} (${present.length} of ${spec.names.length} set)`,
      details
    }
  }
  return { ok: true, message: `all ${spec.names.length} set: ${spec.names.join(', ')}`, details }
}
