// A stage step given SLIPWAY_SUMMARY_FILE (deploy.yml, rollback.yml) writes its summary section to
// that file, redacted, and nothing to the job summary; without it the section is the job summary.
// The write lives once in the kit's reportStage, which every action's run ends with.
import { afterAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'

const dir = mkdtempSync(join(tmpdir(), 'slipway-section-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// A closed loopback port: the check fails at once, and the step fails with its section written.
const secret = 's3cr3t-header-value'
// The password is in the URL the summary names, so the section shows whether it was redacted.
const inputs = {
  url: `http://probe:${secret}@127.0.0.1:9/health`,
  timeout: '1s',
  'retry-interval': '200ms'
}

describe('a stage section in SLIPWAY_SUMMARY_FILE', () => {
  it('goes to the file, redacted, and not to the job summary', async () => {
    const file = join(dir, 'smoke.md')
    const run = await runBundle('smoke-test', { inputs, env: { SLIPWAY_SUMMARY_FILE: file } })
    expect(run.exitCode).toBe(1)
    expect(existsSync(file)).toBe(true)
    const section = readFileSync(file, 'utf8')
    expect(section).toMatch(/^## .*[Ss]moke/)
    expect(section).toContain('127.0.0.1:9/health')
    expect(section).not.toContain(secret)
    expect(run.summary).toBe('')
  })

  it('is the job summary when no file is given', async () => {
    const run = await runBundle('smoke-test', { inputs })
    expect(run.exitCode).toBe(1)
    expect(run.summary).toMatch(/^## .*[Ss]moke/)
  })
})
