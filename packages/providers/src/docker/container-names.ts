import { UserError } from '@slipway/kit'

/**
 * How Slipway names and labels the containers it runs, so `current()` is read from Docker itself
 * (labels) rather than remembered, and a person reading `docker ps` sees app, slot and version.
 */
export const LABEL = {
  app: 'slipway.app',
  version: 'slipway.version',
  slot: 'slipway.slot',
  imageId: 'slipway.image-id',
  environment: 'slipway.environment'
} as const

/** An app name: it prefixes container names and HAProxy server names. */
export const APP_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/

/**
 * A version names a container: letters, digits and `._+-` (`+` build metadata becomes `_`, as
 * Docker names allow no `+`), starting with a letter or digit, no `..`, at most 128 characters.
 */
export function isContainerVersion(version: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/.test(version) && !version.includes('..')
}

/** `<app>-<slot>-<version>`, e.g. `shop-green-1.4.0_build.7`. */
export function containerName(app: string, slot: string, version: string): string {
  if (!isContainerVersion(version))
    throw new UserError(
      `refusing version ${JSON.stringify(version)} as part of a container name: letters, digits, . _ + - only`,
      'give a `version` of at most 128 letters, digits and . _ + - (starting with a letter or digit, no `..`).'
    )
  return `${app}-${slot}-${version.replace(/\+/g, '_')}`
}

/** Our labels of a container: they always win over the user's `labels`. */
export function containerLabels(values: {
  app: string
  version: string
  slot: string
  imageId: string
  environment: string
}): Record<string, string> {
  return {
    [LABEL.app]: values.app,
    [LABEL.version]: values.version,
    [LABEL.slot]: values.slot,
    [LABEL.imageId]: values.imageId,
    [LABEL.environment]: values.environment
  }
}
