import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onCleanup, run, stopEverything, trackChild, trackedChildren } from '@slipway/kit'
import { isAlive } from '../services/process.js'

/** Resolves with the first line the process prints, or rejects at the deadline. */
function firstLine(child: ReturnType<typeof spawn>, deadlineMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const timer = setTimeout(() => reject(new Error(`no line within ${deadlineMs}ms`)), deadlineMs)
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.includes('\n')) {
        clearTimeout(timer)
        resolve(text.split('\n')[0])
      }
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`exited with ${code} before printing`))
    })
  })
}

function exitOf(child: ReturnType<typeof spawn>, deadlineMs: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode })
    const timer = setTimeout(() => reject(new Error(`no exit within ${deadlineMs}ms`)), deadlineMs)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal })
    })
  })
}

describe('children die with the action', () => {
  it('a cancelled process (SIGTERM) stops the child `run` started, removes its secret file and exits 143', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-children-'))
    const secretFile = join(dir, 'secret')
    const fixture = spawn(
      process.execPath,
      ['--import', 'tsx', join('test', 'kit', 'fixtures', 'cancellable.ts'), secretFile],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    )
    try {
      const pid = Number(await firstLine(fixture, 60_000))
      expect(isAlive(pid)).toBe(true)
      expect(existsSync(secretFile)).toBe(true)
      fixture.kill('SIGTERM')
      const exit = await exitOf(fixture, 20_000)
      expect(exit.code).toBe(143)
      // The child was reaped by the fixture before it exited: its pid no longer exists.
      expect(isAlive(pid)).toBe(false)
      expect(existsSync(secretFile)).toBe(false)
    } finally {
      fixture.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('tracks a child while it runs and forgets it once it exits', async () => {
    const pending = run('sleep', ['0.2'])
    expect(trackedChildren().length).toBeGreaterThan(0)
    await pending
    expect(trackedChildren()).toHaveLength(0)
  })

  it('stops children that ignore SIGTERM with SIGKILL after the grace, and runs cleanups', async () => {
    const stubborn = trackChild(
      spawn(
        process.execPath,
        [
          '-e',
          "process.on('SIGTERM', () => undefined); console.log('ready'); setInterval(() => {}, 1000)"
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] }
      )
    )
    await firstLine(stubborn, 30_000)
    let cleaned = false
    onCleanup(() => {
      cleaned = true
    })
    const code = await stopEverything('SIGINT')
    expect(code).toBe(130)
    const exit = await exitOf(stubborn, 10_000)
    expect(exit.signal).toBe('SIGKILL')
    expect(cleaned).toBe(true)
    expect(trackedChildren()).toHaveLength(0)
  })
})
