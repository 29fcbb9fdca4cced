import { afterAll, beforeAll, expect, jest, test } from '@jest/globals'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Inputs, SummaryBuilder } from '@slipway/kit'
import { parseDeploySettings, renderDeploySummary, runDeployStage } from '@slipway/strategies'
import {
  alertmanagerSilences,
  postAlert,
  startAlertingPrometheus,
  startAlertmanager,
  type AlertingPrometheus,
  type AlertmanagerServer
} from '../services/alertmanager.js'
import { freePort, ownedTempDir, tempDir } from '../services/process.js'
import { startPushgateway, type PushgatewayServer } from '../services/pushgateway.js'
import { killApps, writeSampleApp } from '../services/sample-app.js'
import {
  scriptProxyInputs,
  startWeightedProxy,
  type WeightedProxy
} from '../services/weighted-proxy.js'

// The canary analysis on the team's Alertmanager: a real Prometheus evaluates the team's alert
// rule on the sample app's error rate and sends to a real Alertmanager; the deploy reads only the
// alerts. Judged from events (the alert named in the result, the proxy's weights), not time.
jest.setTimeout(240_000)

const RULES = [
  'groups:',
  '  - name: shop',
  '    rules:',
  '      - alert: ShopErrorRate',
  '        expr: sum by (version) (rate(http_requests_total{code="500"}[5s])) / sum by (version) (rate(http_requests_total[5s])) > 0.1',
  '        for: 1s',
  '        labels: { service: shop, severity: page }',
  "        annotations: { summary: 'error rate of {{ $labels.version }} above 10%' }",
  ''
].join('\n')

// afterAll stops the apps by their pid files here, so it removes this dir itself
const stateDir = ownedTempDir('am-canary-state')
const app = writeSampleApp(tempDir('am-canary-app'))
const addr: Record<string, string> = {}
let proxy: WeightedProxy
let am: AlertmanagerServer
let gateway: PushgatewayServer
let prometheus: AlertingPrometheus
let stopTraffic = false
let traffic: Promise<void> | undefined
const saved = { STATE_DIR: process.env.STATE_DIR, APP: process.env.APP }

beforeAll(async () => {
  for (const name of ['blue', 'green']) addr[name] = `127.0.0.1:${await freePort()}`
  proxy = await startWeightedProxy(addr, stateDir)
  am = await startAlertmanager()
  gateway = await startPushgateway()
  prometheus = await startAlertingPrometheus({
    targets: Object.values(addr),
    rules: RULES,
    alertmanagerUrl: am.url
  })
  // The hooks read STATE_DIR and APP from the job's environment, as a user's hooks would.
  process.env.STATE_DIR = stateDir
  process.env.APP = app
  process.env.PROXY_CONTROL = proxy.controlUrl
  // Bounded, non-retrying traffic through the proxy for the whole file: the error-rate rule
  // needs requests to judge.
  traffic = (async () => {
    for (let i = 0; i < 50_000 && !stopTraffic; i++) {
      await fetch(proxy.url)
        .then(r => r.text())
        .catch(() => undefined)
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  })()
}, 120_000)

afterAll(async () => {
  stopTraffic = true
  await traffic
  killApps(stateDir, Object.keys(addr))
  rmSync(stateDir, { recursive: true, force: true })
  await proxy?.close()
  await prometheus?.close()
  await gateway?.close()
  await am?.close()
  process.env.STATE_DIR = saved.STATE_DIR
  process.env.APP = saved.APP
  delete process.env.PROXY_CONTROL
})

const lines: string[] = []
const progress = {
  info: (m: string) => lines.push(m),
  warning: (m: string) => lines.push(`warning: ${m}`)
}

async function deploy(inputs: Record<string, string>) {
  const settings = parseDeploySettings(
    new Inputs(
      name =>
        ({
          ...scriptProxyInputs(addr),
          'keep-previous': '0',
          'record-deployment': 'false',
          'drain-delay': '300ms',
          ...inputs
        })[name]
    ),
    { workspace: stateDir, runnerTemp: stateDir }
  )
  const result = await runDeployStage(settings, { progress })
  const summary = new SummaryBuilder()
  renderDeploySummary(result, summary)
  return { result, summary: summary.toString() }
}

const monitoring = () => ({
  'alertmanager-url': am.url,
  'alert-matchers': 'service="shop", severity=~"critical|page"',
  'silence-matchers': 'alertname="InstanceDown", app="shop"',
  'pushgateway-url': gateway.url
})

async function pushed(series: string, version: string): Promise<string | undefined> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text()
  return text
    .split('\n')
    .find(line => line.startsWith(`${series}{`) && line.includes(`version="${version}"`))
}

test('a good canary passes with an unrelated alert firing; the deploy is pushed and its silence expired', async () => {
  expect((await deploy({ strategy: 'blue-green', version: 'v1' })).result.result.status).toBe(
    'success'
  )
  await postAlert(am.url, { alertname: 'DiskFull', service: 'billing', severity: 'page' })
  const { result, summary } = await deploy({
    strategy: 'canary',
    version: 'v2',
    steps: '30,100',
    interval: '20s',
    'measure-every': '1s',
    'consecutive-successes': '3',
    ...monitoring()
  })
  expect(result.result.error).toBeUndefined()
  expect(result.result.status).toBe('success')
  expect(summary).toMatch(/analysis.*at 30%.*consecutive successful/)
  expect(proxy.weights()).toEqual({ blue: 0, green: 100 })
  expect(await pushed('slipway_deploy_success', 'v2')).toMatch(/ 1$/)
  const silences = (await alertmanagerSilences(am.url)).filter(s =>
    s.comment.includes('deploy of v2')
  )
  expect(silences.map(s => s.status.state)).toEqual(['expired'])
})

test('a bad canary trips the alert rule: the alert is named, traffic goes back, the failure is pushed', async () => {
  writeFileSync(join(stateDir, 'env-v3-bad'), 'FAIL_RATE=0.5\n')
  const { result, summary } = await deploy({
    strategy: 'canary',
    version: 'v3-bad',
    steps: '50,100',
    // Long enough for the rule (5s rate, for: 1s) to fire; the first alert ends the analysis.
    interval: '3m',
    'measure-every': '1s',
    'consecutive-successes': '1000',
    'failure-limit': '0',
    ...monitoring()
  })
  expect(result.result.status).toBe('failure')
  expect(result.result.error).toMatch(/analysis failed at 50%: .*alert firing: ShopErrorRate/)
  expect(summary).toContain('ShopErrorRate')
  expect(proxy.weights()).toEqual({ blue: 0, green: 100 })
  expect(await pushed('slipway_deploy_success', 'v3-bad')).toMatch(/status="failure".* 0$/)
  const silences = (await alertmanagerSilences(am.url)).filter(s =>
    s.comment.includes('deploy of v3-bad')
  )
  expect(silences.map(s => s.status.state)).toEqual(['expired'])
})
