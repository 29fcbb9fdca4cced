import { describe, expect, test } from '@jest/globals'
import { tmpdir } from 'node:os'
import { InputError, Inputs, type RunnerEnv } from '@slipway/kit'
import { parsePipelineSettings } from '@slipway/pipeline'

const runnerEnv: RunnerEnv = { workspace: tmpdir(), runnerTemp: tmpdir(), repository: 'acme/shop' }

/** The all-in-one action's inputs: deploy and smoke, both judged by the team's Alertmanager. */
function pipelineInputs(extra: Record<string, string>): Inputs {
  const values: Record<string, string> = {
    version: 'v1.2.0',
    stages: 'deploy,smoke',
    strategy: 'blue-green',
    'prepare-command': 'true',
    'route-command': 'true',
    'health-command': 'true',
    'smoke-url': 'http://127.0.0.1:9/health',
    'alertmanager-url': 'https://user:am-s3cret@alertmanager.example',
    'alert-matchers': 'service="shop", severity=~"critical|page"',
    'silence-matchers': 'alertname="InstanceDown"',
    'pushgateway-url': 'http://pushgateway.example:9091',
    ...extra
  }
  return new Inputs(name => values[name])
}

describe('the pipeline passes the monitoring inputs to deploy and smoke', () => {
  test('both stages get the Alertmanager, deploy the Pushgateway; the credential is masked', () => {
    const settings = parsePipelineSettings(pipelineInputs({}), runnerEnv, { token: 't0ken' })
    expect(settings.stages.deploy?.monitoring.alerts?.matchers).toHaveLength(2)
    expect(settings.stages.deploy?.monitoring.pushgatewayUrl).toBe(
      'http://pushgateway.example:9091'
    )
    expect(settings.stages.smoke?.watch?.alerts?.silenceMatchers).toEqual([
      { name: 'alertname', operator: '=', value: 'InstanceDown' }
    ])
    expect(settings.secrets).toContain('am-s3cret')
  })

  test.each([
    [{ 'alert-matchers': 'service==shop' }, 'alert-matchers'],
    [{ 'alertmanager-url': 'alertmanager:9093' }, 'alertmanager-url'],
    [{ 'pushgateway-url': 'pushgateway:9091' }, 'pushgateway-url'],
    [{ 'on-monitoring-unavailable': 'maybe' }, 'on-monitoring-unavailable']
  ])('%j fails before any stage runs, naming the input', (extra, input) => {
    let thrown: unknown
    try {
      parsePipelineSettings(pipelineInputs(extra), runnerEnv, { token: 't0ken' })
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InputError)
    expect((thrown as InputError).input).toBe(input)
  })
})
