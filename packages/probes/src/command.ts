import { hookEnvironment, run, scriptArgs, type Redactor } from '@slipway/kit'
import type { Probe } from './types.js'

export interface CommandSpec {
  /** A bash script, run as `bash -c <script>`: the script is never combined with our values. */
  run: string
  /** Variables passed to the script (merged over the step's environment). */
  env?: Record<string, string>
  cwd?: string
  /** Secrets removed from the captured output. */
  redactor?: Redactor
}

const OUTPUT_LINES = 5

/**
 * Passes when the script exits 0. Our values reach it only through `env`; its output is
 * captured (last lines in the message, the redacted tail in details) and never streamed.
 */
export const commandProbe: Probe<CommandSpec> = async (spec, context) => {
  const result = await run('bash', scriptArgs(spec.run), {
    // The user's script: the job's variables, never INPUT_* or ACTIONS_* (hookEnvironment).
    baseEnv: hookEnvironment(),
    env: spec.env,
    cwd: spec.cwd,
    timeoutMs: context.timeoutMs,
    redactor: spec.redactor,
    maxOutputBytes: 64 * 1024
  })
  const output = [result.stdout.trimEnd(), result.stderr.trimEnd()]
    .filter(Boolean)
    .join('\n')
    .trim()
  const tail = output.split('\n').slice(-OUTPUT_LINES).join('\n')
  const details = { exitCode: result.exitCode, signal: result.signal, output: output.slice(-4000) }
  if (result.timedOut)
    return {
      ok: false,
      message: `timed out after ${context.timeoutMs}ms${tail ? `: ${tail}` : ''}`,
      details
    }
  if (result.exitCode === 0)
    return { ok: true, message: `exited 0${tail ? `: ${lastLine(tail)}` : ''}`, details }
  const how =
    result.exitCode === null
      ? `was stopped by ${result.signal ?? 'an error'}`
      : `exited ${result.exitCode}`
  return { ok: false, message: `${how}${tail ? `: ${tail}` : ''}`, details }
}

function lastLine(text: string): string {
  return text.split('\n').at(-1) ?? ''
}
