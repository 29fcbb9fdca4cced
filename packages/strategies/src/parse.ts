import { InputError, ParserNotLoadedError, parseDuration, parseYaml } from '@slipway/kit'
import type { CanaryStep } from './types.js'

const STEPS_EXPECTED =
  'weights such as 5,25,50,100 (increasing, 1–100) or a YAML list of setWeight / pause / analysis'

/**
 * Parses the canary `steps` input: `5,25,50,100`, or a YAML list such as
 * `- setWeight: 5` / `- pause: 30s` / `- analysis: {}`. Weights must increase and end at 100
 * (a final 100 is appended when missing, as Argo Rollouts promotes after the last step).
 */
export function parseCanarySteps(text: string, input = 'steps'): CanaryStep[] {
  const trimmed = text.trim()
  let steps: CanaryStep[]
  if (/^[\d\s,%]+$/.test(trimmed)) {
    steps = trimmed
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(part => ({ setWeight: parseWeight(part.replace(/%$/, ''), input, text) }))
  } else {
    let doc: unknown
    try {
      doc = parseYaml(trimmed, { prettyErrors: false })
    } catch (error) {
      if (error instanceof ParserNotLoadedError) throw error
      throw new InputError(
        input,
        `${STEPS_EXPECTED} (YAML error: ${(error as Error).message.split('\n')[0]})`,
        text
      )
    }
    if (!Array.isArray(doc) || doc.length === 0) throw new InputError(input, STEPS_EXPECTED, text)
    steps = doc.map(item => parseStep(item, input, text))
  }
  let last = 0
  for (const step of steps) {
    if (!('setWeight' in step)) continue
    if (step.setWeight <= last)
      throw new InputError(
        input,
        `${STEPS_EXPECTED}; ${step.setWeight} does not increase after ${last}`,
        text
      )
    last = step.setWeight
  }
  if (last === 0) throw new InputError(input, `${STEPS_EXPECTED}; no setWeight step`, text)
  if (last !== 100) steps.push({ setWeight: 100 })
  return steps
}

function parseWeight(value: unknown, input: string, text: string): number {
  const number =
    typeof value === 'number' ? value : /^\d+$/.test(String(value).trim()) ? Number(value) : NaN
  if (!Number.isInteger(number) || number < 1 || number > 100) {
    throw new InputError(
      input,
      `${STEPS_EXPECTED}; weight ${JSON.stringify(value)} is not a whole number from 1 to 100`,
      text
    )
  }
  return number
}

function parseStep(item: unknown, input: string, text: string): CanaryStep {
  if (
    item === null ||
    typeof item !== 'object' ||
    Array.isArray(item) ||
    Object.keys(item).length !== 1
  ) {
    throw new InputError(input, `${STEPS_EXPECTED}; each item has exactly one key`, text)
  }
  const [key, value] = Object.entries(item as Record<string, unknown>)[0]
  if (key === 'setWeight') return { setWeight: parseWeight(value, input, text) }
  if (key === 'pause') {
    const ms =
      typeof value === 'number' ? value * 1000 : parseDuration(String(value?.toString() ?? ''))
    if (ms === undefined || !Number.isFinite(ms))
      throw new InputError(input, `${STEPS_EXPECTED}; pause needs a duration such as 30s`, text)
    return { pause: ms }
  }
  if (key === 'analysis') {
    // Inline settings would be silently ignored: the analysis is configured by the action inputs.
    const empty =
      value === null ||
      value === true ||
      (typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.keys(value as object).length === 0)
    if (!empty)
      throw new InputError(
        input,
        `${STEPS_EXPECTED}; write \`analysis: {}\` (settings come from interval, failure-limit, analysis-url … inputs)`,
        text
      )
    return { analysis: true }
  }
  throw new InputError(input, `${STEPS_EXPECTED}; unknown step '${key}'`, text)
}

/**
 * `batch-size` / `max-unavailable`: a count (`2`) or a share of the hosts (`25%`, rounded up
 * so a small fleet still moves). Zero is refused: a rollout that updates nothing never ends.
 */
export function parseHostCount(text: string, hosts: number, input: string): number {
  const value = text.trim()
  const expected = 'a whole number of hosts (at least 1) or a percentage such as 25%'
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(value)
  if (percent) {
    const share = Number(percent[1])
    if (share <= 0 || share > 100) throw new InputError(input, expected, text)
    return Math.max(1, Math.ceil((hosts * share) / 100))
  }
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InputError(input, expected, text)
  return Number(value)
}
