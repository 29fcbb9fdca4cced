import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  type KubernetesObject
} from '@kubernetes/client-node'
import type { KubernetesEmulator } from './index.js'

/** The official client, configured from the emulator's kubeconfig exactly as a user's would be. */
export function clients(emulator: KubernetesEmulator, namespace = 'default') {
  const kc = new KubeConfig()
  kc.loadFromString(emulator.kubeconfig({ namespace }))
  return {
    kc,
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
    /** Server-side apply, as the provider does it. */
    apply(
      spec: KubernetesObject & Record<string, unknown>,
      fieldManager = 'slipway',
      force = true
    ) {
      return KubernetesObjectApi.makeApiClient(kc).patch(
        spec,
        undefined,
        undefined,
        fieldManager,
        force,
        PatchStrategy.ServerSideApply
      )
    }
  }
}

export function deployment(
  name: string,
  image: string,
  options: {
    replicas?: number
    maxSurge?: number | string
    maxUnavailable?: number | string
    progressDeadlineSeconds?: number
  } = {}
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 3,
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      selector: { matchLabels: { app: name } },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxSurge: options.maxSurge ?? 1,
          maxUnavailable: options.maxUnavailable ?? 0
        }
      },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }] }
      }
    }
  }
}

/** Waits for a condition on emulator state, driven by the emulator settling, not by sleeps. */
export async function until<T>(
  emulator: KubernetesEmulator,
  probe: () => T | undefined | false
): Promise<T> {
  for (;;) {
    const value = probe()
    if (value) return value
    await emulator.settled()
    const again = probe()
    if (again) return again
    throw new Error('the emulator settled without reaching the expected state')
  }
}

export interface Recording {
  events: { type: string; object: Any }[]
  /** Resolves once the watch has delivered an event at or after this resourceVersion. */
  caughtUp(resourceVersion: string): Promise<void>
  stop(): void
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

/** Records every watch event of a collection through the official client's Watch. */
export async function record(
  emulator: KubernetesEmulator,
  path: string,
  query: Record<string, string> = {}
): Promise<Recording> {
  const kc = new KubeConfig()
  kc.loadFromString(emulator.kubeconfig())
  const events: Recording['events'] = []
  let latest = 0
  const waiting: { rv: number; resolve: () => void }[] = []
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object) => {
      events.push({ type, object })
      latest = Math.max(latest, Number(object?.metadata?.resourceVersion ?? 0))
      for (const w of [...waiting]) if (latest >= w.rv) w.resolve()
    },
    () => undefined
  )
  return {
    events,
    caughtUp: rv =>
      new Promise(resolve => {
        if (latest >= Number(rv)) return resolve()
        waiting.push({ rv: Number(rv), resolve })
      }),
    stop: () => controller.abort()
  }
}
