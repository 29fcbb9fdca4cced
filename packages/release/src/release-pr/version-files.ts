import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { InputError } from '@slipway/kit'
import semver from 'semver'
import { setStringValue, findStringValue } from './json-edit.js'
import { setTomlVersion, tomlVersion } from './toml-edit.js'

/**
 * The files a release pull request bumps. `package.json` (and the `package-lock.json` beside
 * it), `pyproject.toml` (`[project]` or `[tool.poetry]`), `Cargo.toml` (`[package]` or
 * `[workspace.package]`) by name; any other text file as `generic:<path>`, whose version line
 * carries the marker `x-slipway-version` (in whatever comment syntax the file uses).
 */
export type VersionFileKind = 'package.json' | 'pyproject.toml' | 'Cargo.toml' | 'generic'

export interface VersionFile {
  /** Relative to the checkout, `/`-separated. */
  path: string
  kind: VersionFileKind
}

export const VERSION_MARKER = 'x-slipway-version'
const EXPECTED =
  'package.json, pyproject.toml, Cargo.toml (by file name) or generic:<path> for a file whose version line has the comment x-slipway-version'
const PYPROJECT_TABLES = ['project', 'tool.poetry']
const CARGO_TABLES = ['package', 'workspace.package']
const SEMVER_IN_LINE = /\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?/

/**
 * Reads the `version-files` input: each entry's kind, and that the file exists in the
 * checkout and has a version where its kind keeps one. Reads, changes nothing.
 */
export function parseVersionFiles(input: string, entries: string[], cwd: string): VersionFile[] {
  return entries.map(entry => {
    const prefixed = /^([a-z-]+):(.+)$/.exec(entry)
    let kind: VersionFileKind
    let path: string
    if (prefixed) {
      if (prefixed[1] !== 'generic') throw new InputError(input, EXPECTED, entry)
      kind = 'generic'
      path = prefixed[2]
    } else {
      const name = basename(entry)
      if (name !== 'package.json' && name !== 'pyproject.toml' && name !== 'Cargo.toml')
        throw new InputError(input, EXPECTED, entry)
      kind = name
      path = entry
    }
    const full = resolve(cwd, path)
    const rel = relative(cwd, full)
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new InputError(input, 'paths inside the checkout', entry)
    if (!existsSync(full))
      throw new InputError(input, `files that exist in the checkout (${cwd})`, entry)
    const file: VersionFile = { path: rel.split('\\').join('/'), kind }
    if (readVersion(cwd, file) === undefined)
      throw new InputError(
        input,
        kind === 'generic'
          ? `a file with a line holding a version and the marker ${VERSION_MARKER}`
          : `a ${kind} with a version (${kind === 'pyproject.toml' ? '[project] or [tool.poetry]' : kind === 'Cargo.toml' ? '[package] or [workspace.package]' : 'a top-level "version"'})`,
        entry
      )
    return file
  })
}

/** The version the file holds now, or undefined. */
export function readVersion(cwd: string, file: VersionFile): string | undefined {
  const text = readFileSync(join(cwd, file.path), 'utf8')
  switch (file.kind) {
    case 'package.json': {
      const version = (JSON.parse(text) as { version?: unknown }).version
      return typeof version === 'string' ? version : undefined
    }
    case 'pyproject.toml':
      return tomlVersion(text, PYPROJECT_TABLES)?.version
    case 'Cargo.toml':
      return tomlVersion(text, CARGO_TABLES)?.version
    case 'generic': {
      const line = text.split('\n').find(l => l.includes(VERSION_MARKER))
      return line ? SEMVER_IN_LINE.exec(line)?.[0] : undefined
    }
  }
}

/**
 * Writes `version` into the file in place (only the version text changes) and returns the
 * paths written: a package.json brings its package-lock.json along.
 */
export function writeVersion(cwd: string, file: VersionFile, version: string): string[] {
  if (!semver.valid(version)) throw new Error(`writeVersion: not a version: ${version}`)
  const full = join(cwd, file.path)
  const text = readFileSync(full, 'utf8')
  const fail = (): never => {
    throw new Error(`Could not set the version of ${file.path} in place`)
  }
  switch (file.kind) {
    case 'package.json': {
      writeFileSync(full, setStringValue(text, ['version'], version) ?? fail())
      const lockPath = join(dirname(file.path), 'package-lock.json')
      const lock = join(cwd, lockPath)
      if (!existsSync(lock)) return [file.path]
      let lockText = readFileSync(lock, 'utf8')
      for (const path of [['version'], ['packages', '', 'version']])
        if (findStringValue(lockText, path)) lockText = setStringValue(lockText, path, version)!
      writeFileSync(lock, lockText)
      return [file.path, lockPath.split('\\').join('/')]
    }
    case 'pyproject.toml':
    case 'Cargo.toml': {
      const table = tomlVersion(text, file.kind === 'Cargo.toml' ? CARGO_TABLES : PYPROJECT_TABLES)
      writeFileSync(full, (table && setTomlVersion(text, table.table, version)) ?? fail())
      return [file.path]
    }
    case 'generic': {
      const lines = text.split('\n')
      const n = lines.findIndex(l => l.includes(VERSION_MARKER))
      if (n < 0 || !SEMVER_IN_LINE.test(lines[n])) fail()
      lines[n] = lines[n].replace(SEMVER_IN_LINE, version)
      writeFileSync(full, lines.join('\n'))
      return [file.path]
    }
  }
}
