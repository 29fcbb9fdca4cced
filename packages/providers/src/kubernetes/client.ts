import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type CoreV1Event,
  type KubeConfig,
  type KubernetesObject,
  type V1Deployment,
  type V1Pod,
  type V1Service
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
  private readonly objects: KubernetesObjectApi
  private readonly apps: AppsV1Api
  private readonly core: CoreV1Api
  /** Requests sent, by kind of call: the bench reports API calls per rollout step. */
  readonly calls: Record<string, number> = {}

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
    private readonly timeoutMs: number,
    private readonly redactor?: Redactor
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig)
    this.apps = kubeConfig.makeApiClient(AppsV1Api)
    this.core = kubeConfig.makeApiClient(CoreV1Api)
  }

  private async call<T>(what: string, work: () => Promise<T>): Promise<T> {
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
      return await Promise.race([work(), deadline])
    } catch (error) {
      throw this.failure(what, error)
    } finally {
      clearTimeout(timer)
    }
  }

  private failure(what: string, error: unknown): Error {
    if (error instanceof UserError) return error
    const redact = (text: string) => (this.redactor ? this.redactor.redact(text) : text)
    if (error instanceof ApiException) {
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
    return this.call(`apply ${object.kind}/${object.metadata?.name}`, () =>
      this.objects.patch(
        body,
        undefined,
        dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply
      )
    )
  }

  private async absentOn404<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await this.call(what, work)
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined
      throw error
    }
  }

  readDeployment(name: string): Promise<V1Deployment | undefined> {
    return this.absentOn404(`read Deployment/${name}`, () =>
      this.apps.readNamespacedDeployment({ name, namespace: this.namespace })
    )
  }

  readService(name: string): Promise<V1Service | undefined> {
    return this.absentOn404(`read Service/${name}`, () =>
      this.core.readNamespacedService({ name, namespace: this.namespace })
    )
  }

  readRoute(name: string): Promise<HttpRoute | undefined> {
    return this.absentOn404(`read HTTPRoute/${name}`, () =>
      this.objects.read<HttpRoute>({ ...ROUTE, metadata: { name, namespace: this.namespace } })
    )
  }

  /** Replaces the route as read (its resourceVersion makes a concurrent change a 409, not a lost update). */
  replaceRoute(route: HttpRoute): Promise<HttpRoute> {
    return this.call(`replace HTTPRoute/${route.metadata?.name}`, () =>
      this.objects.replace(route, undefined, undefined, FIELD_MANAGER)
    )
  }

  /** Through the scale subresource, like `kubectl scale`: the template stays as applied. */
  async scale(name: string, replicas: number): Promise<void> {
    await this.call(`scale Deployment/${name}`, () =>
      this.apps.replaceNamespacedDeploymentScale({
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
    const list = await this.call(`list pods ${labelSelector}`, () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector })
    )
    return list.items
  }

  async events(kind: string, name: string): Promise<CoreV1Event[]> {
    const list = await this.call(`list events of ${kind}/${name}`, () =>
      this.core.listNamespacedEvent({
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
    return this.call(`log pods/${name}`, () =>
      this.core.readNamespacedPodLog({
        name,
        namespace: this.namespace,
        container,
        tailLines,
        previous
      })
    )
  }
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
