import { randomBytes } from 'node:crypto'
import { parse as parseYaml } from 'yaml'
import { applyDefaults } from './defaults.js'
import { recordUpdate, serverSideApply } from './fields.js'
import { jsonPatch, mergePatch, PatchError, strategicMergePatch } from './patch.js'
import type { Kubelet } from './pods.js'
import { decodeProtobuf } from './protobuf.js'
import { openApiGroupVersion, openApiRoot } from './openapi.js'
import { RESOURCES, resourceByPlural, type ResourceInfo } from './resources.js'
import { checkLabelSelector, SUPPORTED_FIELDS } from './selectors.js'
import {
  alreadyExists,
  ApiError,
  badRequest,
  invalid,
  modified,
  notFound,
  success
} from './status.js'
import type { Store } from './store.js'
import type { KubeObject } from './types.js'
import { validateObject, type Cause } from './validation.js'
import type { WatchRequest } from './watch.js'

export interface ApiRequest {
  method: string
  path: string
  query: URLSearchParams
  contentType: string
  body: string
  /** The body's bytes (protobuf bodies are binary). */
  raw?: Buffer
  userAgent: string
}

export type ApiReply =
  { status: number; json: unknown } | { status: number; text: string } | { watch: WatchRequest }

interface Target {
  resource?: ResourceInfo
  namespace?: string
  name?: string
  subresource?: string
  /** Discovery or namespace documents. */
  special?: 'api' | 'apis' | 'version' | 'resources' | 'namespaces' | 'namespace' | 'openapi'
  apiVersion?: string
}

/**
 * The REST surface: discovery, CRUD, server-side apply and the other patch types, the status,
 * scale and log subresources, and watches (handed back to the server to stream).
 * Every write is defaulted and validated before it is stored; nothing invalid gets in.
 */
export class KubernetesApi {
  /** Validation failures of requests, for the recorded request. */
  lastCauses: Cause[] = []

  constructor(
    private readonly store: Store,
    private readonly kubelet: Kubelet,
    private readonly now: () => string
  ) {}

