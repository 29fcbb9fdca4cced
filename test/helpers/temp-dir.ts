// Temporary directories for tests, removed once the test file is done: a full run used to leave
// thousands of them in the system temp dir. Only what tests make is removed here, so a directory
// the product leaves behind still shows.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made = new Set<string>()

// Registered when the test file imports this module, so before the file's own hooks: jest runs
// the afterAll hooks of a block in the order they were declared, and this one runs first. Taken
// from the globals jest provides, not imported from @jest/globals: the demo (examples/demo) runs
// the service starters outside jest, where there is no hook and nothing to import.
const { afterAll } = globalThis as { afterAll?: (hook: () => void) => void }
afterAll?.(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
  made.clear()
})

/**
 * A new directory `slipway-<prefix>-XXXXXX`, removed after the test file's tests and before the
 * afterAll hooks the file declares. A directory such a hook still reads (the pid files of the
 * apps it stops) comes from `ownedTempDir` instead.
 */
export function tempDir(prefix: string): string {
  const dir = ownedTempDir(prefix)
  made.add(dir)
  return dir
}

/** A new directory `slipway-<prefix>-XXXXXX` that the caller removes when it is done with it. */
export function ownedTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `slipway-${prefix}-`))
}
