/**
 * Something the user can fix: a setting, a missing token or permission, a shallow checkout, a
 * gate their deployment did not pass. Reported plainly, with what to do (`hint`); anything
 * thrown that is not a UserError is a bug in Slipway and is reported with its stack.
 */
export class UserError extends Error {
  /** What to do about it, in one sentence ("grant `deployments: write` to the job"). */
  readonly hint?: string

  constructor(message: string, hint?: string) {
    super(message)
    this.name = 'UserError'
    this.hint = hint
  }
}

/**
 * An error the user can fix by changing an input. The message always names the
 * input, the form we expected and what we received, so a failed step explains itself;
 * `hint` adds what to do when that is more than "give the expected form".
 */
export class InputError extends UserError {
  readonly input: string
  readonly expected: string
  readonly received: string

  constructor(input: string, expected: string, received: unknown, hint?: string) {
    const shown = describeReceived(received)
    super(`Input '${input}': expected ${expected}, got ${shown}`, hint)
    this.name = 'InputError'
    this.input = input
    this.expected = expected
    this.received = shown
  }
}

function describeReceived(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'nothing'
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  const clipped = text.length > 200 ? `${text.slice(0, 200)}…` : text
  return JSON.stringify(clipped)
}

/**
 * What the log says after a bug's stack, in the actions and the CLI alike: the user did nothing
 * wrong, and the lines above are what a report needs.
 */
export const BUG_REPORT_REQUEST =
  'This is a bug in Slipway, not in your setup: please report it at https://github.com/slipway-dev/slipway/issues with the lines above (secrets are redacted).'

/** The message of anything thrown, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
