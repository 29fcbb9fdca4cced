import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'

// The rollback bundle as the runner runs it, with GITHUB_API_URL on a loopback port nobody
// listens on: it fails with what to fix after one connection attempt (it used to retry at 1,
// 4 and 9 s). Attempts are counted inside the bundle's process from undici's diagnostics
// channel (one event per TCP connect), written to a file by a preloaded script.

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-fail-fast-'))
  writeFileSync(
    join(dir, 'count-connects.cjs'),
    `const { subscribe } = require('node:diagnostics_channel')
const { appendFileSync } = require('node:fs')
subscribe('undici:client:beforeConnect', message => {
  appendFileSync(process.env.CONNECT_LOG, String(message.connectParams.port) + '\\n')
})
`
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as { port: number }
  await new Promise<void>(done => server.close(() => done()))
  return port
}

describe('the rollback bundle with GITHUB_API_URL on a closed port', () => {
  it('fails after one connection attempt, naming the API URL and what to check', async () => {
    const port = await closedPort()
    const apiUrl = `http://127.0.0.1:${port}`
    const log = join(dir, 'connects')
    writeFileSync(log, '')
    const run = await runBundle('rollback', {
      inputs: {
        'github-token': 'ghs_notARealToken',
        provider: 'script',
        'prepare-command': 'true',
        'route-command': 'true',
        'health-check': 'none'
      },
      env: {
        GITHUB_API_URL: apiUrl,
        NODE_OPTIONS: `--require ${join(dir, 'count-connects.cjs')}`,
        CONNECT_LOG: log
      }
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors).toEqual([
      `rollback failed: GitHub's API at ${apiUrl} could not be reached: the connection was refused (ECONNREFUSED).`
    ])
    expect(run.stdout).toMatch(/To fix: Check GITHUB_API_URL/)
    expect(run.stdout).not.toMatch(/This is a bug in Slipway/)
    const attempts = readFileSync(log, 'utf8').split('\n').filter(Boolean)
    expect(attempts).toEqual([String(port)])
  })
})
