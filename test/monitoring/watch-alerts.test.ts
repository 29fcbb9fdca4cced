import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import { stringify } from 'yaml'
import { Inputs, InputError, SummaryBuilder } from '@slipway/kit'
import { pushDeployEvent } from '@slipway/monitoring'
import {
  parseSmokeSettings,
  renderSmokeSummary,
  runSmokeTest,
  smokeFailure,
  type SmokeTestResult
} from '@slipway/smoke'
import {
  alertmanagerAlerts,
  alertmanagerSilences,
  postAlert,
  startAlertingPrometheus,
  startAlertmanager,
  type AlertingPrometheus,
  type AlertmanagerServer
} from '../services/alertmanager.js'
import { freePorts, stopProcess, waitFor } from '../services/process.js'
import { startPushgateway, type PushgatewayServer } from '../services/pushgateway.js'
import { APP_RULES, documentedRules } from './rules.js'
import { writeSampleApp } from '../services/sample-app.js'

const runnerEnv = { workspace: '/tmp', runnerTemp: '/tmp' }
const inputsOf = (values: Record<string, string>): Inputs => new Inputs(name => values[name])

describe('Alertmanager in the watch window, deploy events in Prometheus', () => {
  let am: AlertmanagerServer
  let gateway: PushgatewayServer
  let prometheus: AlertingPrometheus
  let port: number
  const apps: ChildProcess[] = []
  const appFile = writeSampleApp()

  beforeAll(async () => {
    port = await freePorts(2)
    am = await startAlertmanager()
    gateway = await startPushgateway()
    const rules = documentedRules()
    prometheus = await startAlertingPrometheus({
      targets: [`127.0.0.1:${port}`, `127.0.0.1:${port + 1}`],
      rules: stringify({ groups: [...rules.groups, APP_RULES] }),
      alertmanagerUrl: am.url,
      pushgateway: gateway.url
    })
  }, 60_000)

  afterAll(async () => {
    await Promise.all(apps.map(app => stopProcess(app, 'SIGTERM', 3000)))
    await prometheus?.close()
    await gateway?.close()
    await am?.close()
  })

  /** Starts the sample app and keeps bounded traffic on it until `stop()`. */
  async function serve(version: string, failRate: number, appPort: number) {
    const app = spawn(process.execPath, [appFile], {
      env: { PORT: String(appPort), VERSION: version, FAIL_RATE: String(failRate) },
      stdio: 'ignore'
    })
    apps.push(app)
    await waitFor(
      'the sample app',
      async () => (await fetch(`http://127.0.0.1:${appPort}/health`).catch(() => undefined))?.ok,
      10_000
    )
    let stopped = false
    const traffic = (async () => {
      for (let i = 0; i < 20_000 && !stopped; i++) {
        await fetch(`http://127.0.0.1:${appPort}/`)
          .then(r => r.text())
          .catch(() => undefined)
        await new Promise(resolve => setTimeout(resolve, 20))
      }
    })()
    return {
      stop: async () => {
        stopped = true
        await traffic
        await stopProcess(app, 'SIGTERM', 3000)
      }
    }
  }

  function summaryOf(result: SmokeTestResult): string {
    const summary = new SummaryBuilder()
    renderSmokeSummary(result, summary)
    return summary.toString()
  }

  it('fails the watch window when a bad version trips the alert rule, naming the alert', async () => {
    const app = await serve('bad', 0.5, port)
    try {
      const settings = parseSmokeSettings(
        inputsOf({
          url: `http://127.0.0.1:${port}/health`,
          watch: '3m',
          'watch-interval': '1s',
          'alertmanager-url': am.url,
          'alert-matchers': 'alertname="SampleAppErrors", version="bad"'
        }),
        runnerEnv
      )
      const result = await runSmokeTest(settings, {
        progress: { info: () => undefined, warning: () => undefined }
      })
      expect(result.dryRun).toBe(false)
      if (result.dryRun) return
      expect(result.report.passed).toBe(false)
      expect(result.report.watch?.stoppedEarly).toBe(true)
      expect(result.report.watch?.breachRounds[0].failures).toEqual([
        expect.objectContaining({
          kind: 'alert',
          message: expect.stringContaining('SampleAppErrors')
        })
      ])
      expect(smokeFailure(result)?.message).toContain('alert firing: SampleAppErrors')
      expect(summaryOf(result)).toContain('SampleAppErrors')
    } finally {
      await app.stop()
    }
  }, 180_000)

  it('passes a good version with an unrelated alert firing, and silences the expected noise meanwhile', async () => {
    await postAlert(am.url, { alertname: 'DiskFull', service: 'billing', severity: 'page' })
    await postAlert(
      am.url,
      { alertname: 'OldOutage', service: 'shop', severity: 'page' },
      new Date(Date.now() - 120_000)
    )
    const app = await serve('good', 0, port + 1)
    let silenceDuringWatch:
      Promise<Array<{ comment: string; status: { state: string } }>> | undefined
    try {
      const settings = parseSmokeSettings(
        inputsOf({
          url: `http://127.0.0.1:${port + 1}/health`,
          watch: '4s',
          'watch-interval': '1s',
          'alertmanager-url': am.url,
          'alert-matchers': 'service="shop", severity=~"critical|page"',
          'silence-matchers': 'alertname="InstanceDown", slot="blue"'
        }),
        runnerEnv
      )
      const result = await runSmokeTest(settings, {
        progress: {
          info: line => {
            if (/watch round 1 /.test(line)) silenceDuringWatch ??= alertmanagerSilences(am.url)
          },
          warning: () => undefined
        }
      })
      if (result.dryRun) throw new Error('not a dry run')
      expect(result.report.message).not.toContain('alert firing')
      expect(result.report.passed).toBe(true)
      // The bad version's alert of the test before may still be firing: reported as well.
      expect(result.report.watch?.alertsBefore).toContain('OldOutage')
      expect(summaryOf(result)).toContain(
        'Already firing before the deploy (reported, not counted): '
      )
      const during = (await silenceDuringWatch)!.filter(s => s.comment.includes('smoke test'))
      expect(during.map(s => s.status.state)).toContain('active')
      const after = (await alertmanagerSilences(am.url)).filter(s =>
        s.comment.includes('smoke test')
      )
      expect(after.length).toBeGreaterThan(0)
      expect(after.every(s => s.status.state === 'expired')).toBe(true)
    } finally {
      await app.stop()
    }
  }, 60_000)

  it('refuses malformed matchers and a URL without a scheme before contacting anything', async () => {
    let requests = 0
    const server: Server = createServer((_req, res) => {
      requests++
      res.end('[]')
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
    const address = server.address() as { port: number }
    try {
      const parseWith = (values: Record<string, string>) =>
        parseSmokeSettings(
          inputsOf({ url: `http://127.0.0.1:${address.port}/`, ...values }),
          runnerEnv
        )
      expect(() =>
        parseWith({
          'alertmanager-url': `http://127.0.0.1:${address.port}`,
          'alert-matchers': 'service=="shop"'
        })
      ).toThrow(InputError)
      expect(() =>
        parseWith({
          'alertmanager-url': `http://127.0.0.1:${address.port}`,
          'alert-matchers': 'service=="shop"'
        })
      ).toThrow(/Input 'alert-matchers'/)
      expect(() =>
        parseWith({
          'alertmanager-url': `127.0.0.1:${address.port}`,
          'alert-matchers': 'service="shop"'
        })
      ).toThrow(/Input 'alertmanager-url': expected an http\(s\) URL with its scheme/)
      expect(requests).toBe(0)
    } finally {
      server.close()
    }
  })

  it('the documented rules fire from the pushed deploy events: a rollback, two failed deploys', async () => {
    const now = Date.now()
    const event = {
      environment: 'production',
      app: 'shop',
      startedAt: new Date(now - 30_000),
      endedAt: new Date(now)
    }
    await pushDeployEvent(gateway.url, {
      ...event,
      kind: 'deploy',
      version: '2.0.0',
      status: 'failure'
    })
    await pushDeployEvent(gateway.url, {
      ...event,
      kind: 'rollback',
      version: '1.9.0',
      status: 'success'
    })
    await pushDeployEvent(gateway.url, {
      ...event,
      environment: 'staging',
      kind: 'deploy',
      version: '2.0.0',
      status: 'failure'
    })
    await pushDeployEvent(gateway.url, {
      ...event,
      environment: 'staging',
      kind: 'deploy',
      version: '2.0.1',
      status: 'failure'
    })
    const firing = async (name: string, labels: Record<string, string>) =>
      (await alertmanagerAlerts(am.url)).some(
        a =>
          a.labels.alertname === name && Object.entries(labels).every(([k, v]) => a.labels[k] === v)
      )
    await waitFor(
      'SlipwayRollback to fire',
      () => firing('SlipwayRollback', { environment: 'production', app: 'shop', version: '1.9.0' }),
      60_000
    )
    await waitFor(
      'SlipwayDeployFailedTwice to fire',
      () => firing('SlipwayDeployFailedTwice', { environment: 'staging' }),
      60_000
    )
    // Production failed once, then rolled back: not "failed twice".
    expect(await firing('SlipwayDeployFailedTwice', { environment: 'production' })).toBe(false)
  }, 150_000)
})
