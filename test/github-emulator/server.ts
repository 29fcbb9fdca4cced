import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { faultResponse, Faults } from './faults.js'
import { ApiError, DOCS_URL, type Reply, type RouteContext, type RouteTable } from './http.js'
import { graphqlReply } from './routes/graphql.js'
import { matchOperation, pathExists } from './spec.js'
import type { EmulatorState } from './state.js'
import { sharedValidator, type SchemaProblem } from './validator.js'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON body, or the byte length for binary uploads, or undefined. */
  body: unknown
  status: number
  operationId?: string
  /** `METHOD template` of the matched OpenAPI operation, e.g. `GET /repos/{owner}/{repo}`. */
  route?: string
  /** True when an injected fault answered (or delayed) this request. */
  fault: boolean
}

export interface ValidationError {
  direction: 'request' | 'response'
  method: string
  path: string
  operationId?: string
  message: string
  errors?: unknown[]
}

/** Test-only hook: rewrite the next JSON response body before it is validated and sent. */
export type ResponseCorruptor = (body: unknown) => unknown

const MAX_BODY = 200 * 1024 * 1024

/**
 * The HTTP side: authentication, fault injection, routing to handlers by OpenAPI operation,
 * and validation of every request and response. Handlers never see an invalid request.
 */
export class EmulatorServer {
  readonly faults = new Faults()
  readonly requests: RecordedRequest[] = []
  readonly validationErrors: ValidationError[] = []
  private corruptors: ResponseCorruptor[] = []
  private readonly server: Server
  private readonly sockets = new Set<import('node:net').Socket>()
  state!: EmulatorState

