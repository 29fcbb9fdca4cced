import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { runBundle } from '../helpers/run-bundle.js'
import { readyAfterAttempts, startAppServer, type AppServer } from './helpers/servers.js'

let app: AppServer
let dir: string
beforeAll(async () => {
  app = await startAppServer()
  dir = mkdtempSync(join(tmpdir(), 'slipway-smoke-action-'))
})
afterAll(async () => {
  await app.close()
  rmSync(dir, { recursive: true, force: true })
})

const junitOf = (path: string) => {
  const text = readFileSync(path, 'utf8')
  expect(XMLValidator.validate(text)).toBe(true)
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text).testsuites
}

describe('smoke-test bundle', () => {
  it('passes once a slow-starting deployment becomes ready', async () => {
    const flap = readyAfterAttempts(app, 3)
    const junit = join(dir, 'pass.xml')
    const run = await runBundle('smoke-test', {
      inputs: {
        url: '/flap',
        'base-url': app.url,
        'expect-json': '{"$.status": "ok"}',
        'retry-interval': '200ms',
        timeout: '20s',
        'junit-path': junit
      }
    }).finally(() => flap.stop())
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      passed: 'true',
      failed: '0',
      'failed-checks': '',
      'junit-path': junit
    })
    const report = JSON.parse(run.outputs.report)
    expect(report.checks[0]).toMatchObject({ name: 'GET /flap', passed: true, httpStatus: 200 })
    expect(report.checks[0].attempts).toBeGreaterThan(3)
    expect(run.summary).toContain('## Smoke test passed ✅')
    expect(run.summary).toContain('|  | Check | URL | HTTP | Latency | Attempts | Message |')
    expect(run.summary).toMatch(
      /\| ✅ \| GET \/flap \| http:\/\/127\.0\.0\.1:\d+\/flap \| 200 \| \d+ms \| \d+ \|/
    )
    expect(junitOf(junit).testsuite).toMatchObject({
      name: 'smoke-test.checks',
      tests: '1',
      failures: '0'
    })
  })

  it('fails on a 500, a slow answer and wrong JSON, naming each, with exit code 1', async () => {
    const junit = join(dir, 'fail.xml')
    const run = await runBundle('smoke-test', {
      inputs: {
        'base-url': app.url,
        checks: [
          '- name: health',
          '  url: /health',
          '- name: broken',
          '  url: /fail',
          '  retries: 1',
          '- name: slow',
          '  url: /slow',
          '  max-latency: 100ms',
          '  retries: 0',
          '- name: version',
          '  url: /wrong-json',
          '  retries: 0',
          '  expect-json:',
          '    $.status: ok',
          '    $.version: 1.4.2'
        ].join('\n'),
        'retry-interval': '100ms',
        timeout: '10s',
        'load-duration': '1s',
        'junit-path': junit
      }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({
      passed: 'false',
      failed: '3',
      'failed-checks': 'broken,slow,version'
    })
    expect(run.annotations.errors).toHaveLength(1)
    expect(run.annotations.errors[0]).toMatch(
      /^smoke-test failed: broken: GET http:\/\/127\.0\.0\.1:\d+\/fail → status 500, expected 200-399 \(after 2 attempts\) \(and 2 more failed check\(s\)\)$/
    )
    expect(run.summary).toContain('## Smoke test failed ❌')
    expect(run.summary).toMatch(
      /\| ❌ \| slow \| .* \| 200 \| \d+ms \| 1 \| latency \d+ms over the budget of 100ms \|/
    )
    expect(run.summary).toContain(
      '$.status is \\"degraded\\", expected \\"ok\\" (+1 more)'.replace(/\\"/g, '"')
    )
    expect(run.summary).toContain('<details><summary>Response bodies of failed checks</summary>')
    expect(run.summary).toContain('### Load check\n\n⏭️ Skipped: the checks failed.')
    const suites = junitOf(junit)
    expect(suites).toMatchObject({ tests: '5', failures: '3', skipped: '1' })
    expect(JSON.parse(run.outputs.report).skipped).toEqual(['load'])
  })

  it('runs a load check, and fails the next run that regresses against its report', async () => {
    app.loadDelayMs = 0
    const first = await runBundle('smoke-test', {
      inputs: {
        url: `${app.url}/load`,
        'load-duration': '1s',
        'load-connections': 4,
        // a limit shown in the summary that a busy machine cannot miss
        'load-max-p95': '5s',
        'junit-path': join(dir, 'load1.xml')
      }
    })
    expect(first.annotations.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    const baseline = JSON.parse(first.outputs.report)
    expect(baseline.load.passed).toBe(true)
    expect(baseline.load.figures.requests).toBeGreaterThan(0)
    expect(first.summary).toContain('### Load check ✅')
    expect(first.summary).toMatch(/\| p95 \| [\d.]+ms \| ✅ ≤ 5000\.0ms \| — \|/)

    // The "new version" is much slower: 2 s per answer is a regression against any baseline a
    // busy machine measured for the first run (its p95 would have to be over 1.3 s).
    app.loadDelayMs = 2000
    try {
      const second = await runBundle('smoke-test', {
        inputs: {
          url: `${app.url}/load`,
          // ended by the request cap, so no request is still in flight when it stops
          'load-duration': '60s',
          'load-max-requests': 8,
          'load-connections': 4,
          baseline: first.outputs.report,
          'baseline-tolerance': '50%',
          'junit-path': join(dir, 'load2.xml')
        }
      })
      expect(second.exitCode).toBe(1)
      expect(second.outputs).toMatchObject({ passed: 'false', 'failed-checks': 'load' })
      expect(second.annotations.errors[0]).toMatch(
        /^smoke-test failed: load check: p95 [\d.]+ms > [\d.]+ms \(baseline [\d.]+ms\)/
      )
      expect(second.summary).toContain('### Load check ❌')
      expect(second.summary).toMatch(/\| p95 \| [\d.]+ms \| — \| ❌ ≤ [\d.]+ms \(was [\d.]+ms\) \|/)
      const load = junitOf(join(dir, 'load2.xml')).testsuite[1]
      expect(load.name).toBe('smoke-test.load')
      expect(Number(load.failures)).toBeGreaterThanOrEqual(1)
    } finally {
      app.loadDelayMs = 0
    }
  })

  it('fails the step on a breach during the watch window', async () => {
    app.healthy = true
    // The server turns bad once the check and the first watch round reached it (counted, not
    // timed: the bundle may take seconds to start on a busy machine).
    const before = app.hits.get('/toggle') ?? 0
    let watching = true
    const flip = (async () => {
      for (let i = 0; i < 3000 && watching; i++) {
        if ((app.hits.get('/toggle') ?? 0) >= before + 2) {
          app.healthy = false
          return
        }
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    })()
    try {
      const run = await runBundle('smoke-test', {
        inputs: {
          url: `${app.url}/toggle`,
          watch: '20s',
          'watch-interval': '250ms',
          'junit-path': join(dir, 'watch.xml')
        }
      })
      expect(run.exitCode).toBe(1)
      expect(run.outputs).toMatchObject({ passed: 'false', 'failed-checks': 'watch' })
      expect(run.annotations.errors[0]).toMatch(
        /^smoke-test failed: watch window: breach in round \d+ after [\d.]+s: GET \/toggle: .*status 500/
      )
      expect(run.summary).toContain('### Watch window ❌')
      expect(run.summary).toContain('stopped at the limit')
    } finally {
      watching = false
      await flip
      app.healthy = true
    }
  })

  it('dry-run lists the plan and sends nothing', async () => {
    const before = app.requests
    const run = await runBundle('smoke-test', {
      inputs: {
        url: `${app.url}/health`,
        'expect-status': '200-204',
        'expect-body-regex': '"status":\\s*"ok"',
        'load-duration': '30s',
        watch: '5m',
        'prometheus-url': 'http://127.0.0.1:9/',
        queries: '- {name: errors, query: "sum(rate(x[1m]))", max: 0.01}',
        'dry-run': true
      }
    })
    expect(run.exitCode).toBe(0)
    expect(app.requests).toBe(before)
    expect(run.outputs.passed).toBe('true')
    expect(run.summary).toContain('## Smoke test (dry run)')
    expect(run.summary).toContain('| GET /health | GET http://127.0.0.1:')
    // Backslashes are doubled in Markdown table cells so they render as typed.
    expect(run.summary).toContain('status 200-204; body ~ /"status":\\\\s*"ok"/')
    expect(run.summary).toContain('for 30.0s with 10 connections')
    expect(run.summary).toContain('errors: `sum(rate(x[1m]))` ≤ 0.01')
  })

  it.each([
    ['malformed YAML', { checks: '- name: a\n  url: [unclosed' }, 'checks', /valid YAML/],
    [
      'a bad status list',
      { url: '/health', 'expect-status': '200-2x9' },
      'expect-status',
      /status codes or ranges/
    ],
    [
      'a bad duration',
      { url: '/health', timeout: 'ten minutes' },
      'timeout',
      /a duration such as 30s/
    ],
    [
      'an invalid regex',
      { url: '/health', 'expect-body-regex': '(unclosed' },
      'expect-body-regex',
      /valid regular expression/
    ],
    ['a missing url', { 'expect-status': '200' }, 'url', /the URL that expect-status applies to/],
    ['no url at all', {}, 'url', /a URL to check/],
    [
      'a bad check entry',
      { checks: '- url: /health\n  expect-status: 2xx\n  exepct-body: ok' },
      'checks',
      /checks\[0\]: known keys/
    ],
    [
      'a bad load threshold',
      { url: '/health', 'load-duration': '5s', 'load-max-error-rate': 'some' },
      'load-max-error-rate',
      /percentage/
    ]
  ])('rejects %s with an InputError and sends nothing', async (_label, inputs, input, message) => {
    const before = app.requests
    const run = await runBundle('smoke-test', { inputs: { 'base-url': app.url, ...inputs } })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors).toHaveLength(1)
    expect(run.annotations.errors[0]).toMatch(
      new RegExp(`^smoke-test failed: Input '${input}': expected `)
    )
    expect(run.annotations.errors[0]).toMatch(message)
    expect(app.requests).toBe(before)
    expect(run.outputs.passed).toBeUndefined()
  })

  it('sends the headers input and keeps credentials out of the log, summary and report', async () => {
    const good = await runBundle('smoke-test', {
      inputs: {
        url: `${app.url}/auth`,
        headers: 'Authorization: Bearer s3cr3t-t0ken\nX-Trace: smoke'
      }
    })
    expect(good.exitCode).toBe(0)
    const withPassword = app.url.replace('//', '//smoke:pa55-w0rd-x@')
    const bad = await runBundle('smoke-test', {
      inputs: {
        url: `${withPassword}/auth`,
        headers: '{Authorization: Bearer s3cr3t-t0ken-wrong}',
        'request-timeout': '2s',
        timeout: '2s',
        'retry-interval': '1s'
      }
    })
    expect(bad.exitCode).toBe(1)
    expect(bad.annotations.errors[0]).toMatch(/→ status 401, expected 200-399/)
    // `::add-mask::` lines are the runner's masking commands themselves; everything else must be clean.
    const log = (stdout: string) =>
      stdout
        .split('\n')
        .filter(line => !line.startsWith('::add-mask::'))
        .join('\n')
    expect(bad.stdout).toContain('::add-mask::pa55-w0rd-x')
    for (const text of [
      log(good.stdout),
      good.summary,
      log(bad.stdout),
      bad.summary,
      bad.outputs.report,
      bad.annotations.errors[0]
    ]) {
      expect(text).not.toContain('s3cr3t-t0ken')
      expect(text).not.toContain('pa55-w0rd-x')
    }
    expect(bad.summary).toContain('smoke:***@127.0.0.1')
  })

  it('checks a self-signed HTTPS endpoint only with insecure or its CA file', async () => {
    const tls = mkdtempSync(join(dir, 'tls-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(tls, 'key.pem'),
        '-out',
        join(tls, 'cert.pem')
      ],
      { stdio: 'ignore', timeout: 20_000 }
    )
    const server = createHttpsServer(
      { key: readFileSync(join(tls, 'key.pem')), cert: readFileSync(join(tls, 'cert.pem')) },
      (_req, res) => res.end('secure ok')
    )
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`
    try {
      const strict = await runBundle('smoke-test', {
        inputs: { url, timeout: '1s', 'retry-interval': '1s' }
      })
      expect(strict.exitCode).toBe(1)
      expect(strict.annotations.errors[0]).toMatch(/self[- ]signed|certificate/i)
      const insecure = await runBundle('smoke-test', {
        inputs: { url, insecure: true, 'expect-body': 'secure ok' }
      })
      expect(insecure.exitCode).toBe(0)
      const trusted = await runBundle('smoke-test', {
        inputs: { url, 'ca-file': join(tls, 'cert.pem') }
      })
      expect(trusted.exitCode).toBe(0)
    } finally {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  })

  it('writes the JUnit file to RUNNER_TEMP by default', async () => {
    const temp = mkdtempSync(join(dir, 'runner-temp-'))
    const run = await runBundle('smoke-test', {
      inputs: { url: `${app.url}/health` },
      env: { RUNNER_TEMP: temp }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['junit-path']).toBe(join(temp, 'slipway-smoke-junit.xml'))
    expect(existsSync(run.outputs['junit-path'])).toBe(true)
  })
})
