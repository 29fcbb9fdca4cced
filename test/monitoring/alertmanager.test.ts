import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Inputs, InputError, stopEverything } from '@slipway/kit'
import {
  checkAlerts,
  openSilence,
  parseMatchers,
  parseMonitoringSettings,
  parsePushSettings,
  type AlertSettings
} from '@slipway/monitoring'
import {
  alertmanagerSilences,
  postAlert,
  startAlertmanager,
  type AlertmanagerServer
} from '../services/alertmanager.js'
import { freePort } from '../services/process.js'

const runnerEnv = { workspace: '/tmp', runnerTemp: '/tmp' }
const inputsOf = (values: Record<string, string>): Inputs => new Inputs(name => values[name])
const progress = () => {
  const lines: string[] = []
  return {
    lines,
    info: (m: string) => lines.push(m),
    warning: (m: string) => lines.push(`warning: ${m}`)
  }
}

describe('matchers', () => {
  it('reads the documented syntax', () => {
    expect(
      parseMatchers(
        '{service="shop", severity=~"critical|page", team!="ops", env!~dev.*}',
        'alert-matchers'
      )
    ).toEqual([
      { name: 'service', operator: '=', value: 'shop' },
      { name: 'severity', operator: '=~', value: 'critical|page' },
      { name: 'team', operator: '!=', value: 'ops' },
      { name: 'env', operator: '!~', value: 'dev.*' }
    ])
    expect(parseMatchers('summary="say \\"hi\\", then go"', 'x')).toEqual([
      { name: 'summary', operator: '=', value: 'say "hi", then go' }
    ])
  })

  it.each([
    'service',
    'service=="shop"',
    'service==shop',
    '1abc="x"',
    'service="shop",',
    'service="shop" severity="page"',
    'service="unterminated',
    'severity=~"(critical"',
    '{service="shop"',
    ''
  ])('refuses %j naming the input', text => {
    const attempt = () => parseMatchers(text, 'alert-matchers')
    expect(attempt).toThrow(InputError)
    expect(attempt).toThrow(/Input 'alert-matchers': expected Alertmanager matchers/)
  })
})

describe('settings', () => {
  it('refuses a URL without a scheme, naming the input', () => {
    expect(() =>
      parseMonitoringSettings(
        inputsOf({ 'alertmanager-url': 'alertmanager:9093', 'alert-matchers': 'a="b"' }),
        runnerEnv
      )
    ).toThrow(
      /Input 'alertmanager-url': expected an http\(s\) URL with its scheme.*got "alertmanager:9093"/
    )
    expect(() => parsePushSettings(inputsOf({ 'pushgateway-url': '127.0.0.1:9091' }))).toThrow(
      /Input 'pushgateway-url': expected an http\(s\) URL with its scheme/
    )
  })

  it('needs matchers with an Alertmanager and an Alertmanager with matchers', () => {
    expect(() =>
      parseMonitoringSettings(inputsOf({ 'alertmanager-url': 'http://am:9093' }), runnerEnv)
    ).toThrow(/Input 'alert-matchers'/)
    expect(() =>
      parseMonitoringSettings(inputsOf({ 'silence-matchers': 'a="b"' }), runnerEnv)
    ).toThrow(/Input 'alertmanager-url'/)
    expect(() =>
      parseMonitoringSettings(
        inputsOf({
          'alertmanager-url': 'http://am:9093',
          'alert-matchers': 'a="b"',
          'on-monitoring-unavailable': 'ignore'
        }),
        runnerEnv
      )
    ).toThrow(/Input 'on-monitoring-unavailable': expected fail or warn/)
  })

  it('defaults to fail closed, report what fired before, and masks URL credentials', () => {
    const settings = parseMonitoringSettings(
      inputsOf({ 'alertmanager-url': 'https://u:s3cret@am.example', 'alert-matchers': 'a="b"' }),
      { ...runnerEnv, serverUrl: 'https://github.com', repository: 'o/r', runId: '7' }
    )
    expect(settings.alerts).toMatchObject({
      onUnavailable: 'fail',
      firingBefore: 'report',
      runUrl: 'https://github.com/o/r/actions/runs/7'
    })
    expect(settings.secrets).toContain('s3cret')
  })
})

