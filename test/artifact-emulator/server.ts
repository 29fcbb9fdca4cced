/**
 * An emulator of the GitHub Actions artifact service as @actions/artifact v6 uses it, for tests:
 *
 * - Twirp JSON at `POST /twirp/github.actions.results.api.v1.ArtifactService/<Method>`
 *   (CreateArtifact, FinalizeArtifact, ListArtifacts, GetSignedArtifactURL, DeleteArtifact),
 *   with the bearer token checked against ACTIONS_RUNTIME_TOKEN;
 * - the Azure blob "signed URL" the client uploads to (`PUT ?comp=block&blockid=…` then
 *   `PUT ?comp=blocklist` with the XML block list, as BlockBlobClient.uploadStream sends) and
 *   downloads from (`GET`, with Content-Type and Content-Disposition).
 *
 *   const emu = await startArtifactEmulator()
 *   runBundle('x', { env: emu.env })     // ACTIONS_RUNTIME_TOKEN, ACTIONS_RESULTS_URL
 *   emu.artifacts                         // finalized artifacts: name, size, data, …
 *   await emu.close()
 *
 * Faults: `emu.faults.failNext(method, status)` makes the next call of a Twirp method fail.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const SERVICE = 'github.actions.results.api.v1.ArtifactService'

export interface EmulatedArtifact {
  id: number
  name: string
  runId: string
  jobId: string
  mimeType?: string
  expiresAt?: string
  createdAt: string
  finalized: boolean
  size: number
  hash?: string
  data: Buffer
  blocks: Map<string, Buffer>
  uploadKey: string
}

export interface ArtifactEmulator {
  url: string
  /** Environment for a process using @actions/artifact against this emulator. */
  env: Record<string, string>
  /** Finalized artifacts, by id. */
  readonly artifacts: EmulatedArtifact[]
  requests: { method: string; path: string; status: number }[]
  /** Request bodies that did not have the fields the real service requires. */
  validationErrors: string[]
  faults: { failNext(method: string, status: number): void }
  close(): Promise<void>
}

function base64url(value: string): string {
  return Buffer.from(value).toString('base64url')
}

