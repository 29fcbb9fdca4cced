import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import semver from 'semver'
import { repoRoot } from '../helpers/run-bundle.js'

// The published package (`npm install -g @slipway/cli`, `npx --yes @slipway/cli`): packed from
// packages/cli, installed from the tarball into an empty folder with no network, and run from
// there with no repository around it — the bundle must need nothing outside the package.

const work = mkdtempSync(join(tmpdir(), 'slipway-install-'))
const app = join(work, 'app')
const npmEnv = {
  PATH: process.env.PATH ?? '',
  HOME: work,
  // Its own cache and no registry traffic: the tarball has no dependencies to fetch.
  npm_config_cache: join(work, 'npm-cache'),
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false'
}
let tarball: string
let manifest: Record<string, unknown>

function npm(args: string[], cwd: string) {
  const result = spawnSync('npm', args, { cwd, env: npmEnv, encoding: 'utf8', timeout: 240_000 })
  if (result.status !== 0)
    throw new Error(`npm ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  return result.stdout
}

/** The installed `slipway`, run as npm links it, with the Node running this test. */
function slipway(args: string[]) {
  const result = spawnSync(join(app, 'node_modules', '.bin', 'slipway'), args, {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', HOME: work },
    encoding: 'utf8',
    timeout: 120_000
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

beforeAll(() => {
  const [packed] = JSON.parse(
    npm(['pack', join(repoRoot, 'packages', 'cli'), '--pack-destination', work, '--json'], work)
  ) as { filename: string; files: { path: string }[] }[]
  tarball = join(work, packed.filename)
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), '{ "private": true }\n')
  npm(['install', '--offline', '--no-audit', '--no-fund', tarball], app)
  manifest = JSON.parse(
    readFileSync(join(app, 'node_modules', '@slipway', 'cli', 'package.json'), 'utf8')
  )
}, 300_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

test('the package: our scoped name, the bin, the engines, bundled files only, no dependencies', () => {
  expect(manifest.name).toBe('@slipway/cli')
  expect(manifest.private).toBeUndefined()
  expect(manifest.bin).toEqual({ slipway: 'bin/slipway.mjs' })
  expect(manifest.dependencies).toBeUndefined()
  const engines = (manifest.engines as { node: string }).node
  expect(semver.satisfies(process.version, engines)).toBe(true)
  const installed = join(app, 'node_modules', '@slipway', 'cli')
  expect(readdirSync(installed).sort()).toEqual(['bin', 'dist', 'package.json'])
  expect(readdirSync(join(installed, 'dist'))).toEqual(
    expect.arrayContaining(['index.js', 'slipway.schema.json', 'licenses.txt'])
  )
  // Nothing else was installed: everything the CLI runs is in its bundle.
  expect(readdirSync(join(app, 'node_modules')).filter(n => !n.startsWith('.'))).toEqual([
    '@slipway'
  ])
})

test('slipway --help and --version from an empty folder', () => {
  const help = slipway(['--help'])
  expect(help.stderr).toBe('')
  expect(help.code).toBe(0)
  expect(help.stdout).toContain('Usage: slipway <command>')
  expect(help.stdout).toMatch(/^ {2}status /m)
  const version = slipway(['--version'])
  expect(version.code).toBe(0)
  expect(version.stdout.trim()).toBe(manifest.version)
})

test('a dry run of the pipeline with a config file: the schema comes from the package', () => {
  writeFileSync(
    join(app, 'slipway.yml'),
    [
      'version: 1',
      'defaults:',
      '  deploy:',
      '    strategy: blue-green',
      '    prepare-command: ./deploy.sh prepare',
      '    route-command: ./deploy.sh route',
      '    health-check: none',
      'environments:',
      '  staging: {}',
      ''
    ].join('\n')
  )
  const run = slipway([
    'pipeline',
    '--config',
    'slipway.yml',
    '--environment',
    'staging',
    '--version',
    '1.0.0',
    '--dry-run',
    '--json'
  ])
  expect(run.stderr).not.toContain('error')
  expect(run.code).toBe(0)
  const { outputs } = JSON.parse(run.stdout)
  expect(outputs.status).toBe('dry-run')
  expect(outputs.timeline).toContain('blue-green 1.0.0 on blue')
  // A key the schema does not know is refused: the file really was validated.
  writeFileSync(join(app, 'bad.yml'), 'version: 1\ndefaults:\n  deploy:\n    stratgy: canary\n')
  const bad = slipway(['pipeline', '--config', 'bad.yml', '--version', '1.0.0', '--dry-run'])
  expect(bad.code).toBe(1)
  expect(bad.stderr).toContain('slipway.schema.json')
  expect(bad.stderr).toContain('stratgy')
})

test('slipway status in the empty folder: nothing recorded yet', () => {
  const run = slipway(['status'])
  expect(run.code).toBe(0)
  expect(run.stdout).toContain('No deployments recorded')
})
