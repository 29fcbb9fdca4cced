// The connection: a kubeconfig file named by KUBECONFIG with several contexts, the one asked for
// selected; a token the cluster refuses is the user's to fix, and is never shown.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { UserError } from '@slipway/kit'
import { tempDir } from '../services/process.js'
import { startKubernetesEmulator, type KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { APP, deploy, kubeconfigOf, serviceOf } from './helpers.js'

jest.setTimeout(120_000)

let k8s: KubernetesEmulator
beforeAll(async () => {
  k8s = await startKubernetesEmulator({ namespaces: ['default', 'staging'] })
})
afterAll(async () => {
  await k8s?.close()
})

describe('kubernetes connection', () => {
  test('KUBECONFIG with two contexts: kube-context picks one, namespace from the input', async () => {
    const file = join(tempDir('kubeconfig'), 'config')
    writeFileSync(file, kubeconfigOf(k8s, { contexts: ['production', 'staging'] }), { mode: 0o600 })
    const run = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v1',
      kubernetes: {
        kubeconfig: undefined,
        kubeconfigPath: file,
        context: 'staging',
        namespace: 'staging'
      }
    })
    expect(run.outcome.result.status).toBe('success')
    expect(run.outcome.staged).toMatchObject({
      kubernetes_context: 'staging',
      kubernetes_namespace: 'staging'
    })
    expect(k8s.get('Service', 'staging', APP)).toBeDefined()
    expect(serviceOf(k8s, APP)).toBeUndefined()
  })

  test('a token the cluster refuses: a UserError with what to do, the token masked', async () => {
    const wrong = 'wrong-token-0123456789abcdef'
    const kubeconfig = kubeconfigOf(k8s).replace(k8s.token, wrong)
    const failure = await deploy(k8s, {
      strategy: 'blue-green',
      version: 'v1',
      image: 'registry.example/web:v1',
      kubernetes: { kubeconfig }
    }).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(UserError)
    expect((failure as UserError).message).toMatch(/refused \(401\)/)
    expect((failure as UserError).message).not.toContain(wrong)
    expect((failure as UserError).hint).toMatch(/renew the token/)
  })
})
