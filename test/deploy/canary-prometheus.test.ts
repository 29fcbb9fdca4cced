import { afterAll, beforeAll, expect, jest, test } from '@jest/globals'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'
import { startTaggedLoad } from '../services/load.js'
import { killApps, writeSampleApp } from '../services/sample-app.js'
import { freePort, ownedTempDir, tempDir, waitFor } from '../services/process.js'
import { startPrometheus, type PrometheusServer } from '../services/prometheus.js'
import {
  scriptProxyInputs,
  startWeightedProxy,
  type WeightedProxy
} from '../services/weighted-proxy.js'

// Canary analysis on a real Prometheus scraping the sample app's /metrics: the canary's own
// 5xx counter must stay at 0. A healthy canary is promoted; a failing one is rolled back.
// Judged from events (analysis verdicts, which requests were written after which weight
// change), never from elapsed time a busy machine stretches.

// Deadlines, not budgets: a deploy runs a bundle, hook processes and Prometheus queries.
jest.setTimeout(180_000)
const BUNDLE_DEADLINE_MS = 120_000

// afterAll stops the apps by their pid files here, so it removes this dir itself
const stateDir = ownedTempDir('prom-state')
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
}, 120_000)

afterAll(async () => {
  killApps(stateDir, Object.keys(addr))
  rmSync(stateDir, { recursive: true, force: true })
  await proxy?.close()
  await prometheus?.close()
})

const deploy = (inputs: Record<string, string>) =>
  runBundle('deploy-strategy', {
    inputs: {
      ...scriptProxyInputs(addr),
      'keep-previous': '0',
      'record-deployment': 'false',
      'drain-delay': '300ms',
      ...inputs
    },
    env: { STATE_DIR: stateDir, APP: app, PROXY_CONTROL: proxy.controlUrl },
    timeoutMs: BUNDLE_DEADLINE_MS
  })

const analysis = {
  'prometheus-url': '', // filled in at run time
  'prometheus-query': 'sum(http_requests_total{version="{{version}}",code=~"5.."}) or vector(0)',
  'prometheus-max': '0',
  interval: '4s',
  'measure-every': '500ms',
  'consecutive-successes': '4'
}

/**
 * A canary deploy under a non-retrying load that was flowing before it started and stops only
 * once requests written after it returned were answered; the proxy records where the load
 * stood at each weight change.
 */
async function canaryUnderLoad(version: string) {
  const load = startTaggedLoad({
    url: proxy.url,
    connections: 10,
    rate: 300,
    maxDurationMs: 2 * BUNDLE_DEADLINE_MS
  })
  proxy.watch(load)
  let result: Awaited<ReturnType<typeof deploy>>
  try {
    await load.waitForAnswers(0, 50, 30_000)
    result = await deploy({
      strategy: 'canary',
      version,
      steps: '30,100',
      ...analysis,
      'prometheus-url': prometheus.url
    })
    await load.waitForAnswers(load.mark(), 50, 30_000)
  } finally {
    proxy.watch(undefined)
    await load.stop()
  }
  return { result, traffic: await load.stop() }
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
    60_000
  )
  const { result, traffic } = await canaryUnderLoad('v2')
  expect(result.annotations.errors).toEqual([])
  expect(result.exitCode).toBe(0)
  expect(result.summary).toMatch(/analysis.*at 30%.*consecutive successful/)
  expect(traffic.failures).toEqual([])
  expect(proxy.weights()).toEqual({ blue: 0, green: 100 })
})

test('a canary serving 500s fails the Prometheus analysis: traffic back to stable, canary torn down', async () => {
  writeFileSync(join(stateDir, 'env-v3-bad'), 'FAIL_RATE=0.3\n')
  const changes = proxy.changes.length
  const { result, traffic } = await canaryUnderLoad('v3-bad')
  expect(result.exitCode).toBe(1)
  // Within one interval: the first analysis window (at 30%) ended on its failure limit, not on
  // its interval running out, and traffic went straight back with no other step in between.
  expect(result.annotations.errors.join('\n')).toMatch(
    /analysis failed at 30%: \d+ failed measurement\(s\), more than failure-limit \d+: .*prometheus.*expected ≤ 0/
  )
  expect(result.summary.match(/[✓✗] analysis\b/g)).toEqual(['✗ analysis'])
  const moves = proxy.changes.slice(changes)
  expect(moves.map(c => c.weights)).toEqual([
    { blue: 30, green: 70 },
    { blue: 0, green: 100 }
  ])
  // every request written after the route back reached stable v2
  const routedBack = traffic.answers.filter(a => a.seq >= moves[1].mark!)
  expect(routedBack.length).toBeGreaterThanOrEqual(50)
  expect([...new Set(routedBack.map(a => a.version))]).toEqual(['v2'])
})
