import { describe, expect, test } from '@jest/globals'
import { Inputs, InputError, type RunnerEnv } from '@slipway/kit'
import { parseRollbackSettings } from '@slipway/rollback'
import { buildDeployConfig, parseDeploySettings } from '@slipway/strategies'
import { tempDir } from '../services/process.js'

// Issue #16: nginx's release lifecycle on the hosts with HAProxy moving the traffic
// (`provider: nginx`, `router: haproxy`). nginx's upstream include is never written then, so
// its path must not be demanded; a relative path that is still used is named.

const runnerEnv = (): RunnerEnv => ({
  workspace: tempDir('nginx-haproxy-ws'),
  runnerTemp: tempDir('nginx-haproxy-temp'),
  repository: 'acme/shop'
})

function values(extra: Record<string, string> = {}): Record<string, string> {
  return {
    strategy: 'blue-green',
    version: 'v1.0.0',
    provider: 'nginx',
    router: 'haproxy',
    targets: 'blue=127.0.0.1:8081\ngreen=127.0.0.1:8082',
    'start-command': 'true',
    'release-dir': tempDir('nginx-haproxy-releases'),
    'record-deployment': 'false',
    ...extra
  }
}

const inputs = (v: Record<string, string>) => new Inputs(name => v[name])

describe('provider nginx behind router haproxy', () => {
  test('deploy-strategy builds it without nginx-upstream-file', async () => {
    const settings = parseDeploySettings(inputs(values()), runnerEnv())
    const config = buildDeployConfig(settings.deploy)
    expect(config.provider.name).toBe('nginx')
    expect(config.provider.router?.name).toBe('haproxy')
    await config.provider.close()
  })

  test('the rollback parses it without nginx-upstream-file', () => {
    const settings = parseRollbackSettings(inputs(values()), runnerEnv(), { token: 't' })
    expect(settings.provider.router).toBe('haproxy')
  })

  test('router provider still needs the upstream include, named', () => {
    let thrown: unknown
    try {
      parseDeploySettings(inputs(values({ router: 'provider' })), runnerEnv())
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).input).toBe('nginx-upstream-file')
  })

  test('a relative haproxy-backend-file is named, not nginx-upstream-file', () => {
    let thrown: unknown
    try {
      parseDeploySettings(inputs(values({ 'haproxy-backend-file': 'slipway.cfg' })), runnerEnv())
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).input).toBe('haproxy-backend-file')
  })
})
