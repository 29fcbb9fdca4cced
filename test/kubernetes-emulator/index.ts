import { randomBytes } from 'node:crypto'
import { stringify as toYaml } from 'yaml'
import type { DockerdInstance } from '../services/docker.js'
import { WorkloadControllers } from './controllers.js'
import { DockerKubelet } from './docker-pods.js'
import { EventRecorder } from './events.js'
import { Faults, type Fault } from './faults.js'
import { Kubelet } from './pods.js'
import { KubernetesApi } from './routes.js'
import { EmulatorServer, type RecordedRequest, type ResponseProblem } from './server.js'
import { endpointsOf, ServiceProxies, type Endpoint } from './service-proxy.js'
import { Store } from './store.js'
import { selfSignedIdentity } from './tls.js'
import type { Kind, PodBehaviour } from './types.js'
import { KUBERNETES_SCHEMA_VERSION } from './validation.js'

export type { Fault } from './faults.js'
export type { RecordedRequest, ResponseProblem } from './server.js'
export type { Kind, KubeObject, PodBehaviour } from './types.js'
export type { Cause } from './validation.js'
export type { Endpoint } from './service-proxy.js'
export { KUBERNETES_SCHEMA_VERSION }

export interface EmulatorOptions {
  /** Created at start; default `['default']`. */
  namespaces?: string[]
  /** Bearer token required on every request (default: a random one). */
  token?: string
  /** Real milliseconds between controller steps (default 2): small, so clients see progress. */
  stepDelayMs?: number
  /**
   * Serve HTTPS with a self-signed certificate (the kubeconfig carries it as the cluster's CA).
   * Go clients such as helm send the bearer token only over TLS.
   */
  tls?: boolean
  /**
   * `emulated` (default): pods are records that behave as `setPodBehaviour` says, on the
   * emulator's jumping clock. `docker`: each Pod's containers run on `docker` (a test Docker
   * Engine holding the images the manifests name), readiness is a real probe, Services get a
   * TCP proxy on 127.0.0.1 (`serviceUrl`), and the clock is real time.
   */
  pods?: 'emulated' | 'docker'
  /** The Docker Engine docker-mode pods run on (required with `pods: 'docker'`). */
  docker?: DockerdInstance
}

export interface KubernetesEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string
  token: string
  /** A kubeconfig (YAML) with one cluster, user (token) and context per name; current-context = first. */
  kubeconfig(options?: { contexts?: string[]; namespace?: string }): string
  /** How pods of an image behave (matched by exact image string, or by a RegExp). Default: 'ready'. */
  setPodBehaviour(image: string | RegExp, behaviour: PodBehaviour): void
  /** Faults for the next matching request(s): 409 conflict, 422 invalid, 500, drop a watch, ... */
  injectFault(fault: Fault): void
  /** Every request seen (method, path, query, content-type, body) and the validation result. */
  readonly requests: RecordedRequest[]
  /** Responses that failed schema validation; `close()` throws when there are any. */
  readonly responseProblems: ResponseProblem[]
  /** Read state directly in assertions (objects as the API would return them). */
  get(kind: Kind, namespace: string, name: string): object | undefined
  list(kind: Kind, namespace: string, labelSelector?: string): object[]
  /** Resolves when the controllers have nothing left to do (rollouts settled or stuck). */
  settled(): Promise<void>
  /** The emulator's clock (ms since the epoch); it jumps ahead when only timers are pending. */
  now(): number
  /** Test-only: the next JSON answer goes through `fn` first (to prove invalid answers are caught). */
  corruptNextResponse(fn: (body: unknown) => unknown): void
  /** Moves the emulator's clock forward, e.g. past a progress deadline. */
  advanceClock(ms: number): Promise<void>
  /** Stops the server; throws when any response failed schema validation. */
  close(): Promise<void>
}

/** What only the emulator has: traffic through Services to docker-mode pods. */
export interface ServiceTraffic {
  /**
   * Docker mode: `http://127.0.0.1:<port>` of the Service's proxy (kube-proxy stand-in); each
   * new connection goes to one of its Ready endpoints at that moment.
   */
  serviceUrl(namespace: string, service: string, portName?: string): Promise<string>
  /**
   * Docker mode: `http://127.0.0.1:<port>` of a gateway for the HTTPRoute, which splits each
   * request by the weights of its first rule's backendRefs (Services) at that moment.
   */
  routeUrl(namespace: string, route: string): Promise<string>
  /** The Service's Ready endpoints now (EndpointSlice semantics). */
  endpoints(namespace: string, service: string, portName?: string): Endpoint[]
  /** Docker mode: ids of the containers of pods not yet deleted and stopped. */
  containers(): string[]
}

/**
 * Starts the emulator: an HTTP Kubernetes API on 127.0.0.1 with a store, the Deployment and
 * ReplicaSet controllers and a kubelet that moves pods through their lifecycle in small
 * asynchronous steps on the emulator's own clock.
 */
