// Bad Helm input fails closed: an InputError naming the input, the expected form and what was
// given (a UserError with a hint when helm is missing), before helm runs or the cluster sees a
// request.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { InputError, Inputs, Redactor, UserError, type RunnerEnv } from '@slipway/kit'
import {
  buildKubernetesDeployConfig,
  parseKubernetesSettings
} from '../../packages/strategies/src/kubernetes-config.js'
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { CHART, FIXTURES, helmInputs, type HelmRunOptions } from './helm-helpers.js'
import { kubeconfigOf } from './helpers.js'

jest.setTimeout(60_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startKubernetesEmulator({ tls: true })
})
afterAll(async () => {
  await k8s?.close()
})

const base: HelmRunOptions = { version: 'v1', image: 'registry.example/web:v1' }

/** Builds the config (what parsing the settings does) and returns what it throws. */
function refusal(options: Partial<HelmRunOptions>): UserError {
  const before = k8s.requests.length
  const { deploy, kubernetes } = helmInputs(k8s, { ...base, ...options })
  let caught: unknown
  try {
    buildKubernetesDeployConfig(deploy, kubernetes, new Redactor())
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(UserError)
  // Nothing reached the cluster.
  expect(k8s.requests.length).toBe(before)
  return caught as UserError
}

function inputError(options: Partial<HelmRunOptions>, input: string): InputError {
  const error = refusal(options)
  expect(error).toBeInstanceOf(InputError)
  expect((error as InputError).input).toBe(input)
  return error as InputError
}

describe('helm inputs', () => {
  test('a chart path that does not exist', () => {
    const error = inputError({ helm: { chart: `${FIXTURES}/no-such-chart` } }, 'helm-chart')
    expect(error.message).toContain('no-such-chart (no such file)')
    expect(error.message).toContain('Chart.yaml')
  })

  test('a directory that is not a chart', () => {
    expect(inputError({ helm: { chart: FIXTURES } }, 'helm-chart').message).toContain('not a chart')
  })

  test('a release name Helm refuses', () => {
    const error = inputError({ helm: { release: 'Web_App' } }, 'helm-release')
    expect(error.message).toContain('Web_App')
    inputError({ helm: { release: 'a'.repeat(54) } }, 'helm-release')
  })

  test('a values file that does not exist', () => {
    const error = inputError({ helm: { values: [`${FIXTURES}/missing.yaml`] } }, 'helm-values')
    expect(error.message).toContain('missing.yaml')
  })

  test('canary and blue-green: Helm mode is rolling', () => {
    for (const strategy of ['canary', 'blue-green'] as const) {
      const error = inputError({ strategy }, 'strategy')
      expect(error.message).toContain('rolling with helm-chart')
      expect(error.message).toContain(strategy)
    }
  })

  test('an image key --set-string would misread, a timeout that is not a duration', () => {
    inputError({ helm: { imageKey: 'image,tag=x' } }, 'helm-image-key')
    expect(inputError({ helm: { timeout: 'soon' } }, 'helm-timeout').message).toContain('soon')
  })

  test('the manifests’ inputs mean nothing with a chart', () => {
    inputError({ kubernetes: { manifests: ['/srv/k8s'] } }, 'manifests')
    inputError({ kubernetes: { maxSurge: '1' } }, 'max-surge')
  })

  test('a kubeconfig whose user runs a credential plugin', () => {
    const kubeconfig = kubeconfigOf(k8s).replace(
      /user:\n(\s+)token: \S+/,
      'user:\n$1exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token] }'
    )
    expect(kubeconfig).toContain('command: aws')
    const error = inputError({ kubernetes: { kubeconfig } }, 'kubeconfig')
    expect(error.message).toContain('uses exec')
  })

  test('helm missing on PATH: a UserError saying how to get it', () => {
    const error = refusal({ kubernetes: { path: '/nonexistent' } })
    expect(error).not.toBeInstanceOf(InputError)
    expect(error.message).toContain('helm')
    expect(error.hint).toMatch(/setup-helm/)
  })

  test('parsing: helm-chart selects Helm mode, paths resolve in the workspace; helm inputs without it are refused', () => {
    const env: RunnerEnv = { workspace: '/srv/checkout', runnerTemp: '/tmp' }
    const values: Record<string, string> = {
      kubeconfig: kubeconfigOf(k8s),
      'helm-chart': 'deploy/chart',
      'helm-values': 'deploy/prod.yaml\n/etc/shared.yaml',
      'helm-test': 'true'
    }
    const settings = parseKubernetesSettings(new Inputs(name => values[name]), env, {
      PATH: '/usr/bin'
    })
    expect(settings.inputs.helm).toEqual({
      chart: '/srv/checkout/deploy/chart',
      release: undefined,
      values: ['/srv/checkout/deploy/prod.yaml', '/etc/shared.yaml'],
      imageKey: undefined,
      timeout: undefined,
      test: true
    })
    expect(settings.inputs.path).toBe('/usr/bin')
    const without = { kubeconfig: values.kubeconfig, 'helm-test': 'true' } as Record<string, string>
    let caught: unknown
    try {
      parseKubernetesSettings(new Inputs(name => without[name]), env, {})
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(InputError)
    expect((caught as InputError).input).toBe('helm-test')
    expect(CHART).toContain('helm-chart')
  })
})