export async function startArtifactEmulator(
  options: { runId?: string; jobId?: string } = {}
): Promise<ArtifactEmulator> {
  const runId = options.runId ?? 'a1b2c3d4-0000-4000-8000-000000000001'
  const jobId = options.jobId ?? 'a1b2c3d4-0000-4000-8000-000000000002'
  // The client only decodes the token (jwt-decode) to read the run and job ids from `scp`.
  const token = [
    base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
    base64url(
      JSON.stringify({
        scp: `Actions.ExampleScope Actions.Results:${runId}:${jobId}`,
        exp: 4102444800
      })
    ),
    base64url('emulator-signature')
  ].join('.')
  const all: EmulatedArtifact[] = []
  const requests: ArtifactEmulator['requests'] = []
  const validationErrors: string[] = []
  const failures = new Map<string, number>()
  let nextId = 1000
  let baseUrl = ''

  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void => {
    const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(text)
  }
  const twirpError = (res: ServerResponse, status: number, code: string, msg: string): void =>
    send(res, status, { code, msg })

  const readBody = (req: IncomingMessage): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => resolve(Buffer.concat(chunks)))
      req.on('error', reject)
    })

  const require = (method: string, body: Record<string, unknown>, fields: string[]): boolean => {
    const missing = fields.filter(field => body[field] === undefined || body[field] === '')
    if (missing.length) validationErrors.push(`${method}: missing ${missing.join(', ')}`)
    return missing.length === 0
  }

  const monolith = (a: EmulatedArtifact) => ({
    workflow_run_backend_id: a.runId,
    workflow_job_run_backend_id: a.jobId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.size),
    created_at: a.createdAt,
    ...(a.hash ? { digest: a.hash } : {})
  })

  const twirp = async (
    method: string,
    body: Record<string, unknown>,
    res: ServerResponse
  ): Promise<void> => {
    const injected = failures.get(method)
    if (injected) {
      failures.delete(method)
      return twirpError(
        res,
        injected,
        injected >= 500 ? 'internal' : 'failed_precondition',
        `injected ${injected}`
      )
    }
    const ids = ['workflow_run_backend_id', 'workflow_job_run_backend_id']
    switch (method) {
      case 'CreateArtifact': {
        if (!require(method, body, [...ids, 'name', 'version']))
          return twirpError(res, 400, 'invalid_argument', 'missing fields')
        const name = String(body.name)
        if (
          all.some(a => a.finalized && a.name === name && a.runId === body.workflow_run_backend_id)
        ) {
          return twirpError(
            res,
            409,
            'already_exists',
            `an artifact named ${name} already exists in this run`
          )
        }
        const artifact: EmulatedArtifact = {
          id: nextId++,
          name,
          runId: String(body.workflow_run_backend_id),
          jobId: String(body.workflow_job_run_backend_id),
          mimeType: typeof body.mime_type === 'string' ? body.mime_type : undefined,
          expiresAt: typeof body.expires_at === 'string' ? body.expires_at : undefined,
          createdAt: new Date().toISOString(),
          finalized: false,
          size: 0,
          data: Buffer.alloc(0),
          blocks: new Map(),
          uploadKey: randomBytes(8).toString('hex')
        }
        all.push(artifact)
        const signed = `${baseUrl}/devstoreaccount1/actions-results/${artifact.uploadKey}/${encodeURIComponent(name)}?sig=${artifact.uploadKey}&se=2099-01-01`
        return send(res, 200, { ok: true, signed_upload_url: signed })
      }
      case 'FinalizeArtifact': {
        if (!require(method, body, [...ids, 'name', 'size']))
          return twirpError(res, 400, 'invalid_argument', 'missing fields')
        const artifact = all.find(
          a => !a.finalized && a.name === body.name && a.runId === body.workflow_run_backend_id
        )
        if (!artifact)
          return twirpError(
            res,
            404,
            'not_found',
            `no artifact ${String(body.name)} being uploaded`
          )
        if (Number(body.size) !== artifact.data.length) {
          validationErrors.push(
            `FinalizeArtifact: size ${String(body.size)} but ${artifact.data.length} bytes were uploaded`
          )
        }
        const hash = typeof body.hash === 'string' ? body.hash : undefined
        if (hash && hash !== `sha256:${createHash('sha256').update(artifact.data).digest('hex')}`) {
          validationErrors.push(`FinalizeArtifact: hash ${hash} does not match the uploaded data`)
        }
        artifact.finalized = true
        artifact.size = artifact.data.length
        artifact.hash = hash
        return send(res, 200, { ok: true, artifact_id: String(artifact.id) })
      }
      case 'ListArtifacts': {
        if (!require(method, body, ids))
          return twirpError(res, 400, 'invalid_argument', 'missing fields')
        const found = all.filter(
          a =>
            a.finalized &&
            a.runId === body.workflow_run_backend_id &&
            (body.name_filter === undefined || a.name === body.name_filter) &&
            (body.id_filter === undefined || String(a.id) === String(body.id_filter))
        )
        return send(res, 200, { artifacts: found.map(monolith) })
      }
      case 'GetSignedArtifactURL': {
        if (!require(method, body, [...ids, 'name']))
          return twirpError(res, 400, 'invalid_argument', 'missing fields')
        const artifact = all.find(
          a => a.finalized && a.name === body.name && a.runId === body.workflow_run_backend_id
        )
        if (!artifact) return twirpError(res, 404, 'not_found', `no artifact ${String(body.name)}`)
        return send(res, 200, {
          signed_url: `${baseUrl}/devstoreaccount1/actions-results/${artifact.uploadKey}/${encodeURIComponent(artifact.name)}?sig=${artifact.uploadKey}&download=1`
        })
      }
      case 'DeleteArtifact': {
        if (!require(method, body, [...ids, 'name']))
          return twirpError(res, 400, 'invalid_argument', 'missing fields')
        const index = all.findIndex(
          a => a.finalized && a.name === body.name && a.runId === body.workflow_run_backend_id
        )
        if (index < 0) return twirpError(res, 404, 'not_found', `no artifact ${String(body.name)}`)
        const [removed] = all.splice(index, 1)
        return send(res, 200, { ok: true, artifact_id: String(removed.id) })
      }
      default:
        return twirpError(res, 404, 'bad_route', `no method ${method}`)
    }
  }

  /** The Azure blob endpoint: Put Block, Put Block List, Get Blob. */
  const blob = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const key = url.pathname.split('/')[3]
    const artifact = all.find(a => a.uploadKey === key)
    if (!artifact || url.searchParams.get('sig') !== key)
      return send(res, 403, '<Error><Code>AuthenticationFailed</Code></Error>', {
        'content-type': 'application/xml'
      })
    const headers = {
      'x-ms-request-id': randomBytes(8).toString('hex'),
      'x-ms-version': '2024-08-04',
      date: new Date().toUTCString()
    }
    const comp = url.searchParams.get('comp')
    if (req.method === 'PUT' && comp === 'block') {
      const id = url.searchParams.get('blockid')
      if (!id)
        return send(res, 400, '<Error><Code>InvalidQueryParameterValue</Code></Error>', {
          'content-type': 'application/xml'
        })
      if (artifact.finalized)
        return send(res, 409, '<Error><Code>BlobImmutable</Code></Error>', {
          'content-type': 'application/xml'
        })
      artifact.blocks.set(id, await readBody(req))
      res.writeHead(201, { ...headers, 'x-ms-request-server-encrypted': 'true' })
      return void res.end()
    }
    if (req.method === 'PUT' && comp === 'blocklist') {
      const xml = (await readBody(req)).toString('utf8')
      const ids = [
        ...xml.matchAll(
          /<(?:Latest|Uncommitted|Committed)>([^<]*)<\/(?:Latest|Uncommitted|Committed)>/g
        )
      ].map(m => m[1])
      const missing = ids.filter(id => !artifact.blocks.has(id))
      if (missing.length)
        return send(res, 400, '<Error><Code>InvalidBlockList</Code></Error>', {
          'content-type': 'application/xml'
        })
      artifact.data = Buffer.concat(ids.map(id => artifact.blocks.get(id)!))
      artifact.blocks.clear()
      const contentType = req.headers['x-ms-blob-content-type']
      if (typeof contentType === 'string') artifact.mimeType = contentType
      res.writeHead(201, {
        ...headers,
        etag: `"0x${randomBytes(6).toString('hex')}"`,
        'last-modified': new Date().toUTCString(),
        'x-ms-request-server-encrypted': 'true'
      })
      return void res.end()
    }
    if (req.method === 'PUT' && comp === null) {
      // Put Blob (single-shot upload) for small streams.
      artifact.data = await readBody(req)
      res.writeHead(201, { ...headers, etag: '"0x1"' })
      return void res.end()
    }
    if (req.method === 'GET' && artifact.finalized) {
      res.writeHead(200, {
        'content-type': artifact.mimeType ?? 'application/octet-stream',
        'content-length': String(artifact.data.length),
        'content-disposition': `attachment; filename="${artifact.name}"; filename*=UTF-8''${encodeURIComponent(artifact.name)}`
      })
      return void res.end(artifact.data)
    }
    return send(res, 404, '<Error><Code>BlobNotFound</Code></Error>', {
      'content-type': 'application/xml'
    })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl)
    const record = (status: number): void =>
      void requests.push({ method: req.method ?? '', path: url.pathname, status })
    res.on('finish', () => record(res.statusCode))
    const handle = async (): Promise<void> => {
      const twirpPath = `/twirp/${SERVICE}/`
      if (url.pathname.startsWith(twirpPath)) {
        if (req.method !== 'POST') return twirpError(res, 405, 'bad_route', 'POST only')
        if (req.headers.authorization !== `Bearer ${token}`)
          return twirpError(res, 401, 'unauthenticated', 'bad token')
        let body: Record<string, unknown>
        try {
          body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<
            string,
            unknown
          >
        } catch {
          return twirpError(res, 400, 'malformed', 'body is not JSON')
        }
        return twirp(url.pathname.slice(twirpPath.length), body, res)
      }
      if (url.pathname.startsWith('/devstoreaccount1/')) return blob(req, res, url)
      return twirpError(res, 404, 'bad_route', 'not found')
    }
    handle().catch(error => {
      if (!res.headersSent) twirpError(res, 500, 'internal', String(error))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: baseUrl,
    env: {
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_RESULTS_URL: `${baseUrl}/`,
      GITHUB_SERVER_URL: 'https://github.com',
      ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: '2'
    },
    get artifacts() {
      return all.filter(a => a.finalized)
    },
    requests,
    validationErrors,
    faults: { failNext: (method, status) => void failures.set(method, status) },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
