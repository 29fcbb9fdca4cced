import { afterAll, expect, test } from '@jest/globals'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ownedTempDir, tempDir } from '../services/process.js'

const made: string[] = []
let owned = ''

test('a test writes into the directories it asked for', () => {
  made.push(tempDir('temp-dir-test'), tempDir('temp-dir-test'))
  owned = ownedTempDir('temp-dir-test-owned')
  for (const dir of [...made, owned]) writeFileSync(join(dir, 'file'), 'kept while the tests run')
  expect(made.every(dir => existsSync(join(dir, 'file')))).toBe(true)
})

// Declared after the helper's own hook (imports come first), so it sees what the file leaves.
afterAll(() => {
  const ownedKept = existsSync(join(owned, 'file'))
  rmSync(owned, { recursive: true, force: true })
  expect(made.filter(dir => existsSync(dir))).toEqual([])
  expect(ownedKept).toBe(true)
})
