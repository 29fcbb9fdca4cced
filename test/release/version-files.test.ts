import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { InputError } from '@slipway/kit'
import { parse } from 'smol-toml'
import {
  parseVersionFiles,
  readVersion,
  writeVersion
} from '../../packages/release/src/release-pr/version-files.js'

const dirs: string[] = []
afterAll(() => dirs.forEach(d => rmSync(d, { recursive: true, force: true })))

function checkout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-version-files-'))
  dirs.push(dir)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

const read = (dir: string, path: string): string => readFileSync(join(dir, path), 'utf8')

const PACKAGE = `{
    "name": "app",
    "engines": { "node": ">=20", "version": "9.9.9" },
    "version":   "1.2.0",
    "dependencies": {"x": "^1.0.0"}
}
`
const LOCK = `{
  "name": "app",
  "version": "1.2.0",
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "app", "version": "1.2.0" },
    "node_modules/x": { "version": "1.2.0" }
  }
}
`
const PYPROJECT = `# build settings
[build-system]
requires = ["hatchling"]

[project]
name = "app"   # the distribution name
version = '1.2.0' # bumped by the release PR
dependencies = ["requests>=2"]

[tool.other]
version = "0.0.1"
`
const CARGO = `[package]
name    = "app"
version = "1.2.0"
edition = "2021"

[dependencies]
serde = { version = "1.0.0", features = ["derive"] }
`

describe('version files: edited in place', () => {
  test('package.json and its lock: only the version text changes', () => {
    const dir = checkout({ 'package.json': PACKAGE, 'package-lock.json': LOCK })
    const [file] = parseVersionFiles('version-files', ['package.json'], dir)
    expect(readVersion(dir, file)).toBe('1.2.0')
    expect(writeVersion(dir, file, '1.3.0')).toEqual(['package.json', 'package-lock.json'])
    expect(read(dir, 'package.json')).toBe(PACKAGE.replace('"1.2.0"', '"1.3.0"'))
    const lock = JSON.parse(read(dir, 'package-lock.json'))
    expect(lock.version).toBe('1.3.0')
    expect(lock.packages[''].version).toBe('1.3.0')
    expect(lock.packages['node_modules/x'].version).toBe('1.2.0')
    expect(read(dir, 'package-lock.json')).toBe(
      LOCK.replace('"version": "1.2.0"', '"version": "1.3.0"').replace(
        '"name": "app", "version": "1.2.0"',
        '"name": "app", "version": "1.3.0"'
      )
    )
  })

  test('pyproject.toml: [project] version, comments and quotes kept', () => {
    const dir = checkout({ 'py/pyproject.toml': PYPROJECT })
    const [file] = parseVersionFiles('version-files', ['py/pyproject.toml'], dir)
    writeVersion(dir, file, '2.0.0-rc.1')
    expect(read(dir, 'py/pyproject.toml')).toBe(
      PYPROJECT.replace("version = '1.2.0'", "version = '2.0.0-rc.1'")
    )
    expect(
      (parse(read(dir, 'py/pyproject.toml')) as { tool: { other: { version: string } } }).tool.other
        .version
    ).toBe('0.0.1')
  })

  test('pyproject.toml with [tool.poetry]', () => {
    const text = '[tool.poetry]\nname = "app"\nversion = "0.3.1"\n'
    const dir = checkout({ 'pyproject.toml': text })
    const [file] = parseVersionFiles('version-files', ['pyproject.toml'], dir)
    writeVersion(dir, file, '0.4.0')
    expect(read(dir, 'pyproject.toml')).toBe(text.replace('0.3.1', '0.4.0'))
  })

  test('Cargo.toml: [package] version, not a dependency version', () => {
    const dir = checkout({ 'Cargo.toml': CARGO })
    const [file] = parseVersionFiles('version-files', ['Cargo.toml'], dir)
    writeVersion(dir, file, '1.3.0')
    expect(read(dir, 'Cargo.toml')).toBe(CARGO.replace('version = "1.2.0"', 'version = "1.3.0"'))
  })

  test('a text file with the marker comment', () => {
    const text = 'export const NAME = "app"\nexport const VERSION = "1.2.0" // x-slipway-version\n'
    const dir = checkout({ 'src/version.ts': text })
    const [file] = parseVersionFiles('version-files', ['generic:src/version.ts'], dir)
    expect(readVersion(dir, file)).toBe('1.2.0')
    writeVersion(dir, file, '1.2.1')
    expect(read(dir, 'src/version.ts')).toBe(text.replace('1.2.0', '1.2.1'))
  })
})

describe('version files: bad input', () => {
  const dir = checkout({
    'package.json': '{ "name": "app" }\n',
    'Cargo.toml': '[package]\nname = "x"\nversion.workspace = true\n',
    'VERSION.txt': '1.0.0\n',
    'setup.cfg': '[metadata]\nversion = 1.0.0\n'
  })

  test.each([
    ['setup.cfg', 'unknown version file type'],
    ['yaml:chart.yaml', 'unknown version file type'],
    ['package.json', 'no version'],
    ['Cargo.toml', 'no version'],
    ['generic:VERSION.txt', 'no marker'],
    ['missing/pyproject.toml', 'missing file'],
    ['../package.json', 'outside the checkout']
  ])('%s (%s) → InputError naming version-files and the entry', (entry, _why) => {
    const before = readFileSync(join(dir, 'package.json'), 'utf8')
    let error: unknown
    try {
      parseVersionFiles('version-files', [entry], dir)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toContain("'version-files'")
    expect((error as Error).message).toContain(entry)
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(before)
  })
})
