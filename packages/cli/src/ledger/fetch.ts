import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { LedgerStore, type Json } from './store.js'
import * as git from './git.js'

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LedgerOptions {
  /** The URL this ledger is served at (links in its answers point there). */
  baseUrl: string
  path: string
  /** The git repository that holds the tags (the project's checkout). */
  cwd: string
  owner: string
  repo: string
}

type Handler = (req: Request, match: RegExpExecArray, url: URL) => Promise<Response> | Response

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Json[]
  ) {
    super(message)
  }
}

const json = (data: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(data), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers }
  })

/**
 * Stored URLs start with this placeholder, replaced by the current server's address in every
 * answer: the port changes from run to run, and a release's upload_url must still work.
 */
const API = '{{slipway-ledger}}'

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * A `fetch` that answers the subset of GitHub's REST API Slipway uses — deployments and their
 * statuses, releases and assets, tags and refs — from a JSON file and the local git repository.
 * Served on loopback by serveLedger, so every package works unchanged without a GitHub token.
 * Everything else answers 404 with an explanation.
 */
export function ledgerFetch(options: LedgerOptions) {
  const store = new LedgerStore(options.path)
  const repoPath = `/repos/${options.owner}/${options.repo}`
  const assetsDir = join(dirname(options.path), 'assets')
  const htmlBase = `file://${dirname(options.path)}`
  const routes: [string, RegExp, Handler][] = []
  const route = (method: string, path: string, handler: Handler) =>
    routes.push([method, new RegExp(`^${repoPath}${path}$`), handler])
  const body = async (req: Request): Promise<Json> => {
    const text = await req.text()
    if (!text) return {}
    try {
      return JSON.parse(text) as Json
    } catch {
      throw new HttpError(400, 'Problems parsing JSON')
    }
  }
  const page = (items: unknown[], url: URL): Response => {
    const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100)
    const pageNo = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
    const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage)
    const headers: Record<string, string> = {}
    if (pageNo * perPage < items.length) {
      const next = new URL(url)
      next.searchParams.set('page', String(pageNo + 1))
      next.searchParams.set('per_page', String(perPage))
      headers.link = `<${next.toString()}>; rel="next"`
    }
    return json(slice, 200, headers)
  }
  const deployment = (id: number): Json => {
    const found = store.data.deployments.find(d => d.id === id)
    if (!found) throw new HttpError(404, 'Not Found')
    return found
  }
  const release = (id: number): Json => {
    const found = store.data.releases.find(r => r.id === id)
    if (!found) throw new HttpError(404, 'Not Found')
    return found
  }
  const releaseView = (r: Json): Json => ({
    ...r,
    assets: store.data.assets.filter(a => a.release_id === r.id)
  })

  // ---- deployments -------------------------------------------------------------------------
  route('GET', '/deployments', (_req, _m, url) => {
    const filters = ['environment', 'ref', 'sha', 'task'] as const
    const list = [...store.data.deployments]
      .reverse()
      .filter(d => filters.every(f => !url.searchParams.has(f) || d[f] === url.searchParams.get(f)))
    return page(list, url)
  })
  route('POST', '/deployments', async req => {
    const input = await body(req)
    const ref = String(input.ref ?? '')
    if (!ref) throw new HttpError(422, 'ref is required')
    const id = store.nextId()
    const environment = String(input.environment ?? 'production')
    const at = now()
    const sha = /^[0-9a-f]{40}$/.test(ref)
      ? ref
      : ((await git.readRef(options.cwd, `tags/${ref}`))?.sha ??
          (
            await git.git(options.cwd, ['rev-parse', '--verify', '--quiet', 'HEAD'])
          ).stdout.trim()) ||
        '0'.repeat(40)
    const record: Json = {
      id,
      url: `${API}${repoPath}/deployments/${id}`,
      sha,
      ref,
      task: input.task ?? 'deploy',
      payload: input.payload ?? {},
      environment,
      original_environment: environment,
      description: input.description ?? null,
      creator: { login: process.env.USER ?? 'slipway' },
      created_at: at,
      updated_at: at,
      production_environment: input.production_environment ?? environment === 'production',
      transient_environment: input.transient_environment ?? false
    }
    store.data.deployments.push(record)
    store.data.statuses[id] = []
    store.save()
    return json(record, 201)
  })
  route('GET', '/deployments/(\\d+)', (_req, m) => json(deployment(Number(m[1]))))
  route('GET', '/deployments/(\\d+)/statuses', (_req, m, url) => {
    deployment(Number(m[1]))
    return page(store.data.statuses[m[1]] ?? [], url)
  })
  route('POST', '/deployments/(\\d+)/statuses', async (req, m) => {
    const target = deployment(Number(m[1]))
    const input = await body(req)
    const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']
    if (!states.includes(String(input.state)))
      throw new HttpError(422, `state must be one of ${states.join(', ')}`)
    if (typeof input.description === 'string' && input.description.length > 140)
      throw new HttpError(422, 'description is too long (maximum is 140 characters)')
    const add = (d: Json, fields: Json): Json => {
      const at = now()
      const status: Json = {
        id: store.nextId(),
        state: fields.state,
        description: fields.description ?? '',
        environment: d.environment,
        environment_url: fields.environment_url ?? '',
        log_url: fields.log_url ?? fields.target_url ?? '',
        target_url: fields.log_url ?? fields.target_url ?? '',
        created_at: at,
        updated_at: at,
        deployment_url: d.url
      }
      ;(store.data.statuses[String(d.id)] ??= []).unshift(status)
      d.updated_at = at
      return status
    }
    const status = add(target, input)
    // GitHub's auto_inactive: earlier successful, non-production, non-transient deployments
    // of the environment become inactive when a new one succeeds.
    if (input.state === 'success' && input.auto_inactive !== false)
      for (const other of store.data.deployments) {
        if (other === target || other.environment !== target.environment) continue
        if (other.production_environment || other.transient_environment) continue
        if (store.data.statuses[String(other.id)]?.[0]?.state !== 'success') continue
        add(other, { state: 'inactive' })
      }
    store.save()
    return json(status, 201)
  })

  // ---- releases ----------------------------------------------------------------------------
  route('GET', '/releases', (_req, _m, url) =>
    page([...store.data.releases].reverse().map(releaseView), url)
  )
  route('GET', '/releases/latest', () => {
    const published = store.data.releases.filter(r => !r.draft && !r.prerelease)
    const latest = published.find(r => r.make_latest === 'true') ?? published[published.length - 1]
    if (!latest) throw new HttpError(404, 'Not Found')
    return json(releaseView(latest))
  })
  route('GET', '/releases/tags/(.+)', (_req, m) => {
    const found = store.data.releases.find(r => r.tag_name === decodeURIComponent(m[1]) && !r.draft)
    if (!found) throw new HttpError(404, 'Not Found')
    return json(releaseView(found))
  })
  route('POST', '/releases', async req => {
    const input = await body(req)
    const tag = String(input.tag_name ?? '')
    if (!tag) throw new HttpError(422, 'tag_name is required')
    if (store.data.releases.some(r => r.tag_name === tag))
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'Release', code: 'already_exists', field: 'tag_name' }
      ])
    const id = store.nextId()
    const at = now()
    const record: Json = {
      id,
      tag_name: tag,
      target_commitish: input.target_commitish ?? 'HEAD',
      name: input.name ?? tag,
      body: input.body ?? '',
      draft: input.draft === true,
      prerelease: input.prerelease === true,
      make_latest: input.make_latest ?? 'true',
      created_at: at,
      published_at: input.draft === true ? null : at,
      html_url: `${htmlBase}#release-${encodeURIComponent(tag)}`,
      url: `${API}${repoPath}/releases/${id}`,
      upload_url: `${API}${repoPath}/releases/${id}/assets{?name,label}`
    }
    store.data.releases.push(record)
    store.save()
    return json(releaseView(record), 201)
  })
  route('GET', '/releases/(\\d+)', (_req, m) => json(releaseView(release(Number(m[1])))))
  route('PATCH', '/releases/(\\d+)', async (req, m) => {
    const record = release(Number(m[1]))
    const input = await body(req)
    for (const key of [
      'tag_name',
      'target_commitish',
      'name',
      'body',
      'draft',
      'prerelease',
      'make_latest'
    ])
      if (input[key] !== undefined) record[key] = input[key]
    if (record.draft === false && !record.published_at) record.published_at = now()
    store.save()
    return json(releaseView(record))
  })
  route('DELETE', '/releases/(\\d+)', (_req, m) => {
    const record = release(Number(m[1]))
    store.data.releases = store.data.releases.filter(r => r !== record)
    store.save()
    return json(null, 204)
  })
  route('GET', '/releases/(\\d+)/assets', (_req, m, url) => {
    release(Number(m[1]))
    return page(
      store.data.assets.filter(a => a.release_id === Number(m[1])),
      url
    )
  })
  route('POST', '/releases/(\\d+)/assets', async (req, m, url) => {
    const record = release(Number(m[1]))
    const name = url.searchParams.get('name')
    if (!name) throw new HttpError(422, 'name is required')
    if (store.data.assets.some(a => a.release_id === record.id && a.name === name))
      throw new HttpError(422, 'Validation Failed', [
        { resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }
      ])
    const bytes = Buffer.from(await req.arrayBuffer())
    const id = store.nextId()
    mkdirSync(assetsDir, { recursive: true })
    writeFileSync(join(assetsDir, String(id)), bytes)
    const asset: Json = {
      id,
      release_id: record.id,
      name,
      label: url.searchParams.get('label') ?? null,
      size: bytes.length,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      content_type: req.headers.get('content-type') ?? 'application/octet-stream',
      state: 'uploaded',
      url: `${API}${repoPath}/releases/assets/${id}`,
      browser_download_url: `file://${join(assetsDir, String(id))}`,
      created_at: now()
    }
    store.data.assets.push(asset)
    store.save()
    return json(asset, 201)
  })
  const asset = (id: number): Json => {
    const found = store.data.assets.find(a => a.id === id)
    if (!found) throw new HttpError(404, 'Not Found')
    return found
  }
  route('GET', '/releases/assets/(\\d+)', (req, m) => {
    const found = asset(Number(m[1]))
    if ((req.headers.get('accept') ?? '').includes('application/octet-stream')) {
      const file = join(assetsDir, String(found.id))
      return new Response(existsSync(file) ? readFileSync(file) : Buffer.alloc(0), {
        headers: { 'content-type': 'application/octet-stream' }
      })
    }
    return json(found)
  })
  route('DELETE', '/releases/assets/(\\d+)', (_req, m) => {
    const found = asset(Number(m[1]))
    store.data.assets = store.data.assets.filter(a => a !== found)
    rmSync(join(assetsDir, String(found.id)), { force: true })
    store.save()
    return json(null, 204)
  })

  // ---- git: the local repository -----------------------------------------------------------
  const refView = (ref: string, object: git.GitObject): Json => ({
    ref,
    url: `${options.baseUrl}${repoPath}/git/${ref}`,
    object: { ...object, url: `${options.baseUrl}${repoPath}/git/${object.type}s/${object.sha}` }
  })
  route('GET', '/git/ref/(.+)', async (_req, m) => {
    const ref = decodeURIComponent(m[1])
    const object = await git.readRef(options.cwd, ref)
    if (!object) throw new HttpError(404, 'Not Found')
    return json(refView(`refs/${ref}`, object))
  })
  route('GET', '/git/matching-refs/(.+)', async (_req, m) =>
    json(
      (await git.matchingRefs(options.cwd, decodeURIComponent(m[1]))).map(r =>
        refView(r.ref, r.object)
      )
    )
  )
  route('POST', '/git/tags', async req => {
    const input = await body(req)
    if (!(await git.objectExists(options.cwd, String(input.object))))
      throw new HttpError(422, 'Object does not exist')
    const sha = await git.makeTag(options.cwd, {
      tag: String(input.tag),
      message: String(input.message ?? ''),
      object: String(input.object),
      type: input.type as string | undefined,
      tagger: input.tagger as { name?: string; email?: string } | undefined
    })
    return json(await git.readTag(options.cwd, sha), 201)
  })
  route('GET', '/git/tags/([0-9a-f]{40})', async (_req, m) => {
    const tag = await git.readTag(options.cwd, m[1])
    if (!tag) throw new HttpError(404, 'Not Found')
    return json(tag)
  })
  route('POST', '/git/refs', async req => {
    const input = await body(req)
    const ref = String(input.ref ?? '')
    if (!/^refs\/.+/.test(ref)) throw new HttpError(422, 'Reference name must start with refs/')
    if (!(await git.objectExists(options.cwd, String(input.sha))))
      throw new HttpError(422, 'Object does not exist')
    if (!(await git.updateRef(options.cwd, ref, String(input.sha), true)))
      throw new HttpError(422, 'Reference already exists')
    return json(refView(ref, (await git.readRef(options.cwd, ref.slice(5)))!), 201)
  })
  route('PATCH', '/git/refs/(.+)', async (req, m) => {
    const ref = `refs/${decodeURIComponent(m[1])}`
    const input = await body(req)
    if (!(await git.objectExists(options.cwd, String(input.sha))))
      throw new HttpError(422, 'Object does not exist')
    await git.updateRef(options.cwd, ref, String(input.sha), false)
    return json(refView(ref, (await git.readRef(options.cwd, ref.slice(5)))!))
  })
  route('DELETE', '/git/refs/(.+)', async (_req, m) => {
    if (!(await git.deleteRef(options.cwd, `refs/${decodeURIComponent(m[1])}`)))
      throw new HttpError(422, 'Reference does not exist')
    return json(null, 204)
  })

  return async function fetchFromLedger(
    input: string | URL | Request,
    init?: RequestInit
  ): Promise<Response> {
    const req = new Request(input, init)
    const url = new URL(req.url)
    for (const [method, pattern, handler] of routes) {
      if (method !== req.method) continue
      const match = pattern.exec(url.pathname)
      if (!match) continue
      try {
        const response = await handler(req, match, url)
        if (!(response.headers.get('content-type') ?? '').startsWith('application/json'))
          return response
        const text = (await response.text()).replaceAll(API, options.baseUrl)
        return new Response(text || null, { status: response.status, headers: response.headers })
      } catch (error) {
        if (error instanceof HttpError)
          return json({ message: error.message, errors: error.errors }, error.status)
        return json({ message: `local ledger: ${(error as Error).message}` }, 500)
      }
    }
    return json(
      {
        message: `Not Found: the local ledger (${options.path}) serves deployments, releases and tags only, not ${req.method} ${url.pathname}. Set GITHUB_TOKEN (or --token) to use GitHub.`
      },
      404
    )
  }
}

/**
 * Serves the ledger on 127.0.0.1 (a random port) for this process's lifetime. The actions reach
 * GitHub through @actions/github's own (undici) fetch, so a plain GITHUB_API_URL pointing here
 * is what lets every package work unchanged, with no hook in packages/github.
 */
export async function serveLedger(
  options: Omit<LedgerOptions, 'baseUrl'>
): Promise<{ url: string; close: () => Promise<void> }> {
  // The handler needs the server's port, known only once it listens.
  const ledger: { handle?: ReturnType<typeof ledgerFetch> } = {}
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', chunk => chunks.push(chunk as Buffer))
    req.on('end', () => {
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined
      const headers = new Headers()
      for (const [key, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers.set(key, value)
      ledger.handle!(
        new Request(`${url}${req.url}`, {
          method: req.method,
          headers,
          body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body
        })
      )
        .then(async response => {
          const bytes = Buffer.from(await response.arrayBuffer())
          res.writeHead(response.status, Object.fromEntries(response.headers.entries()))
          res.end(bytes)
        })
        .catch(error => {
          res.writeHead(500, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ message: `local ledger: ${(error as Error).message}` }))
        })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  ledger.handle = ledgerFetch({ ...options, baseUrl: url })
  return {
    url,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
