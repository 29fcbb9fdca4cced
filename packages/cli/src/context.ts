import {
  Inputs,
  Redactor,
  SummaryBuilder,
  type ActionContext,
  type InputSource,
  type OutputValue
} from '@slipway/kit'

export interface Terminal {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface CliContext extends ActionContext {
  outputs: Record<string, string>
}

/**
 * An ActionContext for the terminal: inputs from flags/config, secrets redacted from
 * everything printed, outputs collected (printed as JSON), progress and warnings on stderr.
 */
export function cliContext(
  source: InputSource,
  terminal: Terminal,
  options: { quiet?: boolean; startedAt?: number } = {}
): CliContext {
  const redactor = new Redactor()
  const startedAt = options.startedAt ?? Date.now()
  const outputs: Record<string, string> = {}
  const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(1)}s`
  return {
    inputs: new Inputs(source),
    redactor,
    secret(value) {
      if (value) redactor.add(value)
    },
    setOutput(name: string, value: OutputValue) {
      if (value === undefined) return
      outputs[name] = redactor.redact(
        typeof value === 'object' ? JSON.stringify(redactor.redactValue(value)) : String(value)
      )
    },
    summary: new SummaryBuilder(),
    info(message) {
      if (!options.quiet) terminal.stderr(`[${elapsed()}] ${redactor.redact(message)}\n`)
    },
    warning(message) {
      terminal.stderr(`warning: ${redactor.redact(message)}\n`)
    },
    outputs
  }
}