export async function startKubernetesEmulator(
  options: EmulatorOptions = {}
): Promise<KubernetesEmulator & ServiceTraffic> {
  const token = options.token ?? randomBytes(24).toString('hex')
  const stepDelay = options.stepDelayMs ?? 2
  const docker = options.pods === 'docker' ? options.docker : undefined
  if (options.pods === 'docker' && !docker)
    throw new Error(
      "startKubernetesEmulator: pods 'docker' needs the docker option (a test dockerd)"
    )
  let clock = Date.now()
  // Real containers take real time: in docker mode the clock is the wall clock and never jumps.
  const nowMs = (): number => (docker ? Date.now() : clock)
  const timestamp = (): string => new Date(nowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const store = new Store(timestamp)
  for (const ns of options.namespaces ?? ['default']) store.namespaces.add(ns)
  const faults = new Faults()
  const events = new EventRecorder(store, timestamp)
  const behaviours: { match: string | RegExp; behaviour: PodBehaviour }[] = []
  const behaviourOf = (image: string): PodBehaviour => {
    for (let i = behaviours.length - 1; i >= 0; i--) {
      const { match, behaviour } = behaviours[i]
      if (typeof match === 'string' ? match === image : match.test(image)) return behaviour
    }
    return 'ready'
  }
  const dockerKubelet = docker
    ? new DockerKubelet(store, events, docker, () => schedule(), timestamp)
    : undefined
  const kubelet = dockerKubelet ?? new Kubelet(store, events, behaviourOf, nowMs, timestamp)
  const controllers = new WorkloadControllers(store, events, faults, kubelet, nowMs, timestamp)
  const proxies = new ServiceProxies(store)
  const api = new KubernetesApi(store, kubelet, timestamp)

  let scheduled: NodeJS.Timeout | undefined
  let deadline: NodeJS.Timeout | undefined
  let closed = false
  let waiters: (() => void)[] = []
  let loopError: unknown
  const tick = (): void => {
    scheduled = undefined
    if (closed) return
    try {
      if (controllers.reconcile()) return schedule()
      const next = controllers.nextTimer()
      if (dockerKubelet) {
        // Deadlines (progressDeadlineSeconds, minReadySeconds) fall due in real time.
        if (deadline) clearTimeout(deadline)
        deadline =
          next !== undefined ? setTimeout(schedule, Math.max(0, next - Date.now())) : undefined
        // Settled only when no docker command is under way; its end schedules a pass.
        if (dockerKubelet.working) return
      } else if (next !== undefined) {
        // Only timers are pending: jump the clock to the next one instead of waiting for it.
        clock = next
        return schedule()
      }
    } catch (error) {
      loopError = error
    }
    const done = waiters
    waiters = []
    for (const resolve of done) resolve()
  }
  const schedule = (): void => {
    if (!scheduled && !closed) scheduled = setTimeout(tick, stepDelay)
  }

  const identity = options.tls ? selfSignedIdentity() : undefined
  const server = new EmulatorServer(token, api, store, faults, schedule, identity)
  const url = await server.listen()
  store.subscribe(() => schedule())

  const emulator: KubernetesEmulator & ServiceTraffic = {
    url,
    token,
    requests: server.requests,
    responseProblems: server.responseProblems,
    corruptNextResponse: fn => server.corruptNextResponse(fn),
    kubeconfig({ contexts = ['emulator'], namespace } = {}) {
      return toYaml({
        apiVersion: 'v1',
        kind: 'Config',
        // Plain HTTP on loopback: the client accepts an http:// server only with this flag set.
        clusters: [
          {
            name: 'emulator',
            cluster: identity
              ? {
                  server: url,
                  'certificate-authority-data': Buffer.from(identity.cert).toString('base64')
                }
              : { server: url, 'insecure-skip-tls-verify': true }
          }
        ],
        users: [{ name: 'emulator-user', user: { token } }],
        contexts: contexts.map(name => ({
          name,
          context: {
            cluster: 'emulator',
            user: 'emulator-user',
            ...(namespace ? { namespace } : {})
          }
        })),
        'current-context': contexts[0],
        preferences: {}
      })
    },
    setPodBehaviour(image, behaviour) {
      behaviours.push({ match: image, behaviour })
    },
    injectFault(fault) {
      faults.add(fault)
      schedule()
    },
    get: (kind, namespace, name) => store.get(kind, namespace, name),
    list: (kind, namespace, labelSelector) => store.list(kind, namespace, labelSelector),
    settled() {
      if (loopError) return Promise.reject(loopError)
      return new Promise<void>((resolve, reject) => {
        waiters.push(() => (loopError ? reject(loopError) : resolve()))
        schedule()
      })
    },
    serviceUrl: async (namespace, service, portName) => {
      if (!docker) throw new Error('serviceUrl needs docker-mode pods (no traffic flows otherwise)')
      const { host, port } = await proxies.address(namespace, service, portName)
      return `http://${host}:${port}`
    },
    routeUrl: async (namespace, route) => {
      if (!docker) throw new Error('routeUrl needs docker-mode pods (no traffic flows otherwise)')
      const { host, port } = await proxies.routeAddress(namespace, route)
      return `http://${host}:${port}`
    },
    endpoints: (namespace, service, portName) => endpointsOf(store, namespace, service, portName),
    containers: () => dockerKubelet?.containerIds() ?? [],
    now: nowMs,
    async advanceClock(ms) {
      if (docker) throw new Error('advanceClock: docker-mode pods run on real time')
      clock += ms
      schedule()
      await emulator.settled()
    },
    async close() {
      closed = true
      if (scheduled) clearTimeout(scheduled)
      if (deadline) clearTimeout(deadline)
      for (const resolve of waiters) resolve()
      await proxies.close()
      await dockerKubelet?.close()
      await server.close()
      if (loopError) throw loopError
      if (server.responseProblems.length) {
        const lines = server.responseProblems.map(
          p =>
            `- ${p.method} ${p.path}: ${p.causes.map(c => `${c.field}: ${c.message}`).join('; ')}`
        )
        throw new Error(
          `Kubernetes emulator answered ${lines.length} invalid object(s) (Kubernetes ${KUBERNETES_SCHEMA_VERSION} schemas):\n${lines.join('\n')}`
        )
      }
    }
  }
  return emulator
}
