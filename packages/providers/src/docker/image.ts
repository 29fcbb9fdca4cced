import { UserError } from '@slipway/kit'
import type { ArchiveImage } from './archive.js'
import type { DockerCli } from './docker-cli.js'
import type { ImageSource } from './options.js'

/** The image a host runs, once pulled or loaded there. */
export interface HostImage {
  /** `sha256:…` */
  id: string
  /** `repo@sha256:…` when the image came from a registry. */
  repoDigest?: string
  /** What was done: `pulled`, `loaded`, `already present`. */
  action: string
}

interface ImageInfo {
  Id: string
  RepoDigests?: string[] | null
}

const LOAD_REMOTE = ['set -e', 'dir=$(umask 077 && mktemp -d)', 'printf "%s\\n" "$dir"'].join('\n')

/**
 * Makes the image available on one host: an archive is shipped and `docker load`ed unless the
 * host already has its image id; a reference is pulled (a digest already present is not: it
 * cannot have changed). Touches no container.
 */
export async function stageImage(
  cli: DockerCli,
  local: boolean,
  source: ImageSource,
  archive: ArchiveImage | undefined
): Promise<HostImage> {
  if (source.archive) {
    if (!archive) throw new Error('image-archive: its manifest was not read')
    const present = await cli.inspect<ImageInfo>('image', [archive.id])
    if (present.length > 0) return { id: archive.id, action: 'already present' }
    if (local) await cli.ok(['load', '-q', '-i', source.archive])
    else await loadRemote(cli, source.archive)
    const loaded = await cli.inspect<ImageInfo>('image', [archive.id])
    if (loaded.length === 0)
      throw new Error(`docker load on ${cli.label} did not produce image ${archive.id}`)
    return { id: archive.id, action: 'loaded' }
  }
  const reference = source.reference!
  let action = 'pulled'
  const pinned = reference.includes('@sha256:')
  if (pinned && (await cli.inspect<ImageInfo>('image', [reference])).length > 0)
    action = 'already present'
  else await cli.pull(reference, source.registry)
  const [info] = await cli.inspect<ImageInfo>('image', [reference])
  if (!info) throw new Error(`${cli.label}: image ${reference} is not there after the pull`)
  const repo = reference.replace(/@sha256:[a-f0-9]+$/, '').replace(/:[^:/]+$/, '')
  const repoDigest =
    info.RepoDigests?.find(d => d.startsWith(`${repo}@`)) ?? info.RepoDigests?.[0] ?? undefined
  return { id: info.Id, repoDigest, action }
}

/** Ships an archive into a private directory on the host, loads it, removes the directory. */
async function loadRemote(cli: DockerCli, archive: string): Promise<void> {
  const made = await cli.transport.exec(LOAD_REMOTE, {}, 30_000)
  const dir = made.stdout.trim()
  if (made.exitCode !== 0 || !dir.startsWith('/'))
    throw new UserError(
      `${cli.label}: cannot create a directory for the image archive: ${made.stderr.trim()}`,
      `check that the login on ${cli.label} can create a private directory with mktemp (rights and free space in its temporary directory).`
    )
  try {
    const remote = `${dir}/image.tar`
    await cli.transport.putFile(archive, remote)
    await cli.ok(['load', '-q', '-i', remote])
  } finally {
    await cli.transport
      .exec('rm -rf -- "$SLIPWAY_DIR"', { SLIPWAY_DIR: dir }, 60_000)
      .catch(() => undefined)
  }
}
