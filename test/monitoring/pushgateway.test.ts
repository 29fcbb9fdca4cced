import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { pushDeployEvent, type DeployEvent } from '@slipway/monitoring'
import { freePort } from '../services/process.js'
import { startPushgateway, type PushgatewayServer } from '../services/pushgateway.js'

/** The group's value of one series, as the Pushgateway exposes it to Prometheus. */
async function series(url: string, name: string, group: Record<string, string>): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`)).text()
  return text
    .split('\n')
    .filter(
      line =>
        line.startsWith(`${name}{`) &&
        Object.entries(group).every(([k, v]) => line.includes(`${k}="${v}"`))
    )
}

describe('pushDeployEvent', () => {
  let gateway: PushgatewayServer
  beforeAll(async () => {
    gateway = await startPushgateway()
  }, 30_000)
  afterAll(async () => {
    await gateway?.close()
  })

  const event = (overrides: Partial<DeployEvent>): DeployEvent => ({
    kind: 'deploy',
    environment: 'production',
    app: 'shop',
    version: '1.2.3',
    status: 'success',
    startedAt: new Date('2026-01-01T00:00:00Z'),
    endedAt: new Date('2026-01-01T00:01:30Z'),
    ...overrides
  })

  it('pushes the slipway_deploy_* series grouped by environment and app', async () => {
    await pushDeployEvent(gateway.url, event({}))
    const group = { job: 'slipway', environment: 'production', app: 'shop', version: '1.2.3' }
    expect(await series(gateway.url, 'slipway_deploy_start_timestamp_seconds', group)).toEqual([
      expect.stringMatching(/ 1\.7672256e\+09$/)
    ])
    expect(await series(gateway.url, 'slipway_deploy_duration_seconds', group)).toEqual([
      expect.stringMatching(/ 90$/)
    ])
    expect(await series(gateway.url, 'slipway_deploy_success', group)).toEqual([
      expect.stringMatching(/status="success".* 1$/)
    ])
    expect(await series(gateway.url, 'slipway_deploy_rollback', group)).toEqual([
      expect.stringMatching(/ 0$/)
    ])
  })

  it('counts failed deploys in a row, and a rollback keeps the count and sets the flag', async () => {
    const group = { environment: 'staging', app: 'shop' }
    await pushDeployEvent(gateway.url, event({ environment: 'staging', status: 'failure' }))
    await pushDeployEvent(
      gateway.url,
      event({ environment: 'staging', status: 'failure', version: '1.2.4' })
    )
    expect(await series(gateway.url, 'slipway_deploy_consecutive_failures', group)).toEqual([
      expect.stringMatching(/version="1\.2\.4".* 2$/)
    ])
    await pushDeployEvent(
      gateway.url,
      event({ environment: 'staging', kind: 'rollback', version: '1.2.2' })
    )
    expect(await series(gateway.url, 'slipway_deploy_rollback', group)).toEqual([
      expect.stringMatching(/kind="rollback".*version="1\.2\.2".* 1$/)
    ])
    expect(await series(gateway.url, 'slipway_deploy_consecutive_failures', group)).toEqual([
      expect.stringMatching(/ 2$/)
    ])
    await pushDeployEvent(gateway.url, event({ environment: 'staging', version: '1.2.5' }))
    expect(await series(gateway.url, 'slipway_deploy_consecutive_failures', group)).toEqual([
      expect.stringMatching(/ 0$/)
    ])
    // Another environment's group is its own.
    expect(
      await series(gateway.url, 'slipway_deploy_success', {
        environment: 'production',
        app: 'shop'
      })
    ).toHaveLength(1)
  })

  it('keeps an app name with a slash in one label', async () => {
    await pushDeployEvent(gateway.url, event({ app: 'team/shop' }))
    expect(await series(gateway.url, 'slipway_deploy_success', { app: 'team/shop' })).toHaveLength(
      1
    )
  })

  it('says so when the Pushgateway does not answer', async () => {
    await expect(
      pushDeployEvent(`http://127.0.0.1:${await freePort()}`, event({}))
    ).rejects.toThrow(/Pushgateway did not answer: ECONNREFUSED/)
  })
})
