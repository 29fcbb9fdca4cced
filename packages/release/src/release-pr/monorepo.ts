import { existsSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { InputError, runChecked } from '@slipway/kit'
import type { RawCommit } from '../git.js'
import { PARSER_OPTIONS } from '../parser-options.js'

/** A package of a monorepo: its own tags, release branch, changelog and version files. */
export interface ReleasePackage {
  name: string
  /** Relative to the checkout, `/`-separated, no trailing slash. */
  path: string
  tagPrefix: string
}

export type Attribution = 'paths' | 'paths-and-scopes'

const ENTRY = /^([a-z0-9][a-z0-9._-]*)\s*:\s*(\S+)$/

/** Reads the `packages` input: `name: path` entries, each path a directory of the checkout. */
export function parsePackages(input: string, entries: string[], cwd: string): ReleasePackage[] {
  const seen = new Set<string>()
  return entries.map(entry => {
    const match = ENTRY.exec(entry)
    if (!match) throw new InputError(input, 'name: path entries such as "api: packages/api"', entry)
    const [, name, given] = match
    const full = resolve(cwd, given)
    const rel = relative(cwd, full).split('\\').join('/')
    if (!rel || rel.startsWith('..') || isAbsolute(rel))
      throw new InputError(input, 'a package directory inside the checkout', entry)
    if (!existsSync(full) || !statSync(full).isDirectory())
      throw new InputError(input, `a package directory that exists in the checkout (${cwd})`, entry)
    if (seen.has(name)) throw new InputError(input, 'each package name once', entry)
    seen.add(name)
    return { name, path: rel, tagPrefix: `${name}-v` }
  })
}

// Files that document or test a package without changing what it ships.
const TESTS_OR_DOCS =
  /(^|\/)(tests?|__tests__|spec|docs?|examples?)\/|\.(test|spec)\.[^/]+$|\.md$|(^|\/)README[^/]*$/i

/**
 * With `paths-and-scopes`, a commit whose scope names other packages and that touches only
 * this package's tests or docs does not count for it: `fix(web): …` that also updated a test
 * of `api` is web's fix, not api's. With `paths`, every commit touching the package counts.
 */
export async function attributeCommits(
  raw: RawCommit[],
  pkg: ReleasePackage,
  all: readonly ReleasePackage[],
  attribution: Attribution,
  cwd: string
): Promise<RawCommit[]> {
  if (attribution === 'paths') return raw
  const names = new Set(all.map(p => p.name))
  const kept: RawCommit[] = []
  for (const commit of raw) {
    const scope = PARSER_OPTIONS.headerPattern.exec(commit.message.split('\n')[0])?.[2]
    const scopes = (scope ?? '').split(/[,\s]+/).filter(Boolean)
    const others = scopes.length > 0 && scopes.every(s => names.has(s) && s !== pkg.name)
    if (!others) {
      kept.push(commit)
      continue
    }
    const { stdout } = await runChecked(
      'git',
      ['diff-tree', '--no-commit-id', '--name-only', '-r', '--root', commit.hash],
      { cwd }
    )
    const mine = stdout
      .split('\n')
      .filter(file => file && (file === pkg.path || file.startsWith(`${pkg.path}/`)))
      .map(file => file.slice(pkg.path.length + 1))
    if (mine.some(file => !TESTS_OR_DOCS.test(file))) kept.push(commit)
  }
  return kept
}

export function packageFile(pkg: ReleasePackage, path: string): string {
  return join(pkg.path, path).split('\\').join('/')
}
