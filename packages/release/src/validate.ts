import { InputError } from '@slipway/kit'
import semver from 'semver'

/**
 * A tag prefix must make valid tag names (git check-ref-format) and must not end in a digit
 * or a dot, which would make `<prefix><version>` ambiguous (`v1` + `2.0.0`).
 */
export function validateTagPrefix(input: string, value: string): string {
  const ok =
    /^[A-Za-z0-9._/@+-]*$/.test(value) &&
    !/[0-9.]$/.test(value) &&
    !value.includes('..') &&
    !value.includes('//') &&
    !value.startsWith('/') &&
    !value.startsWith('-') &&
    !value.includes('@{') &&
    !/(^|\/)\./.test(value) &&
    !/\.lock(\/|$)/.test(value)
  if (!ok) {
    throw new InputError(
      input,
      'a tag prefix such as v or api-v (letters, digits, - _ / @ +; not ending in a digit or dot)',
      value
    )
  }
  return value
}

/** A prerelease channel: one SemVer identifier that is not a number (`rc`, `beta`, `next`). */
export function validatePrereleaseId(input: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9A-Za-z-]+$/.test(value) || /^\d+$/.test(value)) {
    throw new InputError(input, 'a prerelease identifier such as rc, beta or alpha', value)
  }
  return value
}

/** A forced version: an exact semantic version such as 1.4.0 (no prefix). */
export function validateReleaseAs(input: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  const version = semver.valid(value)
  if (!version || version !== value)
    throw new InputError(input, 'a semantic version such as 1.4.0 (without the tag prefix)', value)
  return version
}

/** A tag name git accepts. */
export function validateTagName(input: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (
    !/^[A-Za-z0-9._/@+-]+$/.test(value) ||
    value.includes('..') ||
    value.endsWith('.') ||
    value.endsWith('/') ||
    value.endsWith('.lock')
  ) {
    throw new InputError(input, 'an existing tag name such as v1.3.0-rc.2', value)
  }
  return value
}
