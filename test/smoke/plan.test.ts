import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { InputError } from '@slipway/kit'
import { fraction, planSmoke } from '@slipway/smoke'
import { smokeInputs } from './helpers/inputs.js'
import { tempDir } from '../helpers/temp-dir.js'
import { inputErrorOf } from '../helpers/input-error.js'

describe('planSmoke: checks', () => {
  it('builds a check from the plain inputs', () => {
    const plan = planSmoke(
      smokeInputs({
        url: 'https://app.example.com/health',
        expectStatus: '200,204',
        expectBody: 'ok',
        expectJson: { '$.status': 'ok' },
        maxLatencyMs: 500
      })
    )
    expect(plan.checks).toHaveLength(1)
    expect(plan.checks[0]).toMatchObject({
      name: 'GET /health',
      requestTimeoutMs: 10_000,
      spec: {
        url: 'https://app.example.com/health',
        expectStatus: '200,204',
        bodyContains: 'ok',
        json: [{ path: '$.status', equals: 'ok' }],
        maxLatencyMs: 500,
        followRedirects: true
      }
    })
    expect(plan.load).toBeUndefined()
    expect(plan.watch).toBeUndefined()
  })

  it('reads the checks YAML with paths under base-url, aliases and per-check policy', () => {
    const checks = parse(`
- name: health
  url: /health
  expect-json: {"$.status": ok}
  expect-headers: {content-type: ^application/json}
  max-latency: 250ms
  retries: 2
  timeout: 20s
- url: api/items?limit=1
  method: post
  body: {a: 1}
  expectStatus: [200, 201-204]
  bodyContains: [id, name]
  json: [{path: $.items, exists: true}]
- https://other.example.com/ping
`)
    const plan = planSmoke(
      smokeInputs({
        baseUrl: 'https://app.example.com/v2',
        checks,
        headers: { Authorization: 'Bearer x' }
      })
    )
    expect(plan.checks.map(c => [c.name, c.spec.url])).toEqual([
      ['health', 'https://app.example.com/v2/health'],
      ['POST /v2/api/items?limit=1', 'https://app.example.com/v2/api/items?limit=1'],
      ['GET /ping', 'https://other.example.com/ping']
    ])
    expect(plan.checks[0]).toMatchObject({
      maxAttempts: 3,
      timeoutMs: 20_000,
      spec: {
        maxLatencyMs: 250,
        expectHeaders: [{ name: 'content-type', matches: '^application/json' }]
      }
    })
    expect(plan.checks[1].spec).toMatchObject({
      method: 'post',
      body: { a: 1 },
      expectStatus: [200, '201-204'],
      bodyContains: ['id', 'name'],
      headers: { Authorization: 'Bearer x' }
    })
    expect(plan.checks[2].maxAttempts).toBeUndefined()
  })

  it('merges per-check headers over the headers input and reads list forms', () => {
    const plan = planSmoke(
      smokeInputs({
        headers: { Authorization: 'Bearer x', 'X-Env': 'staging' },
        checks: [
          {
            url: 'http://app.local/a',
            headers: { 'X-Env': 'canary', 'X-Retry': 1 },
            'max-latency-ms': 150,
            'expect-headers': [{ name: 'etag' }, { name: 'x-version', matches: 1.4 }],
            'expect-json': [{ path: '$.ok', equals: true }],
            ca: '/etc/hostname'
          }
        ]
      })
    )
    expect(plan.checks[0].spec).toMatchObject({
      headers: { Authorization: 'Bearer x', 'X-Env': 'canary', 'X-Retry': '1' },
      maxLatencyMs: 150,
      expectHeaders: [{ name: 'etag' }, { name: 'x-version', matches: '1.4' }],
      json: [{ path: '$.ok', equals: true }],
      caFile: '/etc/hostname'
    })
  })

  it.each([
    [{ url: 'not a url' }, 'url', /absolute http\(s\) URL, or a path with base-url/],
    [{ url: 'ftp://x/y' }, 'url', /http:\/\/ or https:\/\//],
    [{}, 'url', /a URL to check/],
    [{ expectStatus: '200' }, 'url', /the URL that expect-status applies to/],
    [{ url: 'http://x/', expectStatus: '200-abc' }, 'expect-status', /status codes or ranges/],
    [{ url: 'http://x/', expectStatus: '700' }, 'expect-status', /status codes or ranges/],
    [
      { url: 'http://x/', expectBodyRegex: '([a-z' },
      'expect-body-regex',
      /valid regular expression/
    ],
    [{ url: 'http://x/', expectJson: ['$.a'] }, 'expect-json', /map of JSONPath/],
    [{ url: 'http://x/', expectJson: { status: 'ok' } }, 'expect-json', /path: "\$/],
    [{ url: 'http://x/', headers: ['a'] }, 'headers', /map of header names/],
    [{ url: 'http://x/', baseUrl: 'example.com' }, 'base-url', /absolute http\(s\) URL/],
    [{ checks: { name: 'a' } }, 'checks', /YAML list of checks/],
    [{ checks: [42] }, 'checks', /checks\[0\]: a map with url and assertions/],
    [{ checks: [{ url: 'http://x/', method: { a: 1 } }] }, 'checks', /checks\[0\]\.method: text/],
    [
      { checks: [{ url: 'http://x/', 'max-latency-ms': 'fast' }] },
      'checks',
      /max-latency-ms: a positive number/
    ],
    [{ checks: [{ url: 'http://x/', 'expect-body': 5 }] }, 'checks', /expect-body: text or a list/],
    [
      { checks: [{ url: 'http://x/', 'expect-status': { ok: 1 } }] },
      'checks',
      /expect-status: status codes/
    ],
    [
      { checks: [{ url: 'http://x/', 'expect-json': ['$.a'] }] },
      'checks',
      /expect-json\[0\]: \{path/
    ],
    [
      { checks: [{ url: 'http://x/', 'expect-headers': [{ matches: 'x' }] }] },
      'checks',
      /expect-headers\[0\]: \{name, matches\}/
    ],
    [
      { checks: [{ url: 'http://x/', 'expect-headers': 'etag' }] },
      'checks',
      /expect-headers: a map of header name to regex/
    ],
    [
      { checks: [{ url: 'http://x/', headers: { a: { b: 1 } } }] },
      'checks',
      /checks\[0\]\.headers: a map of header names/
    ],
    [{ checks: [{ name: 'a' }] }, 'checks', /checks\[0\]\.url/],
    [{ checks: [{ url: 'http://x/', expect_status: 200 }] }, 'checks', /known keys/],
    [
      { checks: [{ url: 'http://x/', 'expect-body-regex': '(' }] },
      'checks',
      /checks\[0\]\.expect-body-regex: a valid regular expression/
    ],
    [
      { checks: [{ url: 'http://x/', 'expect-status': '2xx,9xx' }] },
      'checks',
      /checks\[0\]\.expect-status/
    ],
    [{ checks: [{ url: 'http://x/', retries: -1 }] }, 'checks', /checks\[0\]\.retries/],
    [
      { checks: [{ url: 'http://x/', timeout: 'soon' }] },
      'checks',
      /checks\[0\]\.timeout: a duration/
    ],
    [
      { checks: [{ url: 'http://x/', 'max-latency': '5 parsecs' }] },
      'checks',
      /checks\[0\]\.max-latency/
    ],
    [
      { checks: [{ url: 'http://x/', 'follow-redirects': 'yes' }] },
      'checks',
      /follow-redirects: true or false/
    ],
    [{ checks: [{ url: '/x' }] }, 'checks', /or set base-url/],
    [
      {
        checks: [
          { name: 'a', url: 'http://x/' },
          { name: 'a', url: 'http://y/' }
        ]
      },
      'checks',
      /unique check names/
    ],
    [
      { checks: [{ url: 'http://x/', 'ca-file': '/nonexistent/ca.pem' }] },
      'checks',
      /checks\[0\]\.ca-file: a readable CA file/
    ]
  ])('%j → InputError for %s', (overrides, input, message) => {
    const error = inputErrorOf(() => planSmoke(smokeInputs(overrides as never)))
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    expect(error.message).toMatch(new RegExp(`^Input '${input}': expected `))
  })
})

describe('planSmoke: load and baseline', () => {
  const base = { url: 'http://app.local/api', loadDurationMs: 5000 }
  it('defaults the load check to the url with 1% errors and 20% tolerance', () => {
    const plan = planSmoke(smokeInputs({ ...base, expectStatus: '200-204', method: 'GET' }))
    expect(plan.load).toMatchObject({
      url: 'http://app.local/api',
      durationMs: 5000,
      connections: 10,
      expectStatus: [{ min: 200, max: 204 }],
      thresholds: { maxErrorRate: 0.01 },
      tolerance: 0.2
    })
  })

  it('reads a baseline from report JSON, bare figures, or a file', () => {
    const report = JSON.stringify({
      passed: true,
      load: { figures: { p95Ms: 12, p99Ms: 30, rps: 900, errorRate: 0 } }
    })
    expect(planSmoke(smokeInputs({ ...base, baseline: report })).load?.baseline).toEqual({
      p95Ms: 12,
      p99Ms: 30,
      rps: 900,
      errorRate: 0
    })
    expect(
      planSmoke(smokeInputs({ ...base, baseline: '{"p95Ms": 5}' })).load?.baseline
    ).toMatchObject({ p95Ms: 5 })
    const file = join(tempDir('baseline'), 'report.json')
    writeFileSync(file, report)
    expect(
      planSmoke(smokeInputs({ ...base, baseline: file, baselineTolerance: '0.1' })).load
    ).toMatchObject({ baseline: { rps: 900 }, tolerance: 0.1 })
  })

  it.each([
    [{ loadDurationMs: undefined, loadMaxP95Ms: 100 }, 'load-duration', /load-max-p95/],
    [{ loadDurationMs: 11 * 60_000 }, 'load-duration', /at most 10m/],
    [{ loadMaxErrorRate: '5' }, 'load-max-error-rate', /percentage such as 1%/],
    [{ loadMaxErrorRate: 'lots' }, 'load-max-error-rate', /percentage/],
    [{ baselineTolerance: '150%' }, 'baseline-tolerance', /percentage/],
    [{ loadMinRps: 'fast' }, 'load-min-rps', /positive number/],
    [{ baseline: '{"p95Ms": ' }, 'baseline', /valid JSON/],
    [{ baseline: '{"passed": true}' }, 'baseline', /load figures/],
    [{ baseline: '/nonexistent/report.json' }, 'baseline', /previous smoke-test report/],
    [
      { url: undefined, prometheusUrl: 'http://p', queries: [{ query: 'up', min: 1 }] },
      'load-url',
      /the URL to put load on/
    ]
  ])('%j → InputError for %s', (overrides, input, message) => {
    const error = inputErrorOf(() => planSmoke(smokeInputs({ ...base, ...(overrides as object) })))
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  it('accepts percentages and fractions', () => {
    expect(fraction('x', '1%')).toBe(0.01)
    expect(fraction('x', '0.5 %')).toBe(0.005)
    expect(fraction('x', '0.2')).toBe(0.2)
    expect(() => fraction('x', '-1')).toThrow(InputError)
  })
})

describe('planSmoke: watch and queries', () => {
  it('plans a watch window with queries', () => {
    const plan = planSmoke(
      smokeInputs({
        url: 'http://app.local/health',
        watchMs: 600_000,
        watchIntervalMs: 15_000,
        failureLimit: 2,
        prometheusUrl: 'http://prom.local:9090',
        queries: [
          { name: 'errors', query: 'sum(rate(x[1m]))', max: 0.01 },
          { query: 'up', min: 1, 'on-empty': 'pass' }
        ]
      })
    )
    expect(plan.watch).toMatchObject({ windowMs: 600_000, intervalMs: 15_000, failureLimit: 2 })
    expect(plan.watch?.queries).toEqual([
      expect.objectContaining({ name: 'errors', url: 'http://prom.local:9090', max: 0.01 }),
      expect.objectContaining({ name: 'up', min: 1, onEmpty: 'pass' })
    ])
  })

  it('evaluates queries once without a watch window', () => {
    const plan = planSmoke(
      smokeInputs({ prometheusUrl: 'http://prom.local:9090', queries: [{ query: 'up', min: 1 }] })
    )
    expect(plan.checks).toEqual([])
    expect(plan.watch).toMatchObject({ windowMs: 0 })
  })

  it.each([
    [{ queries: [{ query: 'up', max: 1 }] }, 'prometheus-url', /Prometheus server/],
    [
      { prometheusUrl: 'prom:9090', queries: [{ query: 'up', max: 1 }] },
      'prometheus-url',
      /http\(s\) URL/
    ],
    [{ prometheusUrl: 'http://p', queries: 'up' }, 'queries', /YAML list/],
    [
      { prometheusUrl: 'http://p', queries: [{ query: 'up' }] },
      'queries',
      /a threshold \(max or min\)/
    ],
    [
      { prometheusUrl: 'http://p', queries: [{ query: 'up', max: 'one' }] },
      'queries',
      /queries\[0\]\.max: a number/
    ],
    [
      { prometheusUrl: 'http://p', queries: [{ query: 'up', max: 1, threshold: 2 }] },
      'queries',
      /known keys/
    ],
    [
      {
        prometheusUrl: 'http://p',
        queries: [
          { query: 'up', max: 1 },
          { query: 'up', min: 1 }
        ]
      },
      'queries',
      /unique query names/
    ],
    [{ watchMs: 7 * 3_600_000 }, 'watch', /at most 6h/],
    [{ watchMs: 10_000, watchIntervalMs: 20_000 }, 'watch-interval', /at most the watch window/]
  ])('%j → InputError for %s', (overrides, input, message) => {
    const error = inputErrorOf(() =>
      planSmoke(smokeInputs({ url: 'http://app.local/', ...(overrides as object) }))
    )
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })
})