describe('against Alertmanager', () => {
  let am: AlertmanagerServer
  beforeAll(async () => {
    am = await startAlertmanager()
  }, 30_000)
  afterAll(async () => {
    await am?.close()
  })

  const settingsFor = (service: string, extra: Partial<AlertSettings> = {}): AlertSettings => ({
    url: am.url,
    matchers: parseMatchers(`service="${service}", severity=~"critical|page"`, 'alert-matchers'),
    onUnavailable: 'fail',
    firingBefore: 'report',
    ...extra
  })

  it('counts a matching alert that started after the deploy began, and names it', async () => {
    const since = new Date()
    await postAlert(am.url, { alertname: 'ShopErrors', service: 'shop-a', severity: 'page' })
    await postAlert(am.url, { alertname: 'OtherTeam', service: 'billing', severity: 'page' })
    await postAlert(am.url, { alertname: 'JustInfo', service: 'shop-a', severity: 'info' })
    const verdict = await checkAlerts(settingsFor('shop-a'), since)
    expect(verdict.ok).toBe(false)
    expect(verdict.counted.map(a => a.name)).toEqual(['ShopErrors'])
    expect(verdict.message).toContain('ShopErrors')
    expect(await checkAlerts(settingsFor('billing-none'), since)).toMatchObject({ ok: true })
  })

  it('reports an alert already firing before the deploy, and counts it when asked', async () => {
    await postAlert(
      am.url,
      { alertname: 'OldOutage', service: 'shop-b', severity: 'critical' },
      new Date(Date.now() - 60_000)
    )
    const since = new Date(Date.now() - 1000)
    const reported = await checkAlerts(settingsFor('shop-b'), since)
    expect(reported).toMatchObject({ ok: true, counted: [] })
    expect(reported.before.map(a => a.name)).toEqual(['OldOutage'])
    expect(reported.message).toContain('already firing before the deploy: OldOutage')
    const counted = await checkAlerts(settingsFor('shop-b', { firingBefore: 'count' }), since)
    expect(counted.ok).toBe(false)
    expect(counted.counted.map(a => a.name)).toEqual(['OldOutage'])
  })

  it('fails closed when Alertmanager does not answer, and warns only when told to', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`
    const fail = await checkAlerts(settingsFor('x', { url: closed }), new Date())
    expect(fail.ok).toBe(false)
    expect(fail.message).toMatch(
      /Alertmanager at http:\/\/127\.0\.0\.1:\d+\/? did not answer: ECONNREFUSED/
    )
    const log = progress()
    const warn = await checkAlerts(
      settingsFor('x', { url: closed, onUnavailable: 'warn' }),
      new Date(),
      {
        progress: log
      }
    )
    expect(warn.ok).toBe(true)
    expect(warn.unavailable).toBeDefined()
    expect(log.lines.join('\n')).toMatch(/warning: .*did not answer/)
  })

  it('creates a silence with the run link and expires it when closed', async () => {
    const settings = settingsFor('shop-c', {
      silenceMatchers: parseMatchers('alertname="InstanceDown", slot="blue"', 'silence-matchers'),
      runUrl: 'https://github.com/o/r/actions/runs/42'
    })
    const silence = await openSilence(settings, 'deploy of 1.2.3 to production', progress())
    expect(silence).toBeDefined()
    const active = (await alertmanagerSilences(am.url)).find(s => s.id === silence!.id)
    expect(active?.status.state).toBe('active')
    expect(active?.comment).toContain('https://github.com/o/r/actions/runs/42')
    // A silenced alert is not the deploy's failure.
    await postAlert(am.url, {
      alertname: 'InstanceDown',
      slot: 'blue',
      service: 'shop-c',
      severity: 'page'
    })
    expect(await checkAlerts(settings, new Date(Date.now() - 5000))).toMatchObject({ ok: true })
    await silence!.close()
    await silence!.close()
    expect((await alertmanagerSilences(am.url)).find(s => s.id === silence!.id)?.status.state).toBe(
      'expired'
    )
  })

  it('expires the silence when the action is cancelled', async () => {
    const settings = settingsFor('shop-d', {
      silenceMatchers: parseMatchers('alertname="InstanceDown"', 'silence-matchers')
    })
    const silence = await openSilence(settings, 'deploy', progress())
    expect((await alertmanagerSilences(am.url)).find(s => s.id === silence!.id)?.status.state).toBe(
      'active'
    )
    // What the kit's SIGTERM handler runs before the process exits.
    expect(await stopEverything('SIGTERM')).toBe(143)
    expect((await alertmanagerSilences(am.url)).find(s => s.id === silence!.id)?.status.state).toBe(
      'expired'
    )
  })

  it('creates no silence without silence matchers', async () => {
    expect(await openSilence(settingsFor('shop-e'), 'deploy', progress())).toBeUndefined()
  })
})
