import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { LedgerFile, type Json, type LedgerData } from '@slipway/kit'
import type { RepoRef } from '@slipway/github'
import {
  createLocalAnnotatedTag,
  createLocalTagRef,
  localTagCommit,
  moveLocalTagRef
} from './local-tags.js'
import {
  ReleaseConflict,
  type AssetInfo,
  type NewRelease,
  type ReleaseChanges,
  type ReleaseInfo,
  type ReleaseStore
} from './port.js'

export interface FileReleaseStoreOptions {
  /** The ledger file (`.slipway/ledger.json`); asset bytes go in `assets/` beside it. */
  ledger: LedgerFile | string
  /** The git repository that holds the tags (the project's checkout). */
  cwd: string
  /** The name the ledger's records carry in their API-shaped URLs (`local/<dir>` in the CLI). */
  repository: RepoRef
}

/**
 * Stored URLs start with this placeholder, which whoever serves the ledger over HTTP replaces
 * with its own address: the layout is the one the CLI's ledger server has always written.
 */
const API = '{{slipway-ledger}}'

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/**
 * Releases and assets in the local ledger file, tags in the local git repository: the release
 * port of the CLI's local mode, with the same records GitHub's API would return.
 */
export class FileReleaseStore implements ReleaseStore {
  private readonly ledger: LedgerFile
  private readonly assetsDir: string
  private readonly repoPath: string

  constructor(private readonly options: FileReleaseStoreOptions) {
    this.ledger =
      typeof options.ledger === 'string' ? new LedgerFile(options.ledger) : options.ledger
    this.assetsDir = join(dirname(this.ledger.path), 'assets')
    this.repoPath = `/repos/${options.repository.owner}/${options.repository.repo}`
  }

  get location(): string {
    return this.ledger.path
  }

  tagCommit(tag: string): Promise<string | undefined> {
    return localTagCommit(this.options.cwd, tag)
  }

  createAnnotatedTag(tag: string, sha: string, message: string): Promise<void> {
    return createLocalAnnotatedTag(this.options.cwd, tag, sha, message)
  }

  createTagRef(tag: string, sha: string): Promise<void> {
    return createLocalTagRef(this.options.cwd, tag, sha)
  }

  moveTagRef(tag: string, sha: string): Promise<void> {
    return moveLocalTagRef(this.options.cwd, tag, sha)
  }

  async findRelease(tags: readonly string[]): Promise<ReleaseInfo | undefined> {
    const { releases } = this.ledger.read()
    for (const tag of tags) {
      const found = releases.find(release => release.tag_name === tag)
      if (found) return found as unknown as ReleaseInfo
    }
    return undefined
  }

  async createRelease(release: NewRelease): Promise<ReleaseInfo> {
    return this.ledger.update(data => {
      if (data.releases.some(r => r.tag_name === release.tag))
        throw new ReleaseConflict(`${this.ledger.path} already has a release ${release.tag}`)
      const id = LedgerFile.nextId(data)
      const at = now()
      const record: Json = {
        id,
        tag_name: release.tag,
        target_commitish: release.target,
        name: release.name,
        body: release.body,
        draft: release.draft,
        prerelease: release.prerelease,
        make_latest: 'true',
        created_at: at,
        published_at: release.draft ? null : at,
        html_url: `file://${dirname(this.ledger.path)}#release-${encodeURIComponent(release.tag)}`,
        url: `${API}${this.repoPath}/releases/${id}`,
        upload_url: `${API}${this.repoPath}/releases/${id}/assets{?name,label}`
      }
      data.releases.push(record)
      return record as unknown as ReleaseInfo
    })
  }

  async updateRelease(id: number, changes: ReleaseChanges): Promise<ReleaseInfo> {
    return this.ledger.update(data => {
      const record = releaseOf(data, id, this.ledger.path)
      const fields: Json = {
        draft: changes.draft,
        name: changes.name,
        body: changes.body,
        prerelease: changes.prerelease,
        make_latest: changes.makeLatest
      }
      for (const [key, value] of Object.entries(fields))
        if (value !== undefined) record[key] = value
      if (record.draft === false && !record.published_at) record.published_at = now()
      return record as unknown as ReleaseInfo
    })
  }

  async listAssets(releaseId: number): Promise<AssetInfo[]> {
    const data = this.ledger.read()
    releaseOf(data, releaseId, this.ledger.path)
    return data.assets.filter(a => a.release_id === releaseId) as unknown as AssetInfo[]
  }

  async uploadAsset(release: ReleaseInfo, name: string, bytes: Buffer): Promise<void> {
    this.ledger.update(data => {
      releaseOf(data, release.id, this.ledger.path)
      if (data.assets.some(a => a.release_id === release.id && a.name === name))
        throw new ReleaseConflict(`Release ${release.tag_name} already has an asset ${name}`)
      const id = LedgerFile.nextId(data)
      const file = join(this.assetsDir, String(id))
      mkdirSync(this.assetsDir, { recursive: true })
      writeFileSync(file, bytes)
      data.assets.push({
        id,
        release_id: release.id,
        name,
        label: null,
        size: bytes.length,
        digest: `sha256:${sha256(bytes)}`,
        content_type: 'application/octet-stream',
        state: 'uploaded',
        url: `${API}${this.repoPath}/releases/assets/${id}`,
        browser_download_url: `file://${file}`,
        created_at: now()
      })
    })
  }

  async deleteAsset(assetId: number): Promise<void> {
    this.ledger.update(data => {
      const found = assetOf(data, assetId, this.ledger.path)
      data.assets = data.assets.filter(a => a !== found)
      rmSync(join(this.assetsDir, String(assetId)), { force: true })
    })
  }

  async downloadAsset(assetId: number): Promise<Buffer> {
    assetOf(this.ledger.read(), assetId, this.ledger.path)
    const file = join(this.assetsDir, String(assetId))
    return existsSync(file) ? readFileSync(file) : Buffer.alloc(0)
  }
}

function releaseOf(data: LedgerData, id: number, path: string): Json {
  const found = data.releases.find(r => r.id === id)
  if (!found) throw new Error(`${path} has no release ${id}`)
  return found
}

function assetOf(data: LedgerData, id: number, path: string): Json {
  const found = data.assets.find(a => a.id === id)
  if (!found) throw new Error(`${path} has no release asset ${id}`)
  return found
}
