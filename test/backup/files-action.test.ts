import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'

// What the files engine and the dir store find wrong reaches the run as warning annotations.

let root: string

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'slipway-files-action-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('backup action (bundle), files and the dir store', () => {
  it('warns naming a skipped FIFO and a damaged manifest', async () => {
    const base = join(root, 'site')
    mkdirSync(base)
    writeFileSync(join(base, 'index.html'), 'hello')
    execFileSync('mkfifo', [join(base, 'control.pipe')])
    const store = join(root, 'store')
    const made = await runBundle('backup', {
      inputs: { engine: 'files', paths: '*', 'base-dir': base, path: store }
    })
    expect(made.annotations.errors).toEqual([])
    expect(made.exitCode).toBe(0)
    expect(made.annotations.warnings).toEqual([expect.stringContaining('control.pipe')])
    expect(JSON.parse(made.outputs.manifest).fileCount).toBe(1)

    const damaged = 'files-29990101T000000Z-abcdef.manifest.json'
    writeFileSync(join(store, damaged), 'not json')
    const listed = await runBundle('backup', { inputs: { operation: 'list', path: store } })
    expect(listed.exitCode).toBe(0)
    expect(listed.annotations.warnings).toEqual([
      expect.stringContaining(`skipped backup manifest ${damaged}`)
    ])
    expect(listed.outputs['backup-id']).toBe(made.outputs['backup-id'])
  })
})
