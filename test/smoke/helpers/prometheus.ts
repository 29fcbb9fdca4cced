import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { waitFor } from '../../services/prometheus.js'

export { startPrometheus, waitFor, type PrometheusServer } from '../../services/prometheus.js'
export { freePort } from '../../services/process.js'

/** A /metrics endpoint whose gauge values the test sets. */
export interface MetricsServer {
  url: string
  /** Gauge values keyed by the full series text, e.g. `app_error_ratio{route="/"}`. */
  values: Map<string, number>
  close(): Promise<void>
}

export async function startMetricsServer(
  initial: Record<string, number> = {}
): Promise<MetricsServer> {
  const values = new Map(Object.entries(initial))
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404
      res.end()
      return
    }
    res.setHeader('content-type', 'text/plain; version=0.0.4')
    res.end([...values].map(([series, value]) => `${series} ${value}`).join('\n') + '\n')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `127.0.0.1:${port}`,
    values,
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}

/** Waits until Prometheus returns `expected` for `query` (after a scrape of new values). */
export async function waitForValue(
  prometheusUrl: string,
  query: string,
  expected: string,
  deadlineMs = 10_000
): Promise<boolean> {
  return waitFor(async () => {
    const body = (await (
      await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`)
    ).json()) as {
      data: { result: Array<{ value: [number, string] }> }
    }
    return body.data.result[0]?.value[1] === expected
  }, deadlineMs)
}
