import { UserError, run } from '@slipway/kit'

/** What a `docker save` tarball holds, read from its manifest.json without loading it. */
export interface ArchiveImage {
  /** `sha256:<hex>`: the image id every host will have after `docker load`. */
  id: string
  /** The tags it was saved with (`docker load` recreates them). */
  repoTags: string[]
}

interface ManifestEntry {
  Config?: string
  RepoTags?: string[] | null
}

/**
 * The image id from a manifest's `Config`: the legacy form `<hex>.json` (Docker before 25) or
 * the OCI layout form `blobs/sha256/<hex>` (Docker 25 and later).
 */
export function imageIdFromConfigPath(config: string): string | undefined {
  const match = /^(?:blobs\/sha256\/([a-f0-9]{64})|([a-f0-9]{64})\.json)$/.exec(config)
  return match ? `sha256:${match[1] ?? match[2]}` : undefined
}

// The archive is the user's file: what it should be, for every way it can be wrong.
const ARCHIVE_HINT =
  'make the `image-archive` input a `docker save -o app.tar IMAGE` archive of one image.'

/** Parses manifest.json of a `docker save` archive holding exactly one image. */
export function parseArchiveManifest(text: string, archive: string): ArchiveImage {
  let entries: ManifestEntry[]
  try {
    entries = JSON.parse(text) as ManifestEntry[]
  } catch {
    throw new UserError(
      `${archive}: manifest.json is not JSON: not a docker save archive`,
      ARCHIVE_HINT
    )
  }
  if (!Array.isArray(entries) || entries.length !== 1)
    throw new UserError(
      `${archive}: expected one image in the archive (docker save of one image), found ${Array.isArray(entries) ? entries.length : 'none'}`,
      ARCHIVE_HINT
    )
  const id = imageIdFromConfigPath(entries[0].Config ?? '')
  if (!id)
    throw new UserError(
      `${archive}: manifest.json names no image config (${entries[0].Config ?? ''})`,
      ARCHIVE_HINT
    )
  return { id, repoTags: entries[0].RepoTags ?? [] }
}

/** Reads the archive's image id on this machine (`tar -xOf archive manifest.json`, no shell). */
export async function readArchiveImage(
  archive: string,
  timeoutMs = 120_000
): Promise<ArchiveImage> {
  const result = await run('tar', ['-xOf', archive, 'manifest.json'], {
    timeoutMs,
    maxOutputBytes: 1024 * 1024
  })
  if (result.exitCode !== 0)
    throw new UserError(
      `${archive}: cannot read manifest.json (${result.timedOut ? 'timed out' : `tar exited with code ${result.exitCode}`}): ${result.stderr.trim().split('\n').slice(-2).join(' ')}`,
      `check that the \`image-archive\` input names a readable \`docker save\` tarball on the runner (and that \`tar\` is installed).`
    )
  return parseArchiveManifest(result.stdout, archive)
}
