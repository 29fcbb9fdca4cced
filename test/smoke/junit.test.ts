import { describe, expect, it } from '@jest/globals'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redactor } from '@slipway/kit'
import { toJUnit, writeJUnit, xml, type SmokeReport } from '@slipway/smoke'

const report = (overrides: Partial<SmokeReport> = {}): SmokeReport => ({
  passed: false,
  dryRun: false,
  startedAt: '2026-11-26T04:00:00.123Z',
  durationMs: 2500,
  message: 'x',
  checks: [
    {
      name: 'health',
      url: 'http://a/health',
      method: 'GET',
      passed: true,
      message: 'GET http://a/health → 200 in 3ms',
      httpStatus: 200,
      latencyMs: 3,
      attempts: 1,
      durationMs: 3
    },
    {
      name: 'search "q" <&>',
      url: 'http://a/search?q=1&r=2',
      method: 'GET',
      passed: false,
      message: 'GET http://a/search?q=1&r=2 → body does not contain "<ok>"',
      httpStatus: 200,
      latencyMs: 5,
      attempts: 4,
      durationMs: 2400,
      failures: ['body does not contain "<ok>"'],
      bodyExcerpt: 'binary \u0000\u0001\u001b[31m junk ]]> and \uD83D\uDE00'
    }
  ],
  skipped: ['load', 'watch'],
  failed: ['search "q" <&>'],
  ...overrides
})

describe('toJUnit', () => {
  it('writes well-formed XML with escaped names, messages and bodies', () => {
    const text = toJUnit(report())
    expect(XMLValidator.validate(text)).toBe(true)
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text)
    const suites = parsed.testsuites
    expect(suites).toMatchObject({ tests: '4', failures: '1', skipped: '2' })
    const [checks, load, watch] = suites.testsuite
    expect(checks).toMatchObject({
      name: 'smoke-test.checks',
      tests: '2',
      failures: '1',
      timestamp: '2026-11-26T04:00:00'
    })
    expect(checks.testcase[1].name).toBe('search "q" <&>')
    expect(checks.testcase[1].failure.message).toBe(
      'GET http://a/search?q=1&r=2 → body does not contain "<ok>"'
    )
    expect(checks.testcase[1].failure['#text']).toContain('attempts: 4')
    expect(checks.testcase[1].failure['#text']).toContain('😀')
    expect(load.testcase).toMatchObject({ name: 'load check', skipped: '' })
    expect(watch.name).toBe('smoke-test.watch')
  })

  it('drops characters XML cannot carry', () => {
    expect(xml('a\u0000b\u0008c\td\n')).toBe('a\uFFFDb\uFFFDc\td\n')
    expect(xml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;'
    )
  })

  it('reports load verdicts and watch breaches as test cases', () => {
    const text = toJUnit(
      report({
        checks: [report().checks[0]],
        skipped: [],
        load: {
          url: 'http://a/',
          passed: false,
          message: 'p95 30ms > 10ms',
          figures: {
            requests: 10,
            errors: 0,
            errorRate: 0,
            rps: 10,
            p50Ms: 1,
            p95Ms: 30,
            p99Ms: 40,
            maxMs: 40,
            durationMs: 1000,
            statuses: { 200: 10 }
          },
          verdicts: [
            { metric: 'error rate', value: 0, limit: 0.01, source: 'threshold', ok: true },
            { metric: 'p95', value: 30, limit: 10, source: 'threshold', ok: false }
          ],
          settings: { durationMs: 1000, connections: 1, maxRequests: 100, tolerance: 0.2 }
        },
        watch: {
          passed: false,
          rounds: 3,
          breaches: 1,
          stoppedEarly: true,
          breachRounds: [
            {
              index: 2,
              offsetMs: 1000,
              at: 'x',
              failures: [
                { name: 'errors', kind: 'prometheus', message: 'errors = 0.5, expected ≤ 0.01' }
              ]
            }
          ],
          lastValues: { errors: 0.5 },
          durationMs: 1000,
          message: 'breach',
          settings: {
            windowMs: 5000,
            intervalMs: 500,
            failureLimit: 1,
            queries: ['errors'],
            graphs: {}
          }
        }
      })
    )
    expect(XMLValidator.validate(text)).toBe(true)
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text)
    const [, load, watch] = parsed.testsuites.testsuite
    expect(load.testcase.map((c: { name: string }) => c.name)).toEqual([
      'requests completed',
      'error rate (threshold)',
      'p95 (threshold)'
    ])
    expect(load.failures).toBe('1')
    expect(
      watch.testcase.map((c: { name: string; failure?: unknown }) => [
        c.name,
        c.failure !== undefined
      ])
    ).toEqual([
      ['watch: health', false],
      ['watch: errors', true]
    ])
  })
})

describe('writeJUnit', () => {
  it('removes secrets before XML escaping could hide them, and writes a private file', () => {
    const secret = 'to<k>&en"-4242'
    const redactor = new Redactor()
    redactor.add(secret)
    const base = report()
    const leaky = report({
      checks: [
        base.checks[0],
        { ...base.checks[1], bodyExcerpt: `{"x-api-key":"${secret}"}`, message: `saw ${secret}` }
      ]
    })
    const dir = mkdtempSync(join(tmpdir(), 'slipway-junit-'))
    try {
      const path = writeJUnit(join(dir, 'sub', 'junit.xml'), leaky, redactor)
      const text = readFileSync(path, 'utf8')
      expect(XMLValidator.validate(text)).toBe(true)
      expect(text).toContain('x-api-key')
      expect(text).not.toContain('4242')
      expect(statSync(path).mode & 0o077).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
