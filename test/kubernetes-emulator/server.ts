import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import type { Faults } from './faults.js'
import type { KubernetesApi } from './routes.js'
import { ApiError } from './status.js'
import type { TlsIdentity } from './tls.js'
import type { Store } from './store.js'
import { schemaCauses, type Cause } from './validation.js'
import { serveWatch } from './watch.js'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  contentType?: string
  /** Parsed JSON (or YAML text for apply patches when not JSON), or undefined. */
  body: unknown
  status: number
  /** Field errors the request was refused for (422), empty when it was valid. */
  validation: Cause[]
  /** True when an injected fault answered this request. */
  fault: boolean
  watch: boolean
}

export interface ResponseProblem {
  method: string
  path: string
  causes: Cause[]
}

const MAX_BODY = 10 * 1024 * 1024

/**
 * HTTP: bearer-token authentication, fault injection, request recording, and schema validation
 * of every object the emulator answers with (problems are kept and reported by `close()`).
 */
export class EmulatorServer {
  readonly requests: RecordedRequest[] = []
  readonly responseProblems: ResponseProblem[] = []
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private readonly watches = new Set<() => void>()
  private readonly corruptors: ((body: unknown) => unknown)[] = []

  constructor(
    private readonly token: string,
    private readonly api: KubernetesApi,
    private readonly store: Store,
    private readonly faults: Faults,
    private readonly afterWrite: () => void,
    private readonly tls?: TlsIdentity
  ) {
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      this.handle(req, res).catch(error => {
        this.responseProblems.push({
          method: req.method ?? '',
          path: req.url ?? '',
          causes: [{ reason: 'FieldValueInvalid', field: '<response>', message: String(error) }]
        })
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
    }
    this.server = tls ? createTlsServer(tls, listener) : createServer(listener)
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  async listen(): Promise<string> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    // A test that fails before close() must not keep the test process alive.
    this.server.unref()
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    for (const stop of [...this.watches]) stop()
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator')
    const method = (req.method ?? 'GET').toUpperCase()
    const raw = await readBody(req)
    const text = raw.toString('utf8')
    const contentType = req.headers['content-type']
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType,
      body: parseForRecord(text),
      status: 0,
      validation: [],
      fault: false,
      watch: url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1'
    }
    this.requests.push(record)
    const auth = req.headers.authorization
    if (auth !== `Bearer ${this.token}`) {
      record.status = 401
      return this.json(
        res,
        401,
        {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'Unauthorized',
          reason: 'Unauthorized',
          code: 401
        },
        record
      )
    }
    const fault = this.faults.takeStatus(method, url.pathname)
    if (fault) {
      record.fault = true
      const reasons: Record<number, string> = {
        409: 'Conflict',
        422: 'Invalid',
        429: 'TooManyRequests',
        500: 'InternalError',
        503: 'ServiceUnavailable'
      }
      const error = new ApiError(
        fault.code,
        reasons[fault.code],
        fault.message ?? `injected fault: ${reasons[fault.code]}`,
        fault.code === 500
          ? { causes: [{ message: fault.message ?? 'injected fault' }] }
          : undefined
      )
      return this.json(res, fault.code, error.toStatus(), record)
    }
    try {
      const reply = this.api.handle({
        method,
        path: url.pathname,
        query: url.searchParams,
        contentType: contentType ?? '',
        body: text,
        raw,
        userAgent: String(req.headers['user-agent'] ?? '')
      })
      record.validation = this.api.lastCauses
      if ('watch' in reply) {
        record.status = 200
        serveWatch(
          res,
          this.store,
          this.faults,
          reply.watch,
          object => this.checkResponse(method, url.pathname, object),
          stop => {
            const wrapped = (): void => {
              this.watches.delete(wrapped)
              stop()
            }
            this.watches.add(wrapped)
            req.on('close', wrapped)
            res.on('close', wrapped)
          }
        )
        return
      }
      if (method !== 'GET') this.afterWrite()
      if ('text' in reply) {
        record.status = reply.status
        res.writeHead(reply.status, { 'Content-Type': 'text/plain' })
        res.end(reply.text)
        return
      }
      return this.json(res, reply.status, reply.json, record)
    } catch (error) {
      record.validation = this.api.lastCauses
      if (!(error instanceof ApiError)) throw error
      return this.json(res, error.code, error.toStatus(), record)
    }
  }

  /** Test-only: the next JSON answer goes through `fn` before it is checked and sent. */
  corruptNextResponse(fn: (body: unknown) => unknown): void {
    this.corruptors.push(fn)
  }

  private json(res: ServerResponse, status: number, body: unknown, record: RecordedRequest): void {
    record.status = status
    const corrupt = this.corruptors.shift()
    if (corrupt) body = corrupt(structuredClone(body))
    this.checkResponse(record.method, record.path, body)
    res.writeHead(status, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  /** Every object answered is checked against the published schema of its kind. */
  private checkResponse(method: string, path: string, body: unknown): void {
    const b = body as { kind?: string; items?: unknown[]; apiVersion?: string }
    if (!b || typeof b !== 'object' || !b.kind) return
    const objects = b.kind.endsWith('List') && Array.isArray(b.items) ? b.items : [body]
    for (const object of objects) {
      const o = object as { kind?: string }
      if (!o.kind || ['APIVersions', 'APIGroupList', 'Namespace'].includes(o.kind)) continue
      const causes = schemaCauses(object)
      if (causes.length) this.responseProblems.push({ method, path, causes })
    }
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function parseForRecord(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