  handle(req: ApiRequest): ApiReply {
    this.lastCauses = []
    const target = parsePath(req.path)
    if (!target)
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {})
    if (target.special) return this.special(req, target)
    const r = target.resource!
    if (
      target.namespace !== undefined &&
      !this.store.namespaces.has(target.namespace) &&
      req.method !== 'GET'
    ) {
      throw new ApiError(404, 'NotFound', `namespaces "${target.namespace}" not found`, {
        name: target.namespace,
        kind: 'namespaces'
      })
    }
    if (!target.name) {
      if (req.method === 'GET') return this.list(req, target)
      if (req.method === 'POST') return this.create(req, target)
      throw methodNotAllowed()
    }
    if (target.subresource === 'log') return this.log(req, target)
    if (target.subresource && !r.subresources.includes(target.subresource)) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {})
    }
    switch (req.method) {
      case 'GET':
        return { status: 200, json: this.read(target) }
      case 'PUT':
        return this.replace(req, target)
      case 'PATCH':
        return this.patch(req, target)
      case 'DELETE':
        return this.remove(req, target)
      default:
        throw methodNotAllowed()
    }
  }

  private special(req: ApiRequest, target: Target): ApiReply {
    if (req.method !== 'GET') throw methodNotAllowed()
    switch (target.special) {
      case 'version':
        return {
          status: 200,
          json: {
            major: '1',
            minor: '34',
            gitVersion: 'v1.34.0-slipway-emulator',
            platform: 'linux/amd64',
            goVersion: 'go1.24',
            compiler: 'gc',
            gitCommit: '',
            gitTreeState: 'clean',
            buildDate: '2025-08-27T00:00:00Z'
          }
        }
      case 'api':
        return {
          status: 200,
          json: {
            kind: 'APIVersions',
            versions: ['v1'],
            serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }]
          }
        }
      case 'apis': {
        const groups = [...new Set(RESOURCES.filter(r => r.group).map(r => r.group))].map(name => {
          const version = RESOURCES.find(r => r.group === name)!.version
          const groupVersion = { groupVersion: `${name}/${version}`, version }
          return { name, versions: [groupVersion], preferredVersion: groupVersion }
        })
        return { status: 200, json: { kind: 'APIGroupList', apiVersion: 'v1', groups } }
      }
      case 'resources': {
        const resources: Record<string, unknown>[] = RESOURCES.filter(
          r => r.apiVersion === target.apiVersion
        ).flatMap(r => [
          {
            name: r.plural,
            singularName: r.singular,
            namespaced: true,
            kind: r.kind,
            verbs: [
              'create',
              'delete',
              'deletecollection',
              'get',
              'list',
              'patch',
              'update',
              'watch'
            ],
            ...(r.shortNames ? { shortNames: r.shortNames } : {})
          },
          ...r.subresources.map(s => ({
            name: `${r.plural}/${s}`,
            singularName: '',
            namespaced: true,
            kind: s === 'scale' ? 'Scale' : s === 'log' ? 'Pod' : r.kind,
            ...(s === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}),
            verbs: s === 'log' ? ['get'] : ['get', 'patch', 'update']
          }))
        ])
        if (target.apiVersion === 'v1') {
          resources.push({
            name: 'namespaces',
            singularName: 'namespace',
            namespaced: false,
            kind: 'Namespace',
            verbs: ['get', 'list'],
            shortNames: ['ns']
          })
        }
        return {
          status: 200,
          json: {
            kind: 'APIResourceList',
            apiVersion: 'v1',
            groupVersion: target.apiVersion!,
            resources
          }
        }
      }
      case 'namespaces':
        return {
          status: 200,
          json: {
            kind: 'NamespaceList',
            apiVersion: 'v1',
            metadata: { resourceVersion: String(this.store.resourceVersion) },
            items: [...this.store.namespaces].sort().map(n => namespace(n))
          }
        }
      case 'openapi': {
        const doc =
          target.name === '/openapi/v3' ? openApiRoot() : openApiGroupVersion(target.name!)
        if (!doc) throw notFound('', 'openapi', target.name!)
        return { status: 200, json: doc }
      }
      case 'namespace':
        if (!this.store.namespaces.has(target.name!)) throw notFound('', 'namespaces', target.name!)
        return { status: 200, json: namespace(target.name!) }
    }
    throw methodNotAllowed()
  }

  private list(req: ApiRequest, target: Target): ApiReply {
    const r = target.resource!
    const labelSelector = req.query.get('labelSelector') ?? undefined
    const fieldSelector = req.query.get('fieldSelector') ?? undefined
    if (labelSelector) {
      try {
        checkLabelSelector(labelSelector)
      } catch (error) {
        throw badRequest(`unable to parse requirement: ${(error as Error).message}`)
      }
    }
    if (fieldSelector) {
      for (const part of fieldSelector.split(',')) {
        const field = part.split(/!=|==|=/)[0]
        if (!SUPPORTED_FIELDS.includes(field))
          throw badRequest(
            `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
          )
      }
    }
    const watch = req.query.get('watch')
    if (watch === 'true' || watch === '1') {
      return {
        watch: {
          kind: r.kind,
          namespace: target.namespace,
          labelSelector,
          fieldSelector,
          resourceVersion: req.query.get('resourceVersion') ?? undefined,
          timeoutSeconds: req.query.has('timeoutSeconds')
            ? Number(req.query.get('timeoutSeconds'))
            : undefined,
          sendInitialEvents: req.query.get('sendInitialEvents') === 'true',
          path: req.path
        }
      }
    }
    let items = this.store.list(r.kind, target.namespace, labelSelector, fieldSelector)
    const limit = Number(req.query.get('limit') ?? 0)
    const start = Number(
      req.query.get('continue')
        ? Buffer.from(req.query.get('continue')!, 'base64url').toString()
        : 0
    )
    let next: string | undefined
    if (limit > 0) {
      next =
        start + limit < items.length
          ? Buffer.from(String(start + limit)).toString('base64url')
          : undefined
      items = items.slice(start, start + limit)
    }
    return {
      status: 200,
      json: {
        kind: `${r.kind}List`,
        apiVersion: r.apiVersion,
        metadata: {
          resourceVersion: String(this.store.resourceVersion),
          ...(next ? { continue: next } : {})
        },
        items
      }
    }
  }

  private read(target: Target): KubeObject | Record<string, unknown> {
    const r = target.resource!
    const object = this.store.get(r.kind, target.namespace!, target.name!)
    if (!object) throw notFound(r.group, r.plural, target.name!)
    if (target.subresource === 'scale') return scaleOf(object)
    return object
  }

  private parseBody(req: ApiRequest): unknown {
    if (req.contentType.includes('protobuf'))
      try {
        return decodeProtobuf(req.raw ?? Buffer.from(req.body))
      } catch (error) {
        throw badRequest(
          `the body of the request was in an unknown format: ${(error as Error).message}`
        )
      }
    if (req.contentType.includes('cbor'))
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf'
      )
    try {
      return req.contentType.includes('yaml') ? parseYaml(req.body) : JSON.parse(req.body)
    } catch (error) {
      throw badRequest(
        `the body of the request was in an unknown format: ${(error as Error).message}`
      )
    }
  }

  private check(object: KubeObject, r: ResourceInfo, name: string): void {
    if (object.apiVersion !== r.apiVersion || object.kind !== r.kind) {
      throw badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${r.apiVersion}) or kind (${object.kind})`
      )
    }
    const causes = validateObject(object)
    if (causes.length) {
      this.lastCauses = causes
      throw invalid(r.kind, r.group, name, causes)
    }
  }

  private manager(req: ApiRequest): string {
    return req.query.get('fieldManager') ?? (req.userAgent.split('/')[0] || 'unknown')
  }

  private create(req: ApiRequest, target: Target): ApiReply {
    const r = target.resource!
    const object = this.parseBody(req) as KubeObject
    if (!object || typeof object !== 'object')
      throw badRequest('the body of the request must be an object')
    object.metadata ??= { name: '' }
    if (!object.metadata.name && object.metadata.generateName) {
      object.metadata.name = `${object.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`
    }
    if (object.metadata.namespace && object.metadata.namespace !== target.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request'
      )
    }
    object.metadata.namespace = target.namespace
    delete object.metadata.resourceVersion
    delete object.metadata.uid
    applyDefaults(object)
    this.check(object, r, object.metadata.name)
    if (this.store.get(r.kind, target.namespace!, object.metadata.name))
      throw alreadyExists(r.group, r.plural, object.metadata.name)
    if (r.kind !== 'Pod' && r.kind !== 'Service') delete object.status
    recordUpdate(undefined, object, this.manager(req), this.now())
    if (isDryRun(req))
      return {
        status: 201,
        json: {
          ...object,
          metadata: { ...object.metadata, uid: 'dry-run', creationTimestamp: this.now() }
        }
      }
    return { status: 201, json: this.store.create(object, r.generation) }
  }

  private replace(req: ApiRequest, target: Target): ApiReply {
    const r = target.resource!
    const current = this.store.get(r.kind, target.namespace!, target.name!)
    if (!current) throw notFound(r.group, r.plural, target.name!)
    const body = this.parseBody(req) as KubeObject
    if (target.subresource === 'scale') return this.writeScale(req, target, current, body)
    if (body?.metadata?.name !== target.name)
      throw badRequest(
        `the name of the object (${body?.metadata?.name}) does not match the name on the URL (${target.name})`
      )
    if (
      body.metadata.resourceVersion &&
      body.metadata.resourceVersion !== current.metadata.resourceVersion
    )
      throw modified(r.group, r.plural, target.name!)
    let next: KubeObject
    if (target.subresource === 'status') next = { ...current, status: body.status }
    else {
      next = {
        ...body,
        metadata: { ...body.metadata, namespace: target.namespace, uid: current.metadata.uid },
        status: current.status
      }
      keepServiceIPs(current, next)
    }
    return this.write(req, target, current, next)
  }

  private patch(req: ApiRequest, target: Target): ApiReply {
    const r = target.resource!
    const current = this.store.get(r.kind, target.namespace!, target.name!)
    const type = req.contentType.split(';')[0].trim()
    const body = this.parseBody(req)
    if (type === 'application/apply-patch+yaml')
      return this.apply(req, target, current, body as KubeObject)
    if (!current) throw notFound(r.group, r.plural, target.name!)
    const base = target.subresource === 'scale' ? scaleOf(current) : current
    let patched: KubeObject
    try {
      if (type === 'application/merge-patch+json') patched = mergePatch(base, body) as KubeObject
      else if (type === 'application/strategic-merge-patch+json') {
        if (r.kind === 'HTTPRoute')
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            'strategic merge patch is not supported for custom resources'
          )
        patched = strategicMergePatch(base, body) as KubeObject
      } else if (type === 'application/json-patch+json')
        patched = jsonPatch(base, body) as KubeObject
      else
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`
        )
    } catch (error) {
      if (error instanceof PatchError)
        throw error.decode ? badRequest(error.message) : new ApiError(422, 'Invalid', error.message)
      throw error
    }
    if (target.subresource === 'scale') return this.writeScale(req, target, current, patched)
    if (
      patched.metadata?.resourceVersion &&
      patched.metadata.resourceVersion !== current.metadata.resourceVersion
    )
      throw modified(r.group, r.plural, target.name!)
    let next: KubeObject
    if (target.subresource === 'status') next = { ...current, status: patched.status }
    else
      next = {
        ...patched,
        metadata: {
          ...patched.metadata,
          name: current.metadata.name,
          namespace: target.namespace,
          uid: current.metadata.uid
        },
        status: current.status
      }
    return this.write(req, target, current, next)
  }

  private apply(
    req: ApiRequest,
    target: Target,
    current: KubeObject | undefined,
    applied: KubeObject
  ): ApiReply {
    const r = target.resource!
    const manager = req.query.get('fieldManager')
    if (!manager) {
      throw new ApiError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [
            {
              type: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager'
            }
          ]
        }
      )
    }
    if (!applied || typeof applied !== 'object' || !applied.metadata)
      throw badRequest('apply patch must be an object with metadata')
    if (applied.metadata.name !== target.name)
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${target.name})`
      )
    if (
      current &&
      applied.metadata.resourceVersion &&
      applied.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw modified(r.group, r.plural, target.name!)
    }
    const force = req.query.get('force') === 'true'
    const config = structuredClone(applied)
    config.metadata.namespace = target.namespace
    if (r.kind !== 'Pod' && r.kind !== 'Service' && target.subresource !== 'status')
      delete config.status
    const result = serverSideApply(current, config, manager, force, this.now())
    if ('conflicts' in result) {
      const lines = result.conflicts.map(c => `- conflict with "${c.manager}": ${c.field}`)
      throw new ApiError(
        409,
        'Conflict',
        `Apply failed with ${result.conflicts.length} conflict${result.conflicts.length > 1 ? 's' : ''}: ${result.conflicts.length > 1 ? '\n' + lines.join('\n') : `conflict with "${result.conflicts[0].manager}" using ${r.apiVersion}: ${result.conflicts[0].field}`}`,
        {
          causes: result.conflicts.map(c => ({
            type: 'FieldManagerConflict',
            message: `conflict with "${c.manager}" using ${r.apiVersion}`,
            field: c.field
          }))
        }
      )
    }
    const next = result.object
    if (current) {
      next.status = current.status
      keepServiceIPs(current, next)
    }
    applyDefaults(next)
    this.check(next, r, target.name!)
    if (isDryRun(req)) return { status: current ? 200 : 201, json: next }
    if (!current) return { status: 201, json: this.store.create(next, r.generation) }
    return { status: 200, json: this.store.update(next, r.generation) }
  }

  private write(req: ApiRequest, target: Target, current: KubeObject, next: KubeObject): ApiReply {
    const r = target.resource!
    if (!target.subresource) applyDefaults(next)
    this.check(next, r, target.name!)
    recordUpdate(current, next, this.manager(req), this.now(), target.subresource)
    if (isDryRun(req)) return { status: 200, json: next }
    return { status: 200, json: this.store.update(next, r.generation) }
  }

  private writeScale(
    req: ApiRequest,
    target: Target,
    current: KubeObject,
    scale: KubeObject
  ): ApiReply {
    const r = target.resource!
    const replicas = scale?.spec?.replicas
    if (!Number.isInteger(replicas) || replicas < 0) {
      const causes: Cause[] = [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.replicas',
          message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`
        }
      ]
      this.lastCauses = causes
      throw invalid('Scale', 'autoscaling', target.name!, causes)
    }
    if (
      scale.metadata?.resourceVersion &&
      scale.metadata.resourceVersion !== current.metadata.resourceVersion
    )
      throw modified(r.group, r.plural, target.name!)
    const next = structuredClone(current)
    next.spec.replicas = replicas
    recordUpdate(current, next, this.manager(req), this.now(), 'scale')
    if (isDryRun(req)) return { status: 200, json: scaleOf(next) }
    return { status: 200, json: scaleOf(this.store.update(next, r.generation)) }
  }

  private remove(req: ApiRequest, target: Target): ApiReply {
    const r = target.resource!
    const current = this.store.get(r.kind, target.namespace!, target.name!)
    if (!current) throw notFound(r.group, r.plural, target.name!)
    if (isDryRun(req))
      return {
        status: 200,
        json:
          r.kind === 'Pod'
            ? current
            : success(r.group, r.plural, target.name!, current.metadata.uid)
      }
    const gone = this.store.delete(r.kind, target.namespace!, target.name!)!
    if (r.kind === 'Pod') this.kubelet.forget(gone.metadata.uid!)
    return {
      status: 200,
      json: r.kind === 'Pod' ? gone : success(r.group, r.plural, target.name!, gone.metadata.uid)
    }
  }

  private log(req: ApiRequest, target: Target): ApiReply {
    if (req.method !== 'GET') throw methodNotAllowed()
    const pod = this.store.get('Pod', target.namespace!, target.name!)
    if (!pod) throw notFound('', 'pods', target.name!)
    const containers = (pod.spec.containers as { name: string }[]).map(c => c.name)
    const container =
      req.query.get('container') ?? (containers.length === 1 ? containers[0] : undefined)
    if (!container)
      throw badRequest(
        `a container name must be specified for pod ${target.name}, choose one of: [${containers.join(' ')}]`
      )
    if (!containers.includes(container))
      throw badRequest(`container ${container} is not valid for pod ${target.name}`)
    const previous = req.query.get('previous') === 'true'
    const lines = this.kubelet.logs(pod, container, previous)
    if (!lines) {
      if (previous)
        throw badRequest(
          `previous terminated container "${container}" in pod "${target.name}" not found`
        )
      throw badRequest(
        `container "${container}" in pod "${target.name}" is waiting to start: ContainerCreating`
      )
    }
    const tail = req.query.has('tailLines') ? Number(req.query.get('tailLines')) : undefined
    const chosen = tail !== undefined ? lines.slice(Math.max(0, lines.length - tail)) : lines
    const withTimes = req.query.get('timestamps') === 'true'
    const text = chosen.map(l => (withTimes ? l : l.replace(/^\S+ /, ''))).join('\n')
    return { status: 200, text: text ? `${text}\n` : '' }
  }
}

function parsePath(path: string): Target | undefined {
  if (path === '/version' || path === '/version/') return { special: 'version' }
  if (path === '/api') return { special: 'api' }
  if (path === '/apis') return { special: 'apis' }
  if (path === '/openapi/v3' || path.startsWith('/openapi/v3/'))
    return { special: 'openapi', name: path }
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  let apiVersion: string
  let rest: string[]
  if (parts[0] === 'api' && parts[1] === 'v1') {
    apiVersion = 'v1'
    rest = parts.slice(2)
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    apiVersion = `${parts[1]}/${parts[2]}`
    rest = parts.slice(3)
  } else return undefined
  if (!rest.length)
    return RESOURCES.some(r => r.apiVersion === apiVersion)
      ? { special: 'resources', apiVersion }
      : undefined
  if (apiVersion === 'v1' && rest[0] === 'namespaces' && rest.length === 1)
    return { special: 'namespaces' }
  if (apiVersion === 'v1' && rest[0] === 'namespaces' && rest.length === 2)
    return { special: 'namespace', name: rest[1] }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const resource = resourceByPlural(apiVersion, rest[2])
    if (!resource || rest.length > 5) return undefined
    return { resource, namespace: rest[1], name: rest[3], subresource: rest[4] }
  }
  if (rest.length === 1) {
    const resource = resourceByPlural(apiVersion, rest[0])
    return resource ? { resource } : undefined
  }
  return undefined
}

function namespace(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padEnd(12, '0').slice(0, 12)}`,
      resourceVersion: '1',
      labels: { 'kubernetes.io/metadata.name': name }
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' }
  }
}

function scaleOf(object: KubeObject): KubeObject {
  const selector = Object.entries(
    (object.spec.selector?.matchLabels ?? {}) as Record<string, string>
  )
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp
    },
    spec: { replicas: object.spec.replicas ?? 1 },
    status: { replicas: object.status?.replicas ?? 0, selector }
  }
}

function keepServiceIPs(current: KubeObject, next: KubeObject): void {
  if (current.kind !== 'Service' || !next.spec) return
  next.spec.clusterIP ??= current.spec.clusterIP
  next.spec.clusterIPs ??= current.spec.clusterIPs
}

function isDryRun(req: ApiRequest): boolean {
  return req.query.getAll('dryRun').includes('All')
}

function methodNotAllowed(): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {}
  )
}
