import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Artifact, ArtifactClient, FindOptions } from '@actions/artifact'
import { InputError, UserError } from '@slipway/kit'
import { MANIFEST_SUFFIX, manifestFileName, parseManifest, skippedManifest } from '../manifest.js'
import type { Manifest } from '../types.js'
import type { Store, StoreOptions } from './store.js'

export interface ArtifactStoreOptions extends StoreOptions {
  /** Days GitHub keeps the artifacts (the repository's setting by default). */
  retentionDays?: number
  /** Read and delete backups of another workflow run (needs a token with actions:read/write). */
  findBy?: FindOptions['findBy']
  client?: ArtifactClient
  /**
   * Store a backup that is not encrypted. Off by default: anyone who can read the repository's
   * artifacts can download them, and a dump holds every row of the database.
   */
  allowUnencrypted?: boolean
}

/**
 * The workflow artifact store (@actions/artifact v6). Each backup is two artifacts uploaded
 * without a zip wrapper (`skipArchive`): the data file and `<id>.manifest.json`, manifest
 * last, so a listed manifest always has its data. Downloads go to a temp dir until released.
 * An unencrypted backup is refused unless `allowUnencrypted` is set.
 */
export function artifactStore(options: ArtifactStoreOptions = {}): Store {
  // Loaded on first use: the artifact client (with the Azure SDK) is most of the bundle, and
  // a dir-store run should not pay its start-up time.
  let loaded: Promise<ArtifactClient> | undefined
  const getClient = (): Promise<ArtifactClient> =>
    (loaded ??= options.client
      ? Promise.resolve(options.client)
      : import('@actions/artifact').then(m => new m.DefaultArtifactClient()))
  const find: FindOptions = options.findBy ? { findBy: options.findBy } : {}
  const work = (): string => mkdtempSync(join(tmpdir(), 'slipway-artifact-'))
  const staging = new Map<string, string>()
  const warn = options.warn ?? (() => undefined)

  const artifacts = async (): Promise<Artifact[]> =>
    (await (await getClient()).listArtifacts({ latest: true, ...find })).artifacts

  /** Downloads one raw (non-zip) artifact into a fresh directory; returns the file's path. */
  const download = async (artifact: Artifact): Promise<{ path: string; dir: string }> => {
    const dir = work()
    await (
      await getClient()
    ).downloadArtifact(artifact.id, { path: dir, skipDecompress: true, ...find })
    const [file] = readdirSync(dir)
    if (!file) throw new Error(`artifact ${artifact.name} (${artifact.id}) downloaded nothing`)
    return { path: join(dir, file), dir }
  }

  return {
    kind: 'artifact',
    describe: () =>
      options.findBy
        ? `workflow run ${options.findBy.workflowRunId} artifacts`
        : 'workflow artifacts',
    accept({ encrypted }) {
      if (encrypted || options.allowUnencrypted) return
      throw new InputError(
        'encrypt-recipients',
        "age recipients (age1…) for a backup kept as a workflow artifact, which anyone who can read the repository's artifacts can download (or set allow-unencrypted-artifact: true to store it unencrypted, or use store: dir)",
        undefined
      )
    },
    async stage(file) {
      const dir = work()
      // skipArchive names the artifact after the file, so the staged file has its final name.
      const path = join(dir, file)
      staging.set(path, dir)
      return path
    },
    async commit(manifest, staged) {
      const dir = staging.get(staged)!
      const upload = {
        skipArchive: true,
        ...(options.retentionDays ? { retentionDays: options.retentionDays } : {})
      }
      const client = await getClient()
      const data = await client.uploadArtifact(manifest.file, [staged], dir, upload)
      const manifestPath = join(dir, manifestFileName(manifest.id))
      writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 })
      await client.uploadArtifact(manifestFileName(manifest.id), [manifestPath], dir, upload)
      rmSync(dir, { recursive: true, force: true })
      staging.delete(staged)
      return `artifact ${manifest.file}${data.id ? ` (id ${data.id})` : ''}`
    },
    async abort(staged) {
      const dir = staging.get(staged)
      if (dir) rmSync(dir, { recursive: true, force: true })
      staging.delete(staged)
    },
    async list() {
      const all = await artifacts()
      const byName = new Map(all.map(a => [a.name, a]))
      const manifests: Manifest[] = []
      for (const artifact of all.filter(a => a.name.endsWith(MANIFEST_SUFFIX))) {
        const { path, dir } = await download(artifact)
        let manifest: Manifest
        try {
          manifest = parseManifest(readFileSync(path, 'utf8'), artifact.name)
        } catch (error) {
          // Never skipped silently: `latest` would quietly become an older backup.
          warn(skippedManifest(artifact.name, (error as Error).message))
          continue
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
        const data = byName.get(manifest.file)
        if (!data) {
          warn(skippedManifest(artifact.name, `its artifact ${manifest.file} is missing`))
          continue
        }
        const problem = mismatch(data, manifest)
        // Listed all the same: restoring it fails on its checksum instead of taking another.
        if (problem)
          warn(
            `backup ${manifest.id} (${artifact.name}) does not match its manifest: ${problem}; restoring it will fail its sha256 check`
          )
        manifests.push(manifest)
      }
      return manifests
    },
    async open(manifest) {
      const artifact = (await artifacts()).find(a => a.name === manifest.file)
      if (!artifact)
        throw new UserError(
          `artifact ${manifest.file} is missing (expired or deleted?)`,
          'restore another backup-id, or raise retention-days for the backups to come'
        )
      const { path, dir } = await download(artifact)
      return { path, release: async () => rmSync(dir, { recursive: true, force: true }) }
    },
    location: manifest => `artifact ${manifest.file}`,
    async delete(manifest) {
      const client = await getClient()
      await client.deleteArtifact(manifestFileName(manifest.id), find)
      await client.deleteArtifact(manifest.file, find)
    }
  }
}

/** How a data artifact differs from its manifest, by the size and digest the service lists. */
function mismatch(artifact: Artifact, manifest: Manifest): string | undefined {
  if (artifact.digest && artifact.digest !== `sha256:${manifest.sha256}`)
    return `artifact ${artifact.name} has digest ${artifact.digest}, the manifest sha256:${manifest.sha256}`
  if (Number.isFinite(artifact.size) && artifact.size !== manifest.size)
    return `artifact ${artifact.name} has ${artifact.size} bytes instead of ${manifest.size}`
  return undefined
}
