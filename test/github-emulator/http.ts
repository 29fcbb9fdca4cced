import type { IncomingHttpHeaders } from 'node:http'
import type { EmulatorState } from './state.js'

/** What a route handler answers; `raw` sends bytes instead of JSON (asset download). */
export interface Reply {
  status: number
  body?: unknown
  headers?: Record<string, string>
  raw?: Buffer
}

export interface RouteContext {
  method: string
  params: Record<string, string>
  query: Record<string, string>
  /** Parsed JSON body (undefined when there was none or it was not JSON). */
  body: unknown
  rawBody: Buffer
  headers: IncomingHttpHeaders
  state: EmulatorState
}

export type Handler = (ctx: RouteContext) => Reply | Promise<Reply>
/** Keyed by `METHOD template` exactly as the OpenAPI description spells the path. */
export type RouteTable = Record<string, Handler>

export const DOCS_URL = 'https://docs.github.com/rest'

export interface FieldError {
  resource: string
  code: string
  field: string
  message?: string
}

/** A GitHub error answer; thrown by handlers, rendered by the server. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[]
  ) {
    super(message)
  }

  get body(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      message: this.message,
      documentation_url: DOCS_URL,
      status: String(this.status)
    }
    if (this.errors) body.errors = this.errors
    return body
  }
}

export const notFound = (): ApiError => new ApiError(404, 'Not Found')

/** GitHub's 422 for a duplicate (tag name, asset name, …). */
export function alreadyExists(resource: string, field: string): ApiError {
  return new ApiError(422, 'Validation Failed', [{ resource, code: 'already_exists', field }])
}

export function invalid(resource: string, field: string, message?: string): ApiError {
  const error: FieldError = { resource, code: 'invalid', field }
  if (message) error.message = message
  return new ApiError(422, 'Validation Failed', [error])
}

/** Reads a JSON body as an object; the request validator has already checked its shape. */
export function bodyOf<T>(ctx: RouteContext): Partial<T> {
  return (ctx.body && typeof ctx.body === 'object' ? ctx.body : {}) as Partial<T>
}

export function intParam(ctx: RouteContext, name: string): number {
  const value = Number(ctx.params[name])
  if (!Number.isInteger(value)) throw notFound()
  return value
}

/**
 * GitHub pagination: `per_page` (default 30, max 100) and `page`, with a `Link` header
 * carrying next/last/prev/first so Octokit's paginate() walks it.
 */
export function paginate<T>(
  ctx: RouteContext,
  items: T[],
  selfUrl: string
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30) || 30, 1), 100)
  const page = Math.max(Number(ctx.query.page ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (p: number, rel: string): string => {
    const u = new URL(selfUrl)
    for (const [k, v] of Object.entries(ctx.query)) u.searchParams.set(k, v)
    u.searchParams.set('per_page', String(perPage))
    u.searchParams.set('page', String(p))
    return `<${u.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'))
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {}
  }
}
