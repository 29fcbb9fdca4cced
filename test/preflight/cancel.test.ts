import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { isAlive, waitFor } from '../services/process.js'

describe('preflight-check bundle cancelled by the runner', () => {
  it('SIGTERM stops the command check it is running and exits 143', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-preflight-cancel-'))
    const pidFile = join(dir, 'check.pid')
    for (const name of ['output', 'summary']) writeFileSync(join(dir, name), '')
    const action = spawn(
      process.execPath,
      [join(repoRoot, 'dist', 'preflight-check', 'index.js')],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          RUNNER_TEMP: dir,
          GITHUB_OUTPUT: join(dir, 'output'),
          GITHUB_STEP_SUMMARY: join(dir, 'summary'),
          // The check records its pid, then becomes a long sleep (exec keeps the pid).
          INPUT_COMMAND: `echo $$ > '${pidFile}'; exec sleep 300`,
          INPUT_TIMEOUT: '5m'
        },
        stdio: ['ignore', 'ignore', 'ignore']
      }
    )
    // The signal too: a failure then says whether the action died by one instead of exiting 143.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(resolve =>
      action.once('exit', (code, signal) => resolve({ code, signal }))
    )
    try {
      await waitFor(
        'the check',
        () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'),
        60_000
      )
      const pid = Number(readFileSync(pidFile, 'utf8'))
      expect(isAlive(pid)).toBe(true)
      action.kill('SIGTERM')
      const code = await Promise.race([
        exited,
        new Promise<'no exit'>(resolve => setTimeout(() => resolve('no exit'), 30_000))
      ])
      expect(code).toEqual({ code: 143, signal: null })
      expect(isAlive(pid)).toBe(false)
    } finally {
      action.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
