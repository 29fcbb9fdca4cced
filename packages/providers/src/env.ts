import type { Weights } from './types.js'

/** `blue=95,green=5`: easy to read in bash (`IFS=, read -a`), stable order. */
export function formatWeights(weights: Weights): string {
  return Object.entries(weights)
    .map(([name, weight]) => `${name}=${weight}`)
    .join(',')
}

/**
 * The environment every user hook receives. Our values reach user commands ONLY this way:
 * never interpolated into the command text, so a version like `1.0; rm -rf /` stays data.
 */
export function hookEnv(
  values: Record<string, string | number | undefined>
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) env[`SLIPWAY_${key}`] = String(value)
  }
  return env
}
