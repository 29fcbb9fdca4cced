import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { UserError } from '@slipway/kit'
import {
  HttpSpecError,
  PrometheusSpecError,
  parseStatusList,
  queryPrometheus,
  validatePrometheusSpec
} from '@slipway/probes'

// A Prometheus query the server rejects, or settings of a check that cannot work, are the user's
// to fix: UserErrors whose hint says what to change. The server below answers the way Prometheus'
// /api/v1/query does for the query it is sent.

const answers: Record<string, { status: number; body: string }> = {
  'sum(': {
    status: 400,
    body: JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error: '1:5: parse error: unclosed left parenthesis'
    })
  },
  'up[5m]': {
    status: 200,
    body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })
  },
  slow: {
    status: 503,
    body: JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out' })
  }
}

let server: Server
let base: string
beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== '/api/v1/query') {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>')
      return
    }
    const answer = answers[url.searchParams.get('query') ?? '']
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
})

async function failureOf(url: string, query: string): Promise<UserError> {
  const error = await queryPrometheus({ url, query }).then(
    () => undefined,
    (thrown: unknown) => thrown
  )
  expect(error).toBeInstanceOf(UserError)
  return error as UserError
}

describe('Prometheus answers the user fixes', () => {
  it('a query the server rejects: fix the PromQL', async () => {
    const error = await failureOf(base, 'sum(')
    expect(error.message).toMatch(/^Prometheus answered 400: bad_data: .*unclosed left parenthesis/)
    expect(error.hint).toMatch(/^fix the PromQL query/)
  })

  it('a server that did not run it: check the server, not the query', async () => {
    const error = await failureOf(base, 'slow')
    expect(error.message).toMatch(/^Prometheus answered 503: timeout/)
    expect(error.hint).toMatch(/^check the Prometheus server/)
  })

  it('a range vector: wrap it in a function', async () => {
    const error = await failureOf(base, 'up[5m]')
    expect(error.hint).toContain('rate(metric[5m])')
  })

  it('a URL that is not the server’s base: check the URL', async () => {
    const error = await failureOf(`${base}/graph`, 'sum(')
    expect(error.message).toMatch(/^Prometheus answered 404 with a body that is not JSON/)
    expect(error.hint).toMatch(/^check the Prometheus URL/)
  })
})

describe('check settings that cannot work', () => {
  it('a Prometheus spec without a query names the field to fix', () => {
    let error: unknown
    try {
      validatePrometheusSpec({ url: base, query: ' ' })
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(PrometheusSpecError)
    expect(error).toBeInstanceOf(UserError)
    expect((error as UserError).hint).toContain('`query`')
  })

  it('an HTTP expected status that is not one is the user’s', () => {
    expect(() => parseStatusList('twohundred')).toThrow(HttpSpecError)
    expect(() => parseStatusList('twohundred')).toThrow(UserError)
  })
})
