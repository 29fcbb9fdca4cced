// Bad kubernetes input fails closed: an InputError naming the input, the expected form and what
// was given, thrown before the provider sends a single request — the emulator sees none.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InputError, Inputs, Redactor, type RunnerEnv } from '@slipway/kit'
import { runDeploy } from '@slipway/strategies'
import {
  buildKubernetesDeployConfig,
  parseKubernetesSettings
} from '../../packages/strategies/src/kubernetes-config.js'
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { tempDir } from '../services/process.js'
import { appManifests, inputsFor, kubeconfigOf, manifestDir, type RunOptions } from './helpers.js'

jest.setTimeout(60_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startKubernetesEmulator()
})
afterAll(async () => {
  await k8s?.close()
})

const base: RunOptions = { strategy: 'blue-green', version: 'v1', image: 'registry.example/web:v1' }

/** Builds the config (what parsing the settings does) and returns the InputError it throws. */
function refusal(options: Partial<RunOptions>): InputError {
  const before = k8s.requests.length
  const { deploy, kubernetes } = inputsFor(k8s, { ...base, ...options })
  let caught: unknown
  try {
    buildKubernetesDeployConfig(deploy, kubernetes, new Redactor())
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(InputError)
  expect(k8s.requests.length).toBe(before)
  return caught as InputError
}

const invalidDeployment = appManifests().replace('replicas: 2', 'replicas: two')

describe('kubernetes inputs', () => {
  test('a namespace that is not a DNS-1123 label', () => {
    const error = refusal({ kubernetes: { namespace: 'Prod_Env' } })
    expect(error.input).toBe('namespace')
    expect(error.message).toContain('DNS-1123')
    expect(error.message).toContain('Prod_Env')
  })

  test('an app name that cannot name a Deployment', () => {
    expect(refusal({ kubernetes: { app: 'web app' } }).input).toBe('app')
  })

  test('a kubeconfig without the context asked for', () => {
    const error = refusal({ kubernetes: { context: 'staging' } })
    expect(error.input).toBe('kube-context')
    expect(error.message).toContain('staging')
  })

  test('KUBECONFIG naming a file that is not there', () => {
    const error = refusal({
      kubernetes: { kubeconfig: undefined, kubeconfigPath: '/nonexistent/kube/config' }
    })
    expect(error.input).toBe('kubeconfig')
    expect(error.message).toContain('/nonexistent/kube/config')
  })

  test('no kubeconfig at all', () => {
    expect(
      refusal({ kubernetes: { kubeconfig: undefined, kubeconfigPath: undefined } }).input
    ).toBe('kubeconfig')
  })

  // The schema validators load on the provider's first async step (not when the config is built,
  // which every bundle does at start-up): the refusal comes from the run, before any request.
  test('a manifest failing the schema: the file, the object and the field are named', async () => {
    const dir = manifestDir({ 'app.yaml': invalidDeployment })
    const before = k8s.requests.length
    const { deploy, kubernetes } = inputsFor(k8s, { ...base, manifests: [dir] })
    const config = buildKubernetesDeployConfig(deploy, kubernetes, new Redactor())
    const error = await runDeploy(config).then(
      () => undefined,
      (caught: unknown) => caught
    )
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('manifests')
    expect((error as InputError).message).toContain(`${dir}/app.yaml`)
    expect((error as InputError).message).toContain('Deployment/web')
    expect((error as InputError).message).toContain('spec.replicas')
    expect(k8s.requests.length).toBe(before)
  })

  test('a Deployment without containers is refused when the config is built', () => {
    const dir = manifestDir({
      'app.yaml': appManifests().replace(/ {6}containers:[\s\S]*?---/, '---')
    })
    const error = refusal({ manifests: [dir] })
    expect(error.input).toBe('manifests')
    expect(error.message).toContain('spec.template.spec.containers')
  })

  test('a kubeconfig whose cluster has no server, or that is not YAML', () => {
    const noServer = kubeconfigOf(k8s).replace(/server: .*\n/, '')
    const error = refusal({ kubernetes: { kubeconfig: noServer } })
    expect(error.input).toBe('kubeconfig')
    expect(error.message).toContain('clusters[0].cluster.server is missing')
    expect(refusal({ kubernetes: { kubeconfig: 'clusters: [unclosed' } }).input).toBe('kubeconfig')
  })

  test('a token-file’s token is masked like an inline one', () => {
    const file = join(tempDir('kube-token'), 'token')
    writeFileSync(file, k8s.token)
    const kubeconfig = kubeconfigOf(k8s).replace(`token: ${k8s.token}`, `token-file: ${file}`)
    expect(kubeconfig).not.toContain(k8s.token)
    const { deploy, kubernetes } = inputsFor(k8s, { ...base, kubernetes: { kubeconfig } })
    const redactor = new Redactor()
    buildKubernetesDeployConfig(deploy, kubernetes, redactor)
    expect(redactor.redact(`Bearer ${k8s.token}`)).not.toContain(k8s.token)
  })

  test('a custom resource kind the schemas do not cover', () => {
    const dir = manifestDir({
      'app.yaml': appManifests(),
      'monitor.yaml':
        'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n'
    })
    expect(refusal({ manifests: [dir] }).message).toContain('ServiceMonitor')
  })

  test('a manifest in another namespace', () => {
    const dir = manifestDir({
      'app.yaml': appManifests().replace(
        'name: web\nspec:\n  replicas',
        'name: web\n  namespace: other\nspec:\n  replicas'
      )
    })
    expect(refusal({ manifests: [dir] }).message).toContain('other')
  })

  test('a container the Deployment does not have', () => {
    expect(refusal({ kubernetes: { containers: ['sidecar'] } }).input).toBe('container')
  })

  test('max-surge with blue-green, and a malformed max-unavailable with rolling', () => {
    expect(refusal({ kubernetes: { maxSurge: '1' } }).input).toBe('max-surge')
    expect(refusal({ strategy: 'rolling', kubernetes: { maxUnavailable: '150%' } }).input).toBe(
      'max-unavailable'
    )
  })

  test('gateway-route with an invalid name, or with rolling', () => {
    expect(refusal({ strategy: 'canary', kubernetes: { gatewayRoute: 'Web_Route' } }).input).toBe(
      'gateway-route'
    )
    expect(refusal({ strategy: 'rolling', kubernetes: { gatewayRoute: 'web' } }).input).toBe(
      'gateway-route'
    )
  })

  test('canary steps that are not percentages up to 100', () => {
    expect(refusal({ strategy: 'canary', deploy: { steps: '10,150' } }).input).toBe('steps')
  })

  test('targets, health-url and health-command have no meaning here', () => {
    expect(refusal({ deploy: { targets: ['blue=127.0.0.1:1'] } }).input).toBe('targets')
    expect(refusal({ deploy: { healthUrl: 'http://127.0.0.1/' } }).input).toBe('health-url')
  })

  test('an image reference that is not one', () => {
    expect(refusal({ image: 'not an image' }).input).toBe('image')
  })

  test('the kubeconfig input is a secret of the settings', () => {
    const kubeconfig = k8s.kubeconfig()
    const values: Record<string, string> = { provider: 'kubernetes', kubeconfig, manifests: 'k8s/' }
    const env: RunnerEnv = { workspace: '/srv/checkout', runnerTemp: '/tmp' }
    const settings = parseKubernetesSettings(new Inputs(name => values[name]), env, {})
    expect(settings.secrets).toContain(kubeconfig.trim())
    expect(settings.secrets).toContain(k8s.token)
    expect(settings.inputs.manifests).toEqual(['/srv/checkout/k8s'])
    expect(settings.inputs.kubeconfigPath).toBeUndefined()
  })
})
