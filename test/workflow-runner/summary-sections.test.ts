// The report as the job's one summary (deploy.yml, rollback.yml): the stages' sections, written
// to the files SLIPWAY_SUMMARY_FILE named, come folded below the report's verdict, in the order
// listed; a file that is missing adds nothing; without a report they still reach the summary.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'

const dir = mkdtempSync(join(tmpdir(), 'slipway-sections-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const section = (name: string, text: string): string => {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}
const deploy = section(
  'deploy.md',
  '## ✅ deploy-strategy: canary v2 → staging\n\n**Version:** v2\n'
)
const smoke = section('smoke.md', '## Smoke test failed ❌\n\n0/1 checks passed\n')
const list = [deploy, join(dir, 'backup-was-skipped.md'), smoke].join('\n')

const folds = (summary: string): string[] =>
  [...summary.matchAll(/<details><summary>(.*?)<\/summary>/g)].map(m => m[1])

describe('report with SLIPWAY_SUMMARY_SECTIONS', () => {
  it('writes one summary: the verdict first, then each section folded, in order', async () => {
    const run = await runBundle('report', {
      inputs: { environment: 'staging', status: 'failure', version: 'v2', quality: 'false' },
      env: { SLIPWAY_SUMMARY_SECTIONS: list }
    })
    expect(run.exitCode).toBe(0)
    expect(run.summary.split('\n\n').slice(0, 2)).toEqual([
      '## Deployment report: staging',
      '❌ **failure**'
    ])
    expect(folds(run.summary)).toEqual([
      '✅ deploy-strategy: canary v2 → staging',
      'Smoke test failed ❌'
    ])
    expect(run.summary).toContain('0/1 checks passed')
  })

  it('keeps the sections when the report itself fails', async () => {
    const run = await runBundle('report', {
      inputs: { environment: 'staging', status: 'failure', token: 'x', repository: 'o/r' },
      env: { SLIPWAY_SUMMARY_SECTIONS: list, GITHUB_API_URL: 'http://127.0.0.1:9' }
    })
    expect(run.exitCode).toBe(1)
    expect(folds(run.summary)).toEqual([
      '✅ deploy-strategy: canary v2 → staging',
      'Smoke test failed ❌'
    ])
  })
})
