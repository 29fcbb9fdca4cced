#!/usr/bin/env node
// `npm run bench -- <name> [<name> …] [-- args]` runs benchmarks one after another (never in
// parallel: they measure time on a 2-core machine); with no name it lists them. Each writes its
// table to bench/results/<name>.md. Benchmarks are never part of the test suite.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const here = new URL('.', import.meta.url).pathname
const available = readdirSync(here)
  .filter(file => file.endsWith('.mjs') && file !== 'run.mjs')
  .map(file => file.replace(/\.mjs$/, ''))
const names = process.argv.slice(2).filter(arg => !arg.startsWith('-'))
const extra = process.argv.slice(2).filter(arg => arg.startsWith('-'))
if (names.length === 0) {
  console.log(
    `Benchmarks: ${available.join(', ')}\nRun: npm run bench -- <name> …  (build the bundles first: npm run build)`
  )
  process.exit(0)
}
const unknown = names.filter(name => !available.includes(name))
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`)
  process.exit(2)
}
for (const name of names) {
  console.log(`\n==> bench/${name}.mjs`)
  const result = spawnSync(process.execPath, [join(here, `${name}.mjs`), ...extra], {
    stdio: 'inherit'
  })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
