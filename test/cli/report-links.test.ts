import { afterAll, describe, expect, test } from '@jest/globals'
import { rmSync } from 'node:fs'
import { runCli, type Terminal } from '@slipway/cli'
import { gitRepo } from './helpers.js'

// The report links to the workflow run and the environment's deployments only where a real
// server and repository are known. The local ledger has neither: its `local/<dir>` repository
// is a name for the ledger, not a page on github.com.

const cwd = gitRepo()
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true })
})

async function report(
  args: string[],
  env: Record<string, string> = {}
): Promise<{ code: number; out: string }> {
  let out = ''
  const terminal: Terminal = { stdout: t => void (out += t), stderr: t => void (out += t) }
  const code = await runCli(
    ['report', '--environment', 'production', '--report-file', 'report.json', ...args],
    {
      cwd,
      terminal,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
    }
  )
  return { code, out }
}

describe('report links', () => {
  test('the local ledger: no link to github.com, even when GITHUB_SERVER_URL is set', async () => {
    const saved = process.env.GITHUB_SERVER_URL
    process.env.GITHUB_SERVER_URL = 'https://github.com'
    try {
      const run = await report(['--window', '1d', '--repository', 'local/local'])
      expect(run.out).toContain('using the local ledger')
      expect(run.code).toBe(0)
      expect(run.out).toContain('## Deployment report: production')
      expect(run.out).not.toContain('github.com')
      expect(run.out).not.toMatch(/\]\(https?:/)
    } finally {
      if (saved === undefined) delete process.env.GITHUB_SERVER_URL
      else process.env.GITHUB_SERVER_URL = saved
    }
  })

  test('GitHub with a token: links to the server behind the API URL', async () => {
    const github = await report(['--token', 'x', '--repository', 'octo/app', '--quality', 'false'])
    expect(github.code).toBe(0)
    expect(github.out).toContain(
      '[production deployments](https://github.com/octo/app/deployments/production)'
    )
    const enterprise = await report([
      '--token',
      'x',
      '--api-url',
      'https://ghe.example.com/api/v3',
      '--repository',
      'octo/app',
      '--quality',
      'false'
    ])
    expect(enterprise.code).toBe(0)
    expect(enterprise.out).toContain(
      '[production deployments](https://ghe.example.com/octo/app/deployments/production)'
    )
  })
})
