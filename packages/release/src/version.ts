import semver from 'semver'
import type { ConventionalCommit } from './commits.js'
import type { TagRef } from './git.js'

export type Bump = 'major' | 'minor' | 'patch' | 'none'

export interface BumpOptions {
  /** Before 1.0.0 a breaking change bumps minor, unless this is set. */
  bumpMajorPreMajor?: boolean
}

const PATCH_TYPES = new Set(['fix', 'perf', 'revert'])
const MINOR_TYPES = new Set(['feat', 'feature'])

/**
 * The bump the commits call for: a breaking change (`!` or a BREAKING CHANGE footer) is major,
 * feat minor, fix/perf (and a revert of something already released) patch; anything else
 * (docs, chore, ci, free-form messages) releases nothing. Same rule as the conventionalcommits
 * preset of conventional-recommended-bump with `bumpStrict`.
 */
export function bumpOf(commits: ConventionalCommit[]): Bump {
  let bump: Bump = 'none'
  for (const commit of commits) {
    if (commit.breaking.length > 0) return 'major'
    if (commit.type && MINOR_TYPES.has(commit.type)) bump = 'minor'
    else if (commit.type && PATCH_TYPES.has(commit.type) && bump === 'none') bump = 'patch'
  }
  return bump
}

/** The bump actually applied to `current`: 0.x versions treat breaking changes as minor. */
export function effectiveBump(bump: Bump, current: string, options: BumpOptions = {}): Bump {
  if (bump === 'major' && semver.major(current) === 0 && !options.bumpMajorPreMajor) return 'minor'
  return bump
}

/** A parsed `<prefix><semver>` tag. */
export interface VersionTag extends TagRef {
  version: string
}

/** Tags named `<prefix><valid semver>` (exactly; `v1.2` or `api-v1.2.0` do not match prefix `v`). */
export function versionTags(tags: TagRef[], prefix: string): VersionTag[] {
  const found: VersionTag[] = []
  for (const tag of tags) {
    if (!tag.name.startsWith(prefix)) continue
    const rest = tag.name.slice(prefix.length)
    const version = semver.valid(rest)
    // semver.valid accepts a leading "v" or "="; require the exact text so `v` never matches `vv1.0.0`.
    if (version && version === rest) found.push({ ...tag, version })
  }
  return found.sort((a, b) => semver.rcompare(a.version, b.version))
}

/** The highest stable version tag, or undefined. */
export function latestStable(tags: VersionTag[]): VersionTag | undefined {
  return tags.find(tag => semver.prerelease(tag.version) === null)
}

/**
 * The prerelease version for a channel: `1.3.0-rc.1`, then `-rc.2` … The counter continues
 * after the highest existing `<base>-<channel>.N` tag anywhere in the repository (tag names
 * are unique), so two branches never mint the same prerelease.
 */
export function prereleaseVersion(base: string, channel: string, allTags: VersionTag[]): string {
  let highest = 0
  for (const tag of allTags) {
    const parts = semver.prerelease(tag.version)
    if (
      !parts ||
      `${semver.major(tag.version)}.${semver.minor(tag.version)}.${semver.patch(tag.version)}` !==
        base
    )
      continue
    if (parts.length === 2 && parts[0] === channel && typeof parts[1] === 'number')
      highest = Math.max(highest, parts[1])
  }
  return `${base}-${channel}.${highest + 1}`
}

/** The next stable version: `current` bumped (0.0.0 when there is no release yet). */
export function nextStable(
  current: string | undefined,
  bump: Exclude<Bump, 'none'>,
  options: BumpOptions = {}
): string {
  const base = current ?? '0.0.0'
  const applied = effectiveBump(bump, base, options) as Exclude<Bump, 'none'>
  return semver.inc(base, applied) as string
}

/** `x.y.z` without build metadata or a leading `v`, or undefined. */
export function exactVersion(text: string): string | undefined {
  const valid = semver.valid(text)
  return valid && valid === text ? valid : undefined
}
