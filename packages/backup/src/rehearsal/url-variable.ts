import { InputError, isPrivateVariable } from '@slipway/kit'

// A module of its own: the deploy's settings parse checks this name, and importing it from the
// rehearsal would put the whole rehearsal (restore, engines, codecs) in every deploy's start.

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The variable the user names for the scratch copy's URL: a plain name, none of ours or the runner's. */
export function checkUrlVariable(
  name: string | undefined,
  input = 'rehearsal-database-url-env'
): void {
  if (name === undefined) return
  if (!VARIABLE.test(name) || isPrivateVariable(name) || /^SLIPWAY_/i.test(name) || name === 'PATH')
    throw new InputError(
      input,
      'an environment variable name such as DATABASE_URL (letters, digits, _; not PATH, SLIPWAY_*, INPUT_* or GITHUB_*)',
      name
    )
}
