import { InputError } from '@slipway/kit'

/** The InputError a parse throws, so a test can look at its input name and message. */
export function inputErrorOf(parse: () => unknown): InputError {
  try {
    parse()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError, nothing was thrown')
}
