import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'

// A server that answers 500 with the request's headers in the body, as debug endpoints and
// misconfigured proxies do: the failure report quotes that body.
let server: Server
let url: string
let dir: string
beforeAll(async () => {
  server = createServer((request, response) => {
    response.writeHead(500, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ error: 'boom', headers: request.headers }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  dir = mkdtempSync(join(tmpdir(), 'slipway-smoke-redaction-'))
})
afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

const API_KEY = 'k3y-4b6c-secret-value'
const TOKEN = 'tok-9f8e7d6c5b4a'

describe('smoke-test keeps registered secrets out of what it writes', () => {
  it('a body echoing Authorization and X-Api-Key reaches neither the report output, the JUnit file nor the summary', async () => {
    const junit = join(dir, 'junit.xml')
    const run = await runBundle('smoke-test', {
      inputs: {
        url: `${url}/health`,
        headers: `Authorization: "Bearer ${TOKEN}"\nX-Api-Key: "${API_KEY}"\n`,
        timeout: '2s',
        'retry-interval': '200ms',
        'junit-path': junit
      }
    })
    expect(run.exitCode).toBe(1)
    const report = run.outputs.report
    // The body excerpt was reported (the server echoed the headers) …
    expect(report).toContain('x-api-key')
    expect(readFileSync(junit, 'utf8')).toContain('x-api-key')
    // … with the values gone everywhere.
    const written = [
      ['report output', report],
      ['every output', JSON.stringify(run.outputs)],
      ['JUnit file', readFileSync(junit, 'utf8')],
      ['summary', run.summary],
      // The runner hides registered values in its log; only the masking commands carry them.
      [
        'log',
        run.stdout
          .split('\n')
          .filter(line => !line.startsWith('::add-mask::'))
          .join('\n')
      ]
    ]
    for (const [where, text] of written) {
      expect([where, text.includes(API_KEY)]).toEqual([where, false])
      expect([where, text.includes(TOKEN)]).toEqual([where, false])
    }
  })
})
