import { afterAll, describe, expect, test } from '@jest/globals'
import { existsSync } from 'node:fs'
import { freePort, isAlive, waitFor } from '../services/process.js'
import {
  buildAppImage,
  mountsUnder,
  processesMentioning,
  startDockerd,
  type DockerdInstance
} from '../services/docker.js'

// The docker test infrastructure itself: other docker tests trust these helpers to give them a
// real engine, real images and a clean machine afterwards, so each promise is checked here.

const started: DockerdInstance[] = []
afterAll(async () => {
  for (const d of started) await d.stop()
}, 60_000)

/** GET on the root namespace; resolves with status, x-version and body (no retry). */
async function get(url: string): Promise<{ status: number; version: string | null; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
  return { status: res.status, version: res.headers.get('x-version'), body: await res.text() }
}

async function answers(url: string): Promise<boolean> {
  try {
    await get(url)
    return true
  } catch {
    return false
  }
}

describe('local dockerd', () => {
  test('runs an app image published on 127.0.0.1 and leaves nothing behind', async () => {
    const d = await startDockerd()
    started.push(d)
    const ref = await buildAppImage(d, { version: '1.2.3', healthcheck: true })
    expect(ref).toBe('slipway-test/app:1.2.3')
    const port = await freePort()
    const id = (
      await d.docker(['run', '-d', '--name', 'app-blue-1.2.3', '-p', `127.0.0.1:${port}:8080`, ref])
    ).trim()
    const url = `http://127.0.0.1:${port}/`
    await waitFor('the app container to answer', () => answers(url), 20_000)
    const answer = await get(url)
    expect(answer).toMatchObject({ status: 200, version: '1.2.3' })
    expect(answer.body.split('\n')[0]).toBe('1.2.3')
    await waitFor(
      'the image HEALTHCHECK to pass',
      async () =>
        (await d.docker(['inspect', '--format', '{{.State.Health.Status}}', id])).trim() ===
        'healthy',
      30_000
    )
    await d.docker(['rm', '-f', id])
    expect(await d.docker(['ps', '-aq'])).toBe('')

    await d.stop()
    await d.stop() // idempotent
    expect(isAlive(d.pid)).toBe(false)
    expect(processesMentioning(d.dir)).toEqual([])
    expect(mountsUnder(d.dir)).toEqual([])
    expect(existsSync(d.dir)).toBe(false)
    expect(await answers(url)).toBe(false)
  }, 90_000)
})
