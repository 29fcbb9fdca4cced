/**
 * A canary's place as its Deployment's newest status describes it, in the form the deploy stage
 * writes (`describeCanaryProgress` in packages/strategies):
 * `canary step 2/4: green=25 blue=75; analysis at 5% passed: <reason>`.
 * Parsed here rather than imported so `slipway status` does not load the deploy engine.
 */
export interface CanaryStepLine {
  step: number
  steps: number
  /** Percent per target. */
  weights: Record<string, number>
  /** The last analysis that finished; undefined before the first. */
  analysis?: { weight: number; ok: boolean; reason: string }
}

const FORM =
  /^canary step (\d+)\/(\d+): ((?:[^\s=;]+=\d+)(?: [^\s=;]+=\d+)*)(?:; analysis at (\d+)% (passed|failed)(?:: (.*))?)?$/

/** The canary's step, or undefined when the description is anything else. */
export function parseCanaryProgress(description: string): CanaryStepLine | undefined {
  const match = FORM.exec(description.trim())
  if (!match) return undefined
  const [, step, steps, weightText, analysisWeight, verdict, reason] = match
  const weights = Object.fromEntries(
    weightText.split(' ').map(pair => {
      const at = pair.lastIndexOf('=')
      return [pair.slice(0, at), Number(pair.slice(at + 1))]
    })
  )
  return {
    step: Number(step),
    steps: Number(steps),
    weights,
    ...(analysisWeight !== undefined
      ? {
          analysis: {
            weight: Number(analysisWeight),
            ok: verdict === 'passed',
            reason: reason ?? ''
          }
        }
      : {})
  }
}
