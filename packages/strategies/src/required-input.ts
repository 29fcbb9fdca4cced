import { InputError } from '@slipway/kit'

/** A required input's value, or an InputError naming it and saying why it is needed. */
export function need(value: string | undefined, input: string, why: string): string {
  if (!value) throw new InputError(input, `a value (${why})`, value)
  return value
}
