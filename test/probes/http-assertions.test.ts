import { describe, expect, it } from '@jest/globals'
import {
  compileRegex,
  evaluateAssertions,
  formatStatusList,
  parseStatusList,
  statusMatches
} from '@slipway/probes'

describe('parseStatusList', () => {
  it('reads codes, ranges, wildcards and lists', () => {
    expect(parseStatusList('200,201,300-399')).toEqual([
      { min: 200, max: 200 },
      { min: 201, max: 201 },
      { min: 300, max: 399 }
    ])
    expect(parseStatusList('2xx 404')).toEqual([
      { min: 200, max: 299 },
      { min: 404, max: 404 }
    ])
    expect(parseStatusList([200, '500 - 503'])).toEqual([
      { min: 200, max: 200 },
      { min: 500, max: 503 }
    ])
    expect(parseStatusList(204)).toEqual([{ min: 204, max: 204 }])
  })

  it.each(['', 'ok', '20', '200-', '399-300', '600', '99', '200-700', '6xx', '2.5'])(
    'rejects %p',
    text => {
      expect(() => parseStatusList(text)).toThrow(/expectStatus|status/)
    }
  )

  it('matches and formats', () => {
    const ranges = parseStatusList('200-299,304')
    expect(statusMatches(204, ranges)).toBe(true)
    expect(statusMatches(304, ranges)).toBe(true)
    expect(statusMatches(301, ranges)).toBe(false)
    expect(formatStatusList(ranges)).toBe('200-299, 304')
  })
})

describe('compileRegex', () => {
  it('accepts a bare pattern or /pattern/flags', () => {
    expect(compileRegex('f', 'ab+c').test('xabbc')).toBe(true)
    expect(compileRegex('f', '/^OK$/i').test('ok')).toBe(true)
    expect(() => compileRegex('bodyRegex', '[')).toThrow(/expected a valid regular expression/)
  })
})

describe('evaluateAssertions', () => {
  const response = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    body,
    headers: new Headers(headers),
    truncated: false
  })
  it('puts the status first, then latency, headers, body and JSON', () => {
    const failures = evaluateAssertions(
      {
        bodyContains: 'ready',
        maxLatencyMs: 10,
        json: [{ path: '$.a', equals: 1 }],
        expectHeaders: [{ name: 'x' }]
      },
      response(503, '{"a":2}'),
      50
    )
    expect(failures.map(f => f.assertion)).toEqual(['status', 'latency', 'header', 'body', 'json'])
  })
  it('passes a default 2xx/3xx with nothing else asked', () => {
    expect(evaluateAssertions({}, response(301, ''), 1)).toEqual([])
    expect(evaluateAssertions({}, response(404, ''), 1)[0].message).toBe(
      'status 404, expected 200-399'
    )
  })
  it('compares JSON deeply and strictly', () => {
    const body = JSON.stringify({ n: 1, o: { a: [1, 2] } })
    expect(
      evaluateAssertions({ json: [{ path: '$.o', equals: { a: [1, 2] } }] }, response(200, body), 1)
    ).toEqual([])
    expect(
      evaluateAssertions({ json: [{ path: '$.n', equals: '1' }] }, response(200, body), 1)[0]
        .message
    ).toBe('$.n is 1, expected "1"')
  })
})
