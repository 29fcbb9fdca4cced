import type {
  AppsV1Api,
  CoreV1Api,
  CoreV1Event,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  V1Deployment,
  V1Pod,
  V1Service
} from '@kubernetes/client-node'
import { UserError, type Redactor } from '@slipway/kit'
import { FIELD_MANAGER } from './names.js'

/** An HTTPRoute as far as we read and write it (Gateway API v1). */
export interface HttpRoute extends KubernetesObject {
  spec?: {
    rules?: {
      backendRefs?: { name: string; port?: number; weight?: number; [k: string]: unknown }[]
    }[]
    [k: string]: unknown
  }
}

const ROUTE = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' }

/**
 * The few API calls the provider makes, through the official client library: server-side
 * apply with field manager `slipway`, reads, the scale subresource, pods, events and logs.
 * Every call has a deadline; refusals become errors naming the object and the API's reason
 * (redacted), and 404 on a read is "absent", not an error.
 */
export class KubeClient {
  private apis?: Promise<Apis>
  /** Requests sent, by kind of call: the bench reports API calls per rollout step. */
  readonly calls: Record<string, number> = {}

  /**
   * `load` runs once, before the first request: it imports the client library (so building the
   * provider does not), checks what must hold before anything is sent and yields the KubeConfig.
   */
  constructor(
    private readonly load: () => Promise<KubeConfig>,
    readonly namespace: string,
    private readonly timeoutMs: number,
    private readonly redactor?: Redactor
  ) {}

  /** Loads the library and runs `load`'s checks; every request waits for it. Rejects with their InputError. */
  ready(): Promise<void> {
    return this.connect().then(() => undefined)
  }

  private connect(): Promise<Apis> {
    this.apis ??= Promise.all([import('@kubernetes/client-node'), this.load()]).then(
      ([lib, kubeConfig]) => ({
        lib,
        objects: lib.KubernetesObjectApi.makeApiClient(kubeConfig),
        apps: kubeConfig.makeApiClient(lib.AppsV1Api),
        core: kubeConfig.makeApiClient(lib.CoreV1Api)
      })
    )
    return this.apis
  }

  private async call<T>(what: string, work: (apis: Apis) => Promise<T>): Promise<T> {
    // Outside the deadline: loading is not the cluster's answer, and its InputError stays one.
    const apis = await this.connect()
    this.calls[what.split(' ')[0]] = (this.calls[what.split(' ')[0]] ?? 0) + 1
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new UserError(
              `kubernetes: ${what} got no answer within ${this.timeoutMs} ms`,
              'check that the cluster is reachable from the runner'
            )
          ),
        this.timeoutMs
      )
    })
    try {
      return await Promise.race([work(apis), deadline])
    } catch (error) {
      throw this.failure(what, error, apis.lib)
    } finally {
      clearTimeout(timer)
    }
  }

  private failure(what: string, error: unknown, lib: Lib): Error {
    if (error instanceof UserError) return error
    const redact = (text: string) => (this.redactor ? this.redactor.redact(text) : text)
    if (error instanceof lib.ApiException) {
      const body = parseBody(error.body)
      const reason = body?.message ?? String(error.body ?? '').slice(0, 300)
      const hint =
        error.code === 401
          ? 'the cluster refused the kubeconfig’s credentials: renew the token (or the secret holding the kubeconfig)'
          : error.code === 403
            ? 'give the kubeconfig’s user the RBAC permissions the provider needs (get, list, patch on deployments, services, pods, events, pods/log, deployments/scale; httproutes for gateway-route)'
            : undefined
      const err = new UserError(
        redact(`kubernetes: ${what} refused (${error.code}): ${reason}`),
        hint
      )
      Object.assign(err, { status: error.code })
      return err
    }
    const message = (error as Error)?.message ?? String(error)
    return new UserError(
      redact(`kubernetes: ${what} failed: ${message}`),
      'check that the cluster is reachable from the runner'
    )
  }

  /** Server-side apply, forced: the manifests are the source of truth for the fields they set. */
  apply<T extends KubernetesObject>(object: T, dryRun = false): Promise<T> {
    const body = { ...object, metadata: { ...object.metadata, namespace: this.namespace } }
    return this.call(`apply ${object.kind}/${object.metadata?.name}`, ({ lib, objects }) =>
      objects.patch(
        body,
        undefined,
        dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        true,
        lib.PatchStrategy.ServerSideApply
      )
    )
  }

  private async absentOn404<T>(
    what: string,
    work: (apis: Apis) => Promise<T>
  ): Promise<T | undefined> {
    try {
      return await this.call(what, work)
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined
      throw error
    }
  }

  readDeployment(name: string): Promise<V1Deployment | undefined> {
    return this.absentOn404(`read Deployment/${name}`, ({ apps }) =>
      apps.readNamespacedDeployment({ name, namespace: this.namespace })
    )
  }

  readService(name: string): Promise<V1Service | undefined> {
    return this.absentOn404(`read Service/${name}`, ({ core }) =>
      core.readNamespacedService({ name, namespace: this.namespace })
    )
  }

  readRoute(name: string): Promise<HttpRoute | undefined> {
    return this.absentOn404(`read HTTPRoute/${name}`, ({ objects }) =>
      objects.read<HttpRoute>({ ...ROUTE, metadata: { name, namespace: this.namespace } })
    )
  }

  /** Replaces the route as read (its resourceVersion makes a concurrent change a 409, not a lost update). */
  replaceRoute(route: HttpRoute): Promise<HttpRoute> {
    return this.call(`replace HTTPRoute/${route.metadata?.name}`, ({ objects }) =>
      objects.replace(route, undefined, undefined, FIELD_MANAGER)
    )
  }

  /** Through the scale subresource, like `kubectl scale`: the template stays as applied. */
  async scale(name: string, replicas: number): Promise<void> {
    await this.call(`scale Deployment/${name}`, ({ apps }) =>
      apps.replaceNamespacedDeploymentScale({
        name,
        namespace: this.namespace,
        fieldManager: FIELD_MANAGER,
        body: {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { name, namespace: this.namespace },
          spec: { replicas }
        }
      })
    )
  }

  async pods(labelSelector: string): Promise<V1Pod[]> {
    const list = await this.call(`list pods ${labelSelector}`, ({ core }) =>
      core.listNamespacedPod({ namespace: this.namespace, labelSelector })
    )
    return list.items
  }

  async events(kind: string, name: string): Promise<CoreV1Event[]> {
    const list = await this.call(`list events of ${kind}/${name}`, ({ core }) =>
      core.listNamespacedEvent({
        namespace: this.namespace,
        fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}`
      })
    )
    return list.items
  }

  podLog(
    name: string,
    container: string | undefined,
    tailLines: number,
    previous: boolean
  ): Promise<string> {
    return this.call(`log pods/${name}`, ({ core }) =>
      core.readNamespacedPodLog({
        name,
        namespace: this.namespace,
        container,
        tailLines,
        previous
      })
    )
  }
}

type Lib = typeof import('@kubernetes/client-node')

interface Apis {
  lib: Lib
  objects: KubernetesObjectApi
  apps: AppsV1Api
  core: CoreV1Api
}

function parseBody(body: unknown): { message?: string } | undefined {
  if (body && typeof body === 'object') return body as { message?: string }
  if (typeof body === 'string')
    try {
      return JSON.parse(body) as { message?: string }
    } catch {
      return undefined
    }
  return undefined
}
