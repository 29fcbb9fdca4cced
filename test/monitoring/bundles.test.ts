import { afterAll, beforeAll, expect, jest, test } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { runBundle, type BundleOptions } from '../helpers/run-bundle.js'
import {
  alertmanagerSilences,
  startAlertingPrometheus,
  startAlertmanager,
  type AlertingPrometheus,
  type AlertmanagerServer
} from '../services/alertmanager.js'
import { freePort, ownedTempDir, stopProcess, tempDir, waitFor } from '../services/process.js'
import { startPushgateway, type PushgatewayServer } from '../services/pushgateway.js'
import { APP_RULES, documentedRules } from './rules.js'
import { killApps, writeSampleApp } from '../services/sample-app.js'
import {
  scriptProxyInputs,
  startWeightedProxy,
  type WeightedProxy
} from '../services/weighted-proxy.js'

// The monitoring inputs as the runner passes them: smoke-test's and deploy-strategy's bundles
// (INPUT_* variables, the declared defaults, the runner's output and summary files) against a
// real Prometheus evaluating the documented rules and the team's rule, a real Alertmanager and a
// real Pushgateway. Judged from events (exit codes, outputs, Alertmanager's and the
// Pushgateway's state, the proxy's weights), never from elapsed time.

// Deadlines, not budgets: a bundle runs hooks and asks Prometheus/Alertmanager every second.
jest.setTimeout(240_000)
const BUNDLE_DEADLINE_MS = 180_000

// afterAll stops the apps by their pid files here, so it removes this dir itself
const stateDir = ownedTempDir('am-bundles-state')
const app = writeSampleApp(tempDir('am-bundles-app'))
const slots: Record<string, string> = {}
let watchedPort: number
let proxy: WeightedProxy
let am: AlertmanagerServer
let gateway: PushgatewayServer
let prometheus: AlertingPrometheus
const apps: ChildProcess[] = []

beforeAll(async () => {
  watchedPort = await freePort()
  for (const name of ['blue', 'green']) slots[name] = `127.0.0.1:${await freePort()}`
  proxy = await startWeightedProxy(slots, stateDir)
  am = await startAlertmanager()
  gateway = await startPushgateway()
  prometheus = await startAlertingPrometheus({
    targets: [`127.0.0.1:${watchedPort}`, ...Object.values(slots)],
    rules: stringify({ groups: [...documentedRules().groups, APP_RULES] }),
    alertmanagerUrl: am.url,
    pushgateway: gateway.url
  })
}, 120_000)

afterAll(async () => {
  await Promise.all(apps.map(child => stopProcess(child, 'SIGTERM', 3000)))
  killApps(stateDir, Object.keys(slots))
  rmSync(stateDir, { recursive: true, force: true })
  await proxy?.close()
  await prometheus?.close()
  await gateway?.close()
  await am?.close()
})

/** Bounded, non-retrying requests to `url` until `stop()`: the error-rate rule needs traffic. */
function traffic(url: string): { stop(): Promise<void> } {
  let stopped = false
  const loop = (async () => {
    for (let i = 0; i < 50_000 && !stopped; i++) {
      await fetch(url)
        .then(r => r.text())
        .catch(() => undefined)
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  })()
  return {
    stop: async () => {
      stopped = true
      await loop
    }
  }
}

/**
 * Records every state Alertmanager reports for the silences whose comment contains `comment`,
 * asked repeatedly until `stop()`: what the stage did to them while it ran.
 */
function watchSilences(comment: string): { stop(): Promise<Set<string>> } {
  const seen = new Set<string>()
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const silences = await alertmanagerSilences(am.url).catch(() => [])
      for (const s of silences) if (s.comment.includes(comment)) seen.add(s.status.state)
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  })()
  return {
    stop: async () => {
      stopped = true
      await loop
      return seen
    }
  }
}

