// Which cluster the kubernetes tests run against. By default the API emulator in
// test/kubernetes-emulator, started per suite. With SLIPWAY_KUBERNETES_CLUSTER set (CI's
// `kubernetes` job sets it to `kind`), the cluster of the current kubeconfig instead, one fresh
// namespace per suite standing in for the emulator's `default`. The real cluster's pods run the
// images test/kubernetes/kind-images.mjs loads into it, whose behaviour is fixed by their tag:
// a suite's setPodBehaviour only checks that the image it names behaves that way.
// What only the emulator can do (fault injection, its clock, its request log) throws here, and
// the tests that need it are declared with `emulatorOnly`, which says so when it skips them.
import { execFileSync } from 'node:child_process'
import { basename } from 'node:path'
import { expect, test } from '@jest/globals'
import { stringify as toYaml } from 'yaml'
import {
  startKubernetesEmulator,
  type EmulatorOptions,
  type Kind,
  type KubernetesEmulator,
  type PodBehaviour
} from '../kubernetes-emulator/index.js'
import { IMAGE_BEHAVIOURS } from './kind-images.js'

/** The real cluster's name (e.g. `kind`), or undefined for the emulator. */
export const REAL_CLUSTER = process.env.SLIPWAY_KUBERNETES_CLUSTER || undefined
export const onRealCluster = REAL_CLUSTER !== undefined

/**
 * A test that needs the emulator's instrumentation (injected faults, its clock, the requests it
 * saw). On a real cluster it is skipped, and its name says why.
 */
export function emulatorOnly(name: string, fn: () => Promise<void> | void, timeout?: number) {
  if (onRealCluster)
    test.skip(`${name} [emulator only: needs its fault injection or request log]`, fn)
  else test(name, fn, timeout)
}

const namespaces = new WeakMap<KubernetesEmulator, string>()

/** The namespace a suite's objects are in: `default` on the emulator, the suite's own on a cluster. */
export function testNamespace(k8s: KubernetesEmulator): string {
  return namespaces.get(k8s) ?? 'default'
}

/** The emulator, or the real cluster behind the same interface. */
export async function startCluster(options: EmulatorOptions = {}): Promise<KubernetesEmulator> {
  return onRealCluster ? startRealCluster() : startKubernetesEmulator(options)
}

// kubectl resource names of the kinds the tests read.
const RESOURCE: Partial<Record<Kind, string>> = {
  Deployment: 'deployments.apps',
  ReplicaSet: 'replicasets.apps',
  Pod: 'pods',
  Service: 'services',
  Event: 'events',
  HTTPRoute: 'httproutes.gateway.networking.k8s.io'
}

const kubectl = (args: string[]): string =>
  execFileSync('kubectl', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })

const emulatorOnlyError = (what: string) =>
  new Error(`${what} is emulator only: not available on a real cluster`)

interface KubeconfigDoc {
  clusters: { name: string; cluster: { server: string } }[]
  users: { name: string; user: Record<string, string> }[]
  contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[]
  'current-context': string
}

async function startRealCluster(): Promise<KubernetesEmulator> {
  // One namespace per suite, named after it: the suites of a run share the cluster.
  const suite = basename(expect.getState().testPath ?? 'suite').replace(/\.test\.ts$/, '')
  const namespace = `slipway-${suite.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63)
  // The current context only, with its credentials inlined: what a user puts in a secret.
  const doc = JSON.parse(
    kubectl(['config', 'view', '--raw', '--minify', '--flatten', '-o', 'json'])
  ) as KubeconfigDoc
  const user = doc.users[0]?.user ?? {}
  // The credential the tests check never appears: a token, else the client key (kind's).
  const secret = user.token ?? user['client-key-data'] ?? ''
  kubectl(['create', 'namespace', namespace])
  const ns = (given: string) => (given === 'default' ? namespace : given)

  const objects = (kind: Kind, namespace: string, args: string[]): object[] => {
    const resource = RESOURCE[kind]
    if (!resource) throw new Error(`no kubectl resource for ${kind}`)
    const out = kubectl(['get', resource, '-n', ns(namespace), '-o', 'json', ...args])
    return (JSON.parse(out) as { items: object[] }).items
  }

  interface DeploymentState {
    metadata: { generation?: number }
    spec: { replicas?: number }
    status?: {
      observedGeneration?: number
      replicas?: number
      updatedReplicas?: number
      readyReplicas?: number
      conditions?: { type: string; reason?: string }[]
    }
  }
  const settledDeployment = (d: DeploymentState): boolean => {
    const s = d.status ?? {}
    const want = d.spec.replicas ?? 1
    if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) return false
    if (s.conditions?.some(c => c.reason === 'ProgressDeadlineExceeded')) return true
    return (
      (s.replicas ?? 0) === want &&
      (s.updatedReplicas ?? 0) === want &&
      (s.readyReplicas ?? 0) === want
    )
  }

  const cluster: KubernetesEmulator = {
    url: doc.clusters[0].cluster.server,
    token: secret,
    kubeconfig({ contexts, namespace: wanted } = {}) {
      const context = doc.contexts[0]
      const names = contexts ?? [context.name]
      return toYaml({
        ...doc,
        contexts: names.map(name => ({
          name,
          context: { ...context.context, namespace: ns(wanted ?? 'default') }
        })),
        'current-context': names[0]
      })
    },
    setPodBehaviour(image: string | RegExp, behaviour: PodBehaviour) {
      const loaded = typeof image === 'string' ? IMAGE_BEHAVIOURS[image] : undefined
      if (loaded !== behaviour)
        throw new Error(
          `image ${String(image)} is not loaded as ${behaviour}: add it to kind-images.mjs`
        )
    },
    injectFault() {
      throw emulatorOnlyError('injectFault')
    },
    get requests(): never {
      throw emulatorOnlyError('the request log')
    },
    responseProblems: [],
    get(kind, namespace, name) {
      return objects(kind, namespace, ['--field-selector', `metadata.name=${name}`])[0]
    },
    list(kind, namespace, labelSelector) {
      return objects(kind, namespace, labelSelector ? ['-l', labelSelector] : [])
    },
    async settled() {
      // Bounded: a rollout that never progresses ends at its progress deadline.
      for (let i = 0; i < 240; i++) {
        const deployments = objects('Deployment', 'default', []) as DeploymentState[]
        const terminating = (objects('Pod', 'default', []) as { metadata: object }[]).some(
          p => 'deletionTimestamp' in p.metadata
        )
        if (!terminating && deployments.every(settledDeployment)) return
        await new Promise(resolve => setTimeout(resolve, 500))
      }
      throw new Error(`namespace ${namespace} did not settle`)
    },
    now: () => Date.now(),
    corruptNextResponse() {
      throw emulatorOnlyError('corruptNextResponse')
    },
    async advanceClock() {
      throw emulatorOnlyError('advanceClock')
    },
    async close() {
      kubectl(['delete', 'namespace', namespace, '--timeout=120s'])
    }
  }
  namespaces.set(cluster, namespace)
  return cluster
}
