/**
 * Where a canary is while it runs: the weight step it reached, the weights it set and the last
 * analysis that finished. The deploy stage records it as the Deployment's `in_progress` status,
 * one status per weight step, so `slipway status` can show a canary under way from the records
 * alone (GitHub's Deployments API, or the ledger file).
 */
export interface CanaryProgress {
  /** The weight step reached, from 1. */
  step: number
  /** How many weight steps the plan has. */
  steps: number
  /** Percent per target, as the router was just told. */
  weights: Record<string, number>
  /** The last analysis that finished before this step, if one did. */
  analysis?: { weight: number; ok: boolean; reason: string }
}

/** GitHub keeps 140 characters of a status description; the records clip to that. */
const DESCRIPTION_LIMIT = 140

/**
 * The status description: `canary step 2/4: green=25 blue=75; analysis at 5% passed: <reason>`.
 * A status has no payload of its own, so this line is the record; `slipway status` parses it
 * (packages/cli/src/status/canary-progress.ts reads this exact form). The step and the
 * weights always fit; the analysis's reason is cut to what is left.
 */
export function describeCanaryProgress(progress: CanaryProgress): string {
  const weights = Object.entries(progress.weights)
    .map(([target, weight]) => `${target}=${weight}`)
    .join(' ')
  const head = `canary step ${progress.step}/${progress.steps}: ${weights}`
  const { analysis } = progress
  if (!analysis) return head
  const verdict = `; analysis at ${analysis.weight}% ${analysis.ok ? 'passed' : 'failed'}`
  const room = DESCRIPTION_LIMIT - head.length - verdict.length - 2
  if (room < 8) return `${head}${verdict}`.slice(0, DESCRIPTION_LIMIT)
  const reason = oneLine(analysis.reason)
  const clipped = reason.length > room ? `${reason.slice(0, room - 1)}…` : reason
  return `${head}${verdict}${clipped ? `: ${clipped}` : ''}`
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
