import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'
import { startLoad } from '../services/load.js'
import { START_HOOK, STOP_HOOK, writeSampleApp } from '../services/sample-app.js'
import { freePort, killApps, sleep, tempDir, waitFor } from './helpers.js'
import { startPrometheus, type PrometheusServer } from '../services/prometheus.js'
import {
  CURRENT_HOOK,
  ROUTE_HOOK,
  startWeightedProxy,
  type WeightedProxy
} from './weighted-proxy.js'

// Canary analysis on a real Prometheus scraping the sample app's /metrics: the canary's own
// 5xx counter must stay at 0. A healthy canary is promoted; a failing one is rolled back.

const stateDir = tempDir('prom-state')
const app = writeSampleApp(tempDir('prom-app'))
const addr: Record<string, string> = {}
let proxy: WeightedProxy
let prometheus: PrometheusServer

beforeAll(async () => {
  for (const name of ['blue', 'green']) addr[name] = `127.0.0.1:${await freePort()}`
  proxy = await startWeightedProxy(addr, stateDir)
  // The slots start later, with each deploy: scraped every 500 ms once they exist.
  prometheus = await startPrometheus(Object.values(addr), {
    scrapeInterval: '500ms',
    waitForScrape: false
  })
}, 30_000)

afterAll(async () => {
  killApps(stateDir, Object.keys(addr))
  await proxy?.close()
  await prometheus?.close()
})

const deploy = (inputs: Record<string, string>) =>
  runBundle('deploy-strategy', {
    inputs: {
      provider: 'script',
      targets: Object.entries(addr)
        .map(([name, address]) => `${name}=${address}`)
        .join('\n'),
      'prepare-command': START_HOOK,
      'retire-command': STOP_HOOK,
      'route-command': ROUTE_HOOK,
      'current-command': CURRENT_HOOK,
      'health-command': 'curl -fsS --max-time 1 "http://$SLIPWAY_ADDRESS/health"',
      'health-interval': '100ms',
      'keep-previous': '0',
      'record-deployment': 'false',
      'drain-delay': '300ms',
      ...inputs
    },
    env: { STATE_DIR: stateDir, APP: app, PROXY_CONTROL: proxy.controlUrl },
    timeoutMs: 60_000
  })

const analysis = {
  'prometheus-url': '', // filled in at run time
  'prometheus-query': 'sum(http_requests_total{version="{{version}}",code=~"5.."}) or vector(0)',
  'prometheus-max': '0',
  interval: '4s',
  'measure-every': '500ms',
  'consecutive-successes': '4'
}

async function canaryUnderLoad(version: string) {
  const load = startLoad({ url: proxy.url, durationMs: 45_000, connections: 10 })
  await sleep(300)
  const result = await deploy({
    strategy: 'canary',
    version,
    steps: '30,100',
    ...analysis,
    'prometheus-url': prometheus.url
  })
  return { result, load: await load.stop() }
}

test('a healthy canary passes the Prometheus analysis and is promoted', async () => {
  expect((await deploy({ strategy: 'blue-green', version: 'v1' })).exitCode).toBe(0)
  await waitFor(
    'prometheus scraping v1',
    async () => {
      const body = (await (
        await fetch(`${prometheus.url}/api/v1/query?query=app_version_info`)
      ).json()) as { data: { result: unknown[] } }
      return body.data.result.length > 0 || undefined
    },
    15_000
  )
  const { result, load } = await canaryUnderLoad('v2')
  expect(result.annotations.errors).toEqual([])
  expect(result.exitCode).toBe(0)
  expect(result.summary).toMatch(/analysis.*at 30%.*consecutive successful/)
  expect(load.failures).toBe(0)
  expect(proxy.weights()).toEqual({ blue: 0, green: 100 })
}, 60_000)

test('a canary serving 500s fails the Prometheus analysis: traffic back to stable, canary torn down', async () => {
  writeFileSync(join(stateDir, 'env-v3-bad'), 'FAIL_RATE=0.3\n')
  const changes = proxy.changes.length
  const { result } = await canaryUnderLoad('v3-bad')
  expect(result.exitCode).toBe(1)
  expect(result.annotations.errors.join('\n')).toMatch(
    /analysis failed at 30%.*prometheus.*expected ≤ 0/
  )
  const moves = proxy.changes.slice(changes)
  expect(moves.map(c => c.weights)).toEqual([
    { blue: 30, green: 70 },
    { blue: 0, green: 100 }
  ])
  expect(moves[1].at - moves[0].at).toBeLessThan(4000 + 1500) // within one interval (+ hook time)
}, 60_000)
