import { afterAll, afterEach, describe, expect, test } from '@jest/globals'
import { rmSync } from 'node:fs'
import { COMMANDS, runCli, type Terminal } from '@slipway/cli'
import { InputError, UserError } from '@slipway/kit'
import { gitRepo } from './helpers.js'

// How `slipway` reports a failure: what the user can fix reads plainly with what to do; anything
// else is a bug, reported with its stack and where to report it. The command's run is swapped
// for one that throws, so that each kind of failure is certain.

const cwd = gitRepo()
const smokeRun = COMMANDS.smoke.run
const TOKEN = 'ghp_cliTestToken12345'

afterEach(() => {
  COMMANDS.smoke.run = smokeRun
})
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true })
})

async function smokeThrowing(
  error: unknown,
  extra: string[] = []
): Promise<{ code: number; stdout: string; stderr: string }> {
  COMMANDS.smoke.run = async () => {
    throw error
  }
  let stdout = ''
  let stderr = ''
  const terminal: Terminal = { stdout: t => void (stdout += t), stderr: t => void (stderr += t) }
  const code = await runCli(['smoke', '--quiet', '--url', 'http://127.0.0.1:1/', ...extra], {
    cwd,
    terminal,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_TOKEN: TOKEN }
  })
  return { code, stdout, stderr }
}

describe('slipway failures', () => {
  test('a UserError prints its message plainly and its hint, redacted; exit 1', async () => {
    const run = await smokeThrowing(
      new UserError(`GitHub refused the token ${TOKEN}`, `grant deployments: write, not ${TOKEN}`)
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      'error: GitHub refused the token ***\nhint: grant deployments: write, not ***\n'
    )
  })

  test('an InputError prints plainly as before, with no hint line', async () => {
    const run = await smokeThrowing(new InputError('url', 'an http(s) URL', 'ftp://x'))
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(`error: Input 'url': expected an http(s) URL, got "ftp://x"\n`)
  })

  test('anything else keeps the command prefix, then the redacted stack and a request to report it', async () => {
    const run = await smokeThrowing(new RangeError(`slot index out of range near ${TOKEN}`))
    expect(run.code).toBe(1)
    const lines = run.stderr.split('\n')
    expect(lines[0]).toBe(`error: smoke failed: slot index out of range near ***`)
    expect(lines[1]).toBe('RangeError: slot index out of range near ***')
    expect(lines[2]).toMatch(/^\s+at /)
    expect(lines.some(line => line.includes('bug in Slipway') && line.includes('/issues'))).toBe(
      true
    )
    expect(run.stderr).not.toContain(TOKEN)
  })

  test('--json keeps the error in the report, the explanation on stderr', async () => {
    const run = await smokeThrowing(new UserError('the checkout is shallow', 'fetch-depth: 0'), [
      '--json'
    ])
    expect(run.code).toBe(1)
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, error: 'the checkout is shallow' })
    expect(run.stderr).toContain('hint: fetch-depth: 0')
  })
})
