import { mkdtempSync, readFileSync, existsSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DeployInputs } from '@slipway/strategies'

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `slipway-${prefix}-`))
}

/** A free loopback port (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

/** Kills every app the hooks started in a state dir (pid files), for afterAll. */
export function killApps(stateDir: string, names: string[]): void {
  for (const name of names) {
    const file = join(stateDir, `${name}.pid`)
    if (!existsSync(file)) continue
    try {
      process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (let i = 0; i < 10_000; i++) {
    try {
      const value = await fn()
      if (value !== undefined && value !== false) return value as T
    } catch {
      // retry until the deadline
    }
    if (Date.now() > deadline) break
    await new Promise(r => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/**
 * The deploy settings that tests building a config directly share (what the action's input
 * defaults would give, with short health timings); each test overrides what it is about.
 */
export const testDeploySettings = {
  dryRun: false,
  switchTraffic: true,
  keepPreviousMs: 0,
  intervalMs: 60_000,
  failureLimit: 0,
  consecutiveSuccesses: 3,
  analysisRequests: 20,
  batchSize: '1',
  healthPath: '/health',
  healthTimeoutMs: 1000,
  healthIntervalMs: 100,
  hookTimeoutMs: 10_000,
  drainDelayMs: 0,
  recordDeployment: true,
  upstreamName: 'slipway',
  nginxTestCommand: 'true',
  nginxReloadCommand: 'true'
} satisfies Partial<DeployInputs>