/** A loopback HTTP server that counts the requests it gets: proof that nothing was contacted. */
async function countingServer(): Promise<{ url: string; requests(): number; close(): void }> {
  let requests = 0
  const server = createServer((_req, res) => {
    requests++
    res.end('[]')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => server.close()
  }
}

const smoke = (inputs: BundleOptions['inputs']) =>
  runBundle('smoke-test', { inputs, timeoutMs: BUNDLE_DEADLINE_MS })

const deploy = (inputs: Record<string, string>, control = proxy.controlUrl) =>
  runBundle('deploy-strategy', {
    inputs: {
      ...scriptProxyInputs(slots),
      'keep-previous': '0',
      'record-deployment': 'false',
      'drain-delay': '300ms',
      ...inputs
    },
    // The hooks read these from the job's environment, as a user's hooks would.
    env: { STATE_DIR: stateDir, APP: app, PROXY_CONTROL: control },
    timeoutMs: BUNDLE_DEADLINE_MS
  })

test('smoke-test: a bad version trips the alert rule in the watch window; the silence lives only as long as the step', async () => {
  const child = spawn(process.execPath, [app], {
    env: { PORT: String(watchedPort), VERSION: 'bad', FAIL_RATE: '0.5' },
    stdio: 'ignore'
  })
  apps.push(child)
  await waitFor(
    'the sample app',
    async () => (await fetch(`http://127.0.0.1:${watchedPort}/health`).catch(() => undefined))?.ok,
    10_000
  )
  const load = traffic(`http://127.0.0.1:${watchedPort}/`)
  const silences = watchSilences('smoke test')
  let run: Awaited<ReturnType<typeof smoke>>
  let during: Set<string>
  try {
    run = await smoke({
      url: `http://127.0.0.1:${watchedPort}/health`,
      // Long: the alert, not the window's end, must end the watch.
      watch: '3m',
      'watch-interval': '1s',
      'alertmanager-url': am.url,
      'alert-matchers': 'alertname="SampleAppErrors", version="bad"',
      'silence-matchers': 'alertname="InstanceDown", slot="blue"'
    })
  } finally {
    during = await silences.stop()
    await load.stop()
    await stopProcess(child, 'SIGTERM', 3000)
  }
  expect(run.exitCode).toBe(1)
  expect(run.outputs.passed).toBe('false')
  expect(run.summary).toContain('alert firing: SampleAppErrors')
  expect(run.summary).toContain('error rate of bad above 10%')
  expect(run.annotations.errors.join('\n')).toContain('SampleAppErrors')
  // Created while the step ran (with the run's link), expired once it ended.
  expect(during).toContain('active')
  const ours = (await alertmanagerSilences(am.url)).filter(s => s.comment.includes('smoke test'))
  expect(ours).toHaveLength(1)
  expect(ours[0].comment).toContain('/octo-org/octo-app/actions/runs/1001')
  expect(ours[0].status.state).toBe('expired')
})

test('deploy-strategy: a new alert during the canary analysis sends traffic back to stable and the failure is pushed', async () => {
  const load = traffic(proxy.url)
  try {
    const first = await deploy({ strategy: 'blue-green', version: 'v1' })
    expect(first.annotations.errors).toEqual([])
    expect(first.exitCode).toBe(0)
    const stable = proxy.weights()
    expect(Object.values(stable).sort()).toEqual([0, 100])

    writeFileSync(join(stateDir, 'env-v2-bad'), 'FAIL_RATE=0.5\n')
    const run = await deploy({
      strategy: 'canary',
      version: 'v2-bad',
      steps: '50,100',
      // Long enough for the rule (5s rate, for: 1s) to fire; the first alert ends the analysis.
      interval: '3m',
      'measure-every': '1s',
      'consecutive-successes': '1000',
      'failure-limit': '0',
      'alertmanager-url': am.url,
      'alert-matchers': 'service="shop", severity=~"critical|page"',
      'pushgateway-url': gateway.url
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors.join('\n')).toMatch(
      /analysis failed at 50%: .*alert firing: SampleAppErrors/
    )
    expect(run.summary).toContain('SampleAppErrors')
    expect(run.summary).toContain('error rate of v2-bad above 10%')
    // Traffic back where it was, and the stable version answers through the router.
    expect(proxy.weights()).toEqual(stable)
    expect(await (await fetch(proxy.url)).text()).toBe('v1\n')
  } finally {
    await load.stop()
  }
  const pushed = (await (await fetch(`${gateway.url}/metrics`)).text())
    .split('\n')
    .filter(line => line.startsWith('slipway_deploy_success{') && line.includes('version="v2-bad"'))
  expect(pushed).toHaveLength(1)
  expect(pushed[0]).toMatch(/kind="deploy"/)
  expect(pushed[0]).toMatch(/status="failure"/)
  expect(pushed[0]).toMatch(/ 0$/)
})

test('a malformed alert-matchers fails either step before anything is contacted', async () => {
  const target = await countingServer()
  const hookState = tempDir('am-bundles-untouched')
  try {
    const badSmoke = await smoke({
      url: `${target.url}/health`,
      watch: '5s',
      'alertmanager-url': target.url,
      'alert-matchers': 'service=="shop"',
      'silence-matchers': 'alertname="InstanceDown"'
    })
    expect(badSmoke.exitCode).toBe(1)
    const said = badSmoke.annotations.errors.join('\n')
    expect(said).toContain("Input 'alert-matchers': expected Alertmanager matchers")
    expect(said).toContain('got "service==\\"shop\\""')

    const badDeploy = await runBundle('deploy-strategy', {
      inputs: {
        ...scriptProxyInputs(slots),
        'record-deployment': 'false',
        strategy: 'canary',
        version: 'v9',
        'alertmanager-url': target.url,
        'alert-matchers': 'service="shop",, severity="page"',
        'pushgateway-url': target.url
      },
      env: { STATE_DIR: hookState, APP: app, PROXY_CONTROL: target.url },
      timeoutMs: BUNDLE_DEADLINE_MS
    })
    expect(badDeploy.exitCode).toBe(1)
    expect(badDeploy.annotations.errors.join('\n')).toContain("Input 'alert-matchers'")
    // No request to the app, Alertmanager, Pushgateway or router, and no hook started an app.
    expect(target.requests()).toBe(0)
    expect(readdirSync(hookState)).toEqual([])
  } finally {
    target.close()
  }
})

test('with the default on-monitoring-unavailable, an Alertmanager that does not answer fails the watch', async () => {
  const target = await countingServer()
  // A loopback port nobody listens on: the connection is refused.
  const deadPort = await freePort()
  try {
    const run = await smoke({
      url: `${target.url}/health`,
      watch: '2s',
      'watch-interval': '1s',
      'alertmanager-url': `http://127.0.0.1:${deadPort}`,
      'alert-matchers': 'service="shop"'
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.passed).toBe('false')
    const said = `${run.annotations.errors.join('\n')}\n${run.summary}`
    expect(said).toContain(`Alertmanager at http://127.0.0.1:${deadPort}/ did not answer`)
    // The app itself answered: the failure is the monitoring's, not the app's.
    expect(target.requests()).toBeGreaterThan(0)
  } finally {
    target.close()
  }
})
