// A kube-proxy stand-in for docker-mode pods: one userspace TCP proxy per Service port on
// 127.0.0.1, which forwards each new connection to one of the Service's endpoints as they are
// at that moment. Endpoints follow EndpointSlice semantics: the Pods its selector matches that
// are Ready, have an IP and still exist (a deleted Pod leaves before its containers get SIGTERM).
import {
  createServer as createHttpServer,
  request,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { resolvePort } from './docker-pods.js'
import { isPodReady } from './pods.js'
import type { Store } from './store.js'
import type { KubeObject } from './types.js'

export interface Endpoint {
  pod: string
  ip: string
  port: number
}

/** The Ready endpoints of a Service's port right now (empty when the Service does not exist). */
export function endpointsOf(
  store: Store,
  namespace: string,
  service: string,
  portName?: string
): Endpoint[] {
  const svc = store.get('Service', namespace, service)
  const selector = svc?.spec?.selector as Record<string, string> | undefined
  if (!svc || !selector || Object.keys(selector).length === 0) return []
  const ports = (svc.spec.ports ?? []) as {
    name?: string
    port: number
    targetPort?: number | string
  }[]
  const port = portName ? ports.find(p => p.name === portName) : ports[0]
  if (!port) return []
  const selectorText = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  return store
    .list('Pod', namespace, selectorText)
    .filter(pod => isPodReady(pod) && pod.status?.podIP && !pod.metadata.deletionTimestamp)
    .map(pod => ({
      pod: pod.metadata.name,
      ip: pod.status.podIP as string,
      port: targetPort(pod, port.targetPort ?? port.port)
    }))
    .filter(e => e.port > 0)
}

function targetPort(pod: KubeObject, target: number | string): number {
  for (const c of pod.spec.containers ?? []) {
    const port = resolvePort(c, target)
    if (port) return port
  }
  return 0
}

/**
 * The proxies, started on demand by `address()`. Each connection is forwarded to an endpoint
 * picked in turn (round robin over the current set; kube-proxy's iptables mode picks at
 * random); with no endpoint the connection is reset, as kube-proxy rejects it.
 */
export class ServiceProxies {
  private readonly servers = new Map<string, Promise<{ server: Server; port: number }>>()
  private readonly sockets = new Set<Socket>()
  private turn = 0
  /** Connections forwarded, by pod name (for assertions). */
  readonly forwarded = new Map<string, number>()

  constructor(private readonly store: Store) {}

  /** `127.0.0.1:<port>` of the Service's proxy (the Service need not exist yet). */
  async address(
    namespace: string,
    service: string,
    portName?: string
  ): Promise<{ host: string; port: number }> {
    const key = `${namespace}/${service}/${portName ?? ''}`
    let pending = this.servers.get(key)
    if (!pending) {
      pending = this.listen(namespace, service, portName)
      this.servers.set(key, pending)
    }
    return { host: '127.0.0.1', port: (await pending).port }
  }

  /**
   * `127.0.0.1:<port>` of a gateway for the HTTPRoute: an HTTP proxy that picks, per request,
   * a backendRef of the route's first rule by weight (smooth weighted round robin, so n
   * requests split exactly as the weights say), then one of that Service's Ready endpoints.
   */
  async routeAddress(namespace: string, route: string): Promise<{ host: string; port: number }> {
    const key = `route:${namespace}/${route}`
    let pending = this.servers.get(key)
    if (!pending) {
      pending = this.listenRoute(namespace, route)
      this.servers.set(key, pending)
    }
    return { host: '127.0.0.1', port: (await pending).port }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    const servers = await Promise.all(this.servers.values())
    await Promise.all(servers.map(({ server }) => new Promise(resolve => server.close(resolve))))
    this.servers.clear()
  }

  /** Smooth weighted round robin state per route and backend. */
  private readonly current = new Map<string, number>()

  private pickBackend(
    namespace: string,
    route: string
  ): { service: string; port?: number } | undefined {
    const r = this.store.get('HTTPRoute', namespace, route)
    const refs = (
      (r?.spec?.rules?.[0]?.backendRefs ?? []) as {
        name: string
        port?: number
        weight?: number
        kind?: string
      }[]
    ).filter(ref => (ref.kind ?? 'Service') === 'Service' && (ref.weight ?? 1) > 0)
    if (refs.length === 0) return undefined
    const total = refs.reduce((n, ref) => n + (ref.weight ?? 1), 0)
    let best: (typeof refs)[number] | undefined
    let bestValue = -Infinity
    for (const ref of refs) {
      const key = `${namespace}/${route}/${ref.name}`
      const value = (this.current.get(key) ?? 0) + (ref.weight ?? 1)
      this.current.set(key, value)
      if (value > bestValue) {
        best = ref
        bestValue = value
      }
    }
    const bestKey = `${namespace}/${route}/${best!.name}`
    this.current.set(bestKey, this.current.get(bestKey)! - total)
    return { service: best!.name, port: best!.port }
  }

  private listenRoute(namespace: string, route: string): Promise<{ server: Server; port: number }> {
    const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
      const backend = this.pickBackend(namespace, route)
      const svc = backend && this.store.get('Service', namespace, backend.service)
      const portName = (svc?.spec?.ports as { name?: string; port: number }[] | undefined)?.find(
        p => p.port === backend?.port
      )?.name
      const endpoints = backend ? endpointsOf(this.store, namespace, backend.service, portName) : []
      if (endpoints.length === 0) {
        // What a gateway answers when the chosen backend has nothing ready.
        res.writeHead(503, { 'content-type': 'text/plain' })
        res.end('no healthy upstream\n')
        return
      }
      const endpoint = endpoints[this.turn++ % endpoints.length]
      this.forwarded.set(endpoint.pod, (this.forwarded.get(endpoint.pod) ?? 0) + 1)
      const upstream = request(
        {
          host: endpoint.ip,
          port: endpoint.port,
          method: req.method,
          path: req.url,
          headers: endToEnd(req.headers),
          // A connection per request: a pod's app closing idle connections on SIGTERM can then
          // never meet a request the gateway is writing on one.
          agent: false
        },
        answer => {
          res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
          answer.pipe(res)
        }
      )
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
        res.end('upstream connect error\n')
      })
      req.pipe(upstream)
    })
    server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        const address = server.address()
        resolve({ server, port: typeof address === 'object' && address ? address.port : 0 })
      })
    })
  }

  private listen(
    namespace: string,
    service: string,
    portName?: string
  ): Promise<{ server: Server; port: number }> {
    const server = createServer(client => {
      this.sockets.add(client)
      client.on('close', () => this.sockets.delete(client))
      const endpoints = endpointsOf(this.store, namespace, service, portName)
      if (endpoints.length === 0) {
        client.resetAndDestroy()
        return
      }
      const endpoint = endpoints[this.turn++ % endpoints.length]
      this.forwarded.set(endpoint.pod, (this.forwarded.get(endpoint.pod) ?? 0) + 1)
      const upstream = connect({ host: endpoint.ip, port: endpoint.port })
      this.sockets.add(upstream)
      upstream.on('close', () => this.sockets.delete(upstream))
      // A reset on one side is a reset on the other, so a client sees what a broken backend did.
      upstream.on('error', () => client.resetAndDestroy())
      client.on('error', () => upstream.resetAndDestroy())
      client.pipe(upstream)
      upstream.pipe(client)
    })
    return new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        const address = server.address()
        resolve({ server, port: typeof address === 'object' && address ? address.port : 0 })
      })
    })
  }
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']

/** Headers without the hop-by-hop ones, which each side of a proxy sets for itself. */
function endToEnd(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.includes(name.toLowerCase()))
  )
}