  constructor(
    private readonly token: string,
    private readonly routes: RouteTable
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error => {
        // Only reachable when writing the response itself failed; keep the process alive.
        this.validationErrors.push({
          direction: 'response',
          method: req.method ?? '',
          path: req.url ?? '',
          message: `emulator failure: ${(error as Error).stack ?? String(error)}`
        })
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
    })
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', () => resolve())
    })
    const { port } = this.server.address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  corruptNextResponse(fn: ResponseCorruptor): void {
    this.corruptors.push(fn)
  }

  async close(): Promise<void> {
    // Keep-alive sockets would hold close() open; destroy them after in-flight replies.
    const closed = new Promise<void>(resolve => this.server.close(() => resolve()))
    for (const socket of this.sockets) socket.destroy()
    await closed
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname.replace(/\/+$/, '') || '/'
    const query = Object.fromEntries(url.searchParams)
    const rawBody = await readBody(req)
    const record: RecordedRequest = {
      method,
      path,
      query,
      headers: req.headers,
      body: undefined,
      status: 0,
      fault: false
    }
    this.requests.push(record)
    const send = (reply: Reply): void => {
      record.status = reply.status
      writeReply(res, reply)
    }

    const fault = this.faults.take(method, path)
    if (fault) {
      record.fault = true
      if (fault.delayMs) await sleep(fault.delayMs)
      if (fault.status !== undefined) {
        const f = faultResponse(fault)
        send({ status: f.status, headers: f.headers, body: f.body })
        return
      }
    }

    const download = this.browserDownload(path)
    if (download) return send(download)

    if (!this.authorized(req.headers.authorization)) {
      return send({
        status: 401,
        body: { message: 'Bad credentials', documentation_url: DOCS_URL, status: '401' }
      })
    }

    if (method === 'POST' && path === '/graphql') return send(this.graphql(record, rawBody))

    const match = matchOperation(method, path)
    if (!match) {
      const known = pathExists(path)
      this.problem('request', method, path, undefined, [
        {
          message: known
            ? `method ${method} is not documented for ${path}`
            : `no GitHub API operation matches ${method} ${path}`
        }
      ])
      return send({
        status: 404,
        body: { message: 'Not Found', documentation_url: DOCS_URL, status: '404' }
      })
    }
    const { operation, params } = match
    record.operationId = operation.operationId
    record.route = `${method} ${operation.template}`

    const validator = sharedValidator()
    let body: unknown
    // The operation decides, not the content type: GitHub parses JSON bodies whatever their
    // content type, and an asset upload is bytes whatever its content type.
    const looksJson = rawBody.length > 0 && validator.bodyKind(operation) !== 'binary'
    if (looksJson) {
      try {
        body = JSON.parse(rawBody.toString('utf8'))
      } catch {
        this.problem('request', method, path, operation.operationId, [
          { message: 'body is not valid JSON' }
        ])
        return send({
          status: 400,
          body: { message: 'Problems parsing JSON', documentation_url: DOCS_URL, status: '400' }
        })
      }
    }
    record.body = looksJson ? body : rawBody.length ? rawBody.length : undefined

    const requestProblems = validator.validateRequest(operation, {
      params,
      query,
      body,
      hasBody: rawBody.length > 0
    })
    if (requestProblems.length) {
      this.problem('request', method, path, operation.operationId, requestProblems)
      return send({
        status: 422,
        body: {
          message: `Invalid request.\n\n${requestProblems.map(p => p.message).join('\n')}`,
          documentation_url: DOCS_URL,
          status: '422'
        }
      })
    }

    let reply: Reply
    if (
      params.owner !== undefined &&
      (params.owner !== this.state.repo.owner || params.repo !== this.state.repo.name)
    ) {
      reply = {
        status: 404,
        body: { message: 'Not Found', documentation_url: DOCS_URL, status: '404' }
      }
    } else {
      const handler = this.routes[`${method} ${operation.template}`]
      if (!handler) {
        this.problem('request', method, path, operation.operationId, [
          {
            message: `${operation.operationId} is valid GitHub API but not emulated; extend test/github-emulator`
          }
        ])
        return send({
          status: 501,
          body: { message: 'Not emulated', documentation_url: DOCS_URL, status: '501' }
        })
      }
      const ctx: RouteContext = {
        method,
        params,
        query,
        body,
        rawBody,
        headers: req.headers,
        state: this.state
      }
      try {
        reply = await handler(ctx)
      } catch (error) {
        if (!(error instanceof ApiError)) {
          this.problem('response', method, path, operation.operationId, [
            { message: `handler crashed: ${(error as Error).stack ?? String(error)}` }
          ])
          return send({ status: 500, body: { message: 'Emulator error', status: '500' } })
        }
        reply = { status: error.status, body: error.body }
      }
    }

    if (!reply.raw) {
      const corrupt = this.corruptors.shift()
      if (corrupt) reply = { ...reply, body: corrupt(structuredClone(reply.body)) }
      const problems = validator.validateResponse(
        operation,
        reply.status,
        reply.body,
        reply.body !== undefined
      )
      if (problems.length) this.problem('response', method, path, operation.operationId, problems)
    }
    send(reply)
  }

  /**
   * GraphQL is not in the OpenAPI description: the query is validated against GitHub's GraphQL
   * schema instead, and a query GitHub would reject is recorded like an invalid REST request.
   */
  private graphql(record: RecordedRequest, rawBody: Buffer): Reply {
    record.operationId = 'graphql'
    record.route = 'POST /graphql'
    let body: unknown
    try {
      body = JSON.parse(rawBody.toString('utf8'))
    } catch {
      this.problem('request', 'POST', '/graphql', 'graphql', [
        { message: 'body is not valid JSON' }
      ])
      return { status: 400, body: { message: 'Problems parsing JSON', status: '400' } }
    }
    record.body = body
    const { reply, problems } = graphqlReply(this.state, body)
    this.problem(
      'request',
      'POST',
      '/graphql',
      'graphql',
      problems.map(message => ({ message }))
    )
    return reply
  }

  /** `browser_download_url` of assets points here (github.com/{o}/{r}/releases/download/…). */
  private browserDownload(path: string): Reply | undefined {
    const m = /^\/([^/]+)\/([^/]+)\/releases\/download\/(.+)\/([^/]+)$/.exec(path)
    if (!m || !this.state || m[1] !== this.state.repo.owner || m[2] !== this.state.repo.name)
      return undefined
    const tag = decodeURIComponent(m[3])
    const name = decodeURIComponent(m[4])
    const release = this.state.releaseList.find(r => r.tag_name === tag)
    const asset = release && this.state.assets(release.id).find(a => a.name === name)
    const bytes = asset && this.state.assetBytes(asset.id as number)
    if (!bytes) return { status: 404, raw: Buffer.from('Not Found') }
    return { status: 200, raw: bytes, headers: { 'content-type': 'application/octet-stream' } }
  }

  private authorized(header: string | undefined): boolean {
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '')
    return m?.[1] === this.token
  }

  private problem(
    direction: 'request' | 'response',
    method: string,
    path: string,
    operationId: string | undefined,
    problems: SchemaProblem[]
  ): void {
    for (const p of problems)
      this.validationErrors.push({
        direction,
        method,
        path,
        operationId,
        message: p.message,
        errors: p.errors
      })
  }
}

function writeReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...reply.headers
  }
  if (reply.raw) {
    headers['content-type'] ??= 'application/octet-stream'
    headers['content-length'] = String(reply.raw.length)
    res.writeHead(reply.status, headers)
    res.end(reply.raw)
    return
  }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers)
    res.end()
    return
  }
  const text = JSON.stringify(reply.body)
  headers['content-type'] = 'application/json; charset=utf-8'
  headers['content-length'] = String(Buffer.byteLength(text))
  res.writeHead(reply.status, headers)
  res.end(text)
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY) throw new Error('request body too large for the emulator')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

// unref: a delayed answer must not keep the test process alive after close().
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms).unref())
