import { InputError, type Redactor } from '@slipway/kit'
import { need } from './connections.js'
import { checkImage, checkPattern, checkReadableFile } from './inputs-check.js'
import type { DockerInputs, ImageSource } from './options.js'

/**
 * Where the image comes from: a reference (optionally behind a registry login) or a
 * `docker save` tarball, never both. The registry password joins the redactor.
 */
export function imageSource(inputs: DockerInputs, redactor?: Redactor): ImageSource {
  if (inputs.image && inputs.imageArchive)
    throw new InputError(
      'image-archive',
      'either image or image-archive, not both',
      inputs.imageArchive
    )
  if (!inputs.image && !inputs.imageArchive)
    throw new InputError(
      'image',
      'an image reference (or image-archive: a docker save tarball)',
      undefined
    )
  const source: ImageSource = inputs.image
    ? { reference: checkImage(inputs.image) }
    : { archive: checkReadableFile('image-archive', inputs.imageArchive!, 'a docker save tarball') }
  const login = [inputs.registryUsername, inputs.registryPassword]
  if (inputs.registry || login.some(Boolean)) {
    if (!inputs.image)
      throw new InputError(
        'registry',
        'no registry with image-archive (nothing is pulled)',
        inputs.registry
      )
    const server = checkPattern(
      'registry',
      need(
        inputs.registry,
        'registry',
        'the registry that registry-username/registry-password log in to'
      ),
      /^[A-Za-z0-9.-]+(?::\d{1,5})?$/,
      'a registry host[:port], e.g. ghcr.io'
    )!
    source.registry = {
      server,
      username: need(
        inputs.registryUsername,
        'registry-username',
        `the user that logs in to ${server}`
      ),
      password: need(
        inputs.registryPassword,
        'registry-password',
        `the password or token for ${server}`
      )
    }
    redactor?.add(source.registry.password)
  }
  return source
}
