#!/usr/bin/env node
// Builds the CLI bundle packages/cli/dist/index.js with ncc (the actions' build, scripts/build.mjs,
// only knows actions/*). Regenerates the options from action.yml first, and fails like the
// actions' build when ncc leaves an unresolved import in the bundle.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const here = new URL('.', import.meta.url).pathname
const root = join(here, '..', '..')
const gen = spawnSync(process.execPath, [join(here, 'scripts', 'gen-inputs.mjs')], {
  stdio: 'inherit'
})
if (gen.status !== 0) process.exit(gen.status ?? 1)
const out = join(here, 'dist')
rmSync(out, { recursive: true, force: true })
const started = Date.now()
const ncc = spawnSync(
  join(root, 'node_modules', '.bin', 'ncc'),
  [
    'build',
    join('packages', 'cli', 'src', 'bin.ts'),
    '-o',
    out,
    '--license',
    'licenses.txt',
    '--quiet',
    '--transpile-only',
    '--no-cache' // a cache from an earlier tree can reorder modules (see scripts/build.mjs)
  ],
  { cwd: root, stdio: 'inherit' }
)
if (ncc.status !== 0) process.exit(ncc.status ?? 1)
const file = join(out, 'index.js')
if (!existsSync(file) || readFileSync(file, 'utf8').includes('webpackMissingModule')) {
  console.error(
    'packages/cli/dist/index.js is missing or has an unresolved import (webpackMissingModule)'
  )
  process.exit(1)
}
// The published package holds only bin/ and dist/: rollback and pipeline validate the config
// file with slipway.schema.json, which they look for from the bundle's directory upwards, so
// it travels beside the bundle instead of being read from the repository root.
copyFileSync(join(root, 'slipway.schema.json'), join(out, 'slipway.schema.json'))
console.log(`✓ packages/cli/dist (${((Date.now() - started) / 1000).toFixed(1)}s)`)
