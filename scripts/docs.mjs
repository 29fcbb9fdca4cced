#!/usr/bin/env node
// `npm run docs` regenerates the inputs/outputs tables in every action README from its
// action.yml; `npm run docs -- --check` fails when a README is out of date (CI runs that).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderReadme } from './action-docs.mjs'

const root = new URL('..', import.meta.url).pathname
const check = process.argv.includes('--check')
const dirs = readdirSync(join(root, 'actions'))
  .map(name => join('actions', name))
  .filter(dir => existsSync(join(root, dir, 'action.yml')))
if (existsSync(join(root, 'action.yml'))) dirs.push('.')

const problems = []
for (const dir of dirs) {
  const readmePath = join(root, dir, 'README.md')
  if (!existsSync(readmePath)) {
    problems.push(`${dir}/README.md is missing`)
    continue
  }
  const readme = readFileSync(readmePath, 'utf8')
  let rendered
  try {
    rendered = renderReadme(readme, readFileSync(join(root, dir, 'action.yml'), 'utf8'))
  } catch (error) {
    problems.push(`${dir}/README.md: ${error.message}`)
    continue
  }
  if (rendered === readme) continue
  if (check) problems.push(`${dir}/README.md is out of date: run 'npm run docs'`)
  else {
    writeFileSync(readmePath, rendered)
    console.log(`updated ${dir}/README.md`)
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'))
  process.exit(1)
}
if (check) console.log(`${dirs.length} README(s) match their action.yml.`)
