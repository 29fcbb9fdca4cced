import { InputError } from '@slipway/kit'

/**
 * An InputError from a validator's own sentence (`expected X, got Y`), so that the message
 * reads `Input 'checks[2].expect-status': expected …, got …` rather than nesting two forms.
 */
export function inputErrorFrom(input: string, message: string): InputError {
  const parts = /^expected ([\s\S]*?), got ([\s\S]*)$/.exec(message)
  if (parts) {
    let received: unknown = parts[2]
    try {
      received = JSON.parse(parts[2])
    } catch {
      // shown as written
    }
    return new InputError(input, parts[1], received)
  }
  const error = new InputError(input, message, undefined)
  error.message = `Input '${input}': ${message}`
  return error
}
