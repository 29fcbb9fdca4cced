import { InputError } from '@slipway/kit'
import { isSafeVersion } from '@slipway/providers'

/**
 * A version becomes a directory name (`<release-dir>/<version>`), an artifact's place and a
 * value hooks build paths from: it must be one safe path segment. Checked on the input and on a
 * version read back from the Deployment history (rollback), which anyone with write access to
 * deployments could have set.
 */
export function checkVersion(value: string, input = 'version'): string {
  if (!isSafeVersion(value))
    throw new InputError(
      input,
      'a version such as v1.4.2 or a commit SHA: one path segment of letters, digits and . _ + - (starting with a letter or digit, no .., no /, at most 128 characters)',
      value
    )
  return value
}
