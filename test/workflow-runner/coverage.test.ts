/**
 * Every starter workflow and every workflow of ours is run by a test in this folder, or is
 * listed here with the reason it is not: a new template cannot slip in untested.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { allWorkflowFiles } from '../workflows/workflows.js'

const NOT_RUN: Record<string, string> = {
  '.github/workflows/ci.yml': 'our CI runs this repository’s whole test suite, this folder included'
}

const here = join(repoRoot, 'test', 'workflow-runner')
const tests = readdirSync(here)
  .filter(name => name.endsWith('.test.ts') && name !== 'coverage.test.ts')
  .map(name => readFileSync(join(here, name), 'utf8'))

/** A workflow a test runs directly, or one a run workflow calls (`uses: …/<path>@`). */
function isRun(path: string): boolean {
  if (tests.some(text => text.includes(`'${path}'`))) return true
  return allWorkflowFiles().some(
    file =>
      file.path !== path &&
      tests.some(t => t.includes(`'${file.path}'`)) &&
      file.text.includes(`/${path}@`)
  )
}

describe('workflow files run by the suite', () => {
  it.each(allWorkflowFiles().map(f => [f.path]))('%s', path => {
    expect({ path, run: isRun(path), reason: NOT_RUN[path] }).toEqual(
      NOT_RUN[path] === undefined
        ? { path, run: true, reason: undefined }
        : { path, run: false, reason: NOT_RUN[path] }
    )
  })
})
