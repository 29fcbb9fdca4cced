import type { Manifest } from './types.js'

/** `<name>-<UTC timestamp>-<random>`: sorts by time within a name, unique across parallel jobs. */
export function newBackupId(name: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  // node:crypto taken here, not at import: a backup starts its dump before it loads it.
  const { randomBytes } = process.getBuiltinModule('node:crypto')
  return `${sanitizeName(name)}-${stamp}-${randomBytes(3).toString('hex')}`
}

/** Backup names become file and artifact names: keep them to a safe alphabet. */
export function sanitizeName(name: string): string {
  const clean = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
  return clean || 'backup'
}

export const MANIFEST_SUFFIX = '.manifest.json'

export function manifestFileName(id: string): string {
  return `${id}${MANIFEST_SUFFIX}`
}

const ID = /^[A-Za-z0-9._-]+$/

/** Parses a manifest and checks the fields restore relies on. */
export function parseManifest(text: string, origin: string): Manifest {
  let value: Manifest
  try {
    value = JSON.parse(text) as Manifest
  } catch (error) {
    throw new Error(`${origin} is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
  const problems: string[] = []
  if (value?.version !== 1) problems.push('version is not 1')
  if (typeof value?.id !== 'string' || !ID.test(value.id)) problems.push('id')
  if (typeof value?.file !== 'string' || !ID.test(value.file)) problems.push('file')
  if (typeof value?.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(value.sha256))
    problems.push('sha256')
  if (typeof value?.size !== 'number') problems.push('size')
  if (typeof value?.created !== 'string' || Number.isNaN(Date.parse(value.created)))
    problems.push('created')
  if (problems.length > 0)
    throw new Error(`${origin} is not a Slipway backup manifest (bad ${problems.join(', ')})`)
  return value
}

/** Why a manifest was left out of `list` (and so out of `latest`), for a warning. */
export function skippedManifest(file: string, reason: string): string {
  return `skipped backup manifest ${file}: ${reason}; it is not listed, so latest may be an older backup`
}

/** Newest first; the id breaks ties (same second). */
export function byNewest(a: Manifest, b: Manifest): number {
  return Date.parse(b.created) - Date.parse(a.created) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0)
}
