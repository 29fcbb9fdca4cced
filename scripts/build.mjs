#!/usr/bin/env node
// Bundles every action (or the ones named on the command line) with ncc into dist/<name>/.
// ncc's build cache (~/.cache/ncc) is off: a cache left by an earlier tree changed the order
// modules were met in, and with it licenses.txt, so dist/ looked stale on a fresh clone.
// ncc exits 0 even when it could not resolve an import and writes a bundle that throws at
// run time, so each bundle is checked for webpack's "missing module" marker.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const available = readdirSync(join(root, 'actions')).filter(name =>
  existsSync(join(root, 'actions', name, 'src', 'index.ts'))
)
const requested = process.argv.slice(2)
const unknown = requested.filter(name => !available.includes(name))
if (unknown.length > 0) {
  console.error(`Unknown action(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`)
  process.exit(1)
}
const names = requested.length > 0 ? requested : available

function bundle(name) {
  const out = join(root, 'dist', name)
  rmSync(out, { recursive: true, force: true })
  const args = [
    'build',
    join('actions', name, 'src', 'index.ts'),
    '-o',
    out,
    '--license',
    'licenses.txt',
    '--quiet',
    '--transpile-only',
    '--no-cache'
  ]
  return new Promise(resolve => {
    const child = spawn(join(root, 'node_modules', '.bin', 'ncc'), args, {
      cwd: root,
      stdio: 'inherit'
    })
    child.on('close', code =>
      resolve(code === 0 ? check(name, out) : `ncc exited with code ${code}`)
    )
  })
}

function check(name, out) {
  const file = join(out, 'index.js')
  if (!existsSync(file)) return 'no index.js was written'
  if (readFileSync(file, 'utf8').includes('webpackMissingModule')) {
    return 'the bundle contains an unresolved import (webpackMissingModule)'
  }
  return undefined
}

// Two at a time: the machine has two cores and ncc is CPU-bound.
const failures = []
const queue = [...names]
await Promise.all(
  [0, 1].map(async () => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const started = Date.now()
      const problem = await bundle(name)
      if (problem) failures.push(`${name}: ${problem}`)
      console.log(
        `${problem ? '✗' : '✓'} dist/${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`
      )
    }
  })
)
if (failures.length > 0) {
  console.error(`Build failed:\n${failures.map(f => `  ${f}`).join('\n')}`)
  process.exit(1)
}
