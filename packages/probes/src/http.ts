import { readFileSync } from 'node:fs'
import { preloadParsers } from '@slipway/kit'
// undici's own fetch rather than the global one: per-request TLS options (insecure, a CA file)
// need an undici Agent, and an Agent only works reliably with the fetch of the same undici.
import type { Dispatcher, RequestInit, Response } from 'undici'

// undici is loaded by the first check that runs, not by every action that bundles the probe: an
// input error or a dry run never parses it.
type Undici = typeof import('undici')
import {
  clip,
  evaluateAssertions,
  validateAssertions,
  HttpSpecError,
  type AssertionSpec,
  type ResponseView
} from './http-assertions.js'
import type { Probe, ProbeOutcome } from './types.js'

/**
 * One HTTP request and the assertions on its answer. Shared by preflight (`http` check),
 * smoke-test and canary analysis, so "is this endpoint healthy?" means the same everywhere.
 */
export interface HttpSpec extends AssertionSpec {
  /** Absolute http(s) URL. */
  url: string
  /** GET unless given. */
  method?: string
  /** Request headers. */
  headers?: Record<string, string>
  /** Request body; an object is sent as JSON (with content-type application/json unless set). */
  body?: string | Record<string, unknown> | unknown[]
  /** Follow 3xx redirects (default true). When false the 3xx answer itself is asserted. */
  followRedirects?: boolean
  /** Accept any TLS certificate (self-signed staging hosts). Never the default. */
  insecure?: boolean
  /** A PEM file of CA certificates to trust in addition to the system ones. */
  caFile?: string
  /** Read at most this many bytes of the body for assertions (default 1 MiB); the rest is discarded. */
  maxBodyBytes?: number
}

const DEFAULT_MAX_BODY = 1024 * 1024
const EXCERPT_CHARS = 300

/**
 * Requests `spec.url` once and checks status (default 200–399), latency, headers, body text,
 * body regex and JSONPath values. The outcome message names the first failed assertion;
 * `details` carries status, latency (ms, headers + body), all failures and, on failure,
 * a clipped body excerpt. Network errors become a failed outcome, not a throw, except
 * when the context's signal aborted (the runner reports the timeout itself).
 */
export const httpProbe: Probe<HttpSpec> = async (spec, context) => {
  const method = (spec.method ?? 'GET').toUpperCase()
  const shown = displayUrl(spec.url)
  const label = `${method} ${shown}`
  const undici = await import('undici')
  if (spec.json?.length) await preloadParsers(['jsonpath-plus'])
  let init: RequestInit
  try {
    init = buildRequest(spec, method, context.signal, undici.Agent)
  } catch (error) {
    return {
      ok: false,
      message: `${label}: ${describeFetchError(error)}`,
      details: { url: shown, method }
    }
  }
  const started = performance.now()
  let response: Response
  let finalUrl: string
  let redirects: number
  try {
    ;({ response, finalUrl, redirects } = await fetchFollowing(
      undici.fetch,
      requestUrl(spec.url),
      init,
      spec.followRedirects !== false
    ))
  } catch (error) {
    if (context.signal.aborted) throw error
    return {
      ok: false,
      message: `${label}: ${describeFetchError(error)}`,
      details: {
        url: shown,
        method,
        latencyMs: round(performance.now() - started),
        error: describeFetchError(error)
      }
    }
  }
  const ttfbMs = performance.now() - started
  let read: { body: string; bytes: number; truncated: boolean }
  try {
    read = await readBody(response, spec.maxBodyBytes ?? DEFAULT_MAX_BODY)
  } catch (error) {
    if (context.signal.aborted) throw error
    return {
      ok: false,
      message: `${label}: status ${response.status}, reading the body failed: ${describeFetchError(error)}`,
      details: {
        url: shown,
        method,
        status: response.status,
        latencyMs: round(performance.now() - started)
      }
    }
  }
  const latencyMs = performance.now() - started
  const view: ResponseView = {
    status: response.status,
    headers: response.headers,
    body: read.body,
    truncated: read.truncated
  }
  let failures
  try {
    failures = evaluateAssertions(spec, view, latencyMs)
  } catch (error) {
    // A malformed spec that was not validated up front: report it, never throw out of a probe.
    failures = [{ assertion: 'spec', message: describeFetchError(error) }]
  }
  const details: Record<string, unknown> = {
    url: shown,
    method,
    status: response.status,
    latencyMs: round(latencyMs),
    ttfbMs: round(ttfbMs),
    bytes: read.bytes
  }
  if (redirects > 0) details.finalUrl = displayUrl(finalUrl)
  const summary = `${label} → ${response.status} in ${Math.round(latencyMs)}ms`
  if (failures.length === 0) return { ok: true, message: summary, details }
  details.failures = failures.map(f => f.message)
  details.bodyExcerpt = clip(read.body, EXCERPT_CHARS)
  const more = failures.length > 1 ? ` (+${failures.length - 1} more)` : ''
  return {
    ok: false,
    message: `${label} → ${failures[0].message}${more}`,
    details
  } satisfies ProbeOutcome
}

/**
 * Checks a spec without sending anything: URL, method, assertions, CA file. Throws an
 * HttpSpecError naming the field; smoke-test turns it into an InputError.
 */
export function validateHttpSpec(spec: HttpSpec): void {
  let url: URL
  try {
    url = new URL(spec.url)
  } catch {
    throw new HttpSpecError(
      'url',
      `expected an absolute http(s) URL, got ${JSON.stringify(displayUrl(String(spec.url ?? '')))}`
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new HttpSpecError(
      'url',
      `expected an http:// or https:// URL, got ${JSON.stringify(displayUrl(spec.url))}`
    )
  if (spec.method !== undefined && !/^[A-Za-z]+$/.test(spec.method))
    throw new HttpSpecError(
      'method',
      `expected an HTTP method such as GET or POST, got ${JSON.stringify(spec.method)}`
    )
  if (spec.headers !== undefined) {
    if (typeof spec.headers !== 'object' || spec.headers === null || Array.isArray(spec.headers))
      throw new HttpSpecError(
        'headers',
        `expected a map of header names to values, got ${JSON.stringify(spec.headers)}`
      )
  }
  validateAssertions(spec)
  if (spec.caFile !== undefined) {
    try {
      readFileSync(spec.caFile)
    } catch (error) {
      throw new HttpSpecError(
        'caFile',
        `expected a readable CA file (${describeFetchError(error)}), got ${JSON.stringify(spec.caFile)}`
      )
    }
  }
}

function buildRequest(
  spec: HttpSpec,
  method: string,
  signal: AbortSignal,
  Agent: Undici['Agent']
): RequestInit {
  const headers = new Headers(spec.headers ?? {})
  let body: string | undefined
  if (spec.body !== undefined && spec.body !== null) {
    if (typeof spec.body === 'string') body = spec.body
    else {
      body = JSON.stringify(spec.body)
      if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    }
  }
  // fetch refuses URLs with credentials: send them as Basic authentication instead.
  const url = new URL(spec.url)
  if ((url.username || url.password) && !headers.has('authorization')) {
    const user = decodeURIComponent(url.username)
    const password = decodeURIComponent(url.password)
    headers.set('authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`)
  }
  // Redirects are followed by fetchFollowing, which decides what the next hop may carry.
  const init: RequestInit = {
    method,
    headers: Object.fromEntries(headers.entries()),
    body,
    signal,
    redirect: 'manual'
  }
  const dispatcher = tlsDispatcher(spec, Agent)
  if (dispatcher) init.dispatcher = dispatcher
  return init
}

/** As fetch: at most 20 redirects, then a network error. */
const MAX_REDIRECTS = 20
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/**
 * Headers that carry credentials, dropped when a redirect leaves the origin they were meant
 * for: the standard ones (fetch drops only these) and any whose name says it holds a secret
 * (`X-Api-Key`, `X-Auth-Token`, `Private-Token` …) — the names whose values we also mask.
 */
const CREDENTIAL_HEADER =
  /^(authorization|proxy-authorization|cookie)$|auth|token|key|secret|password|session|credential|cookie/i

/**
 * Sends the request and follows redirects by hand (fetch's own following forwards every header
 * but Authorization to any origin): on a hop to another origin, credential headers are dropped;
 * 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
 */
async function fetchFollowing(
  fetch: Undici['fetch'],
  url: string,
  init: RequestInit,
  follow: boolean
): Promise<{ response: Response; finalUrl: string; redirects: number }> {
  let current = url
  let request = init
  for (let redirects = 0; ; redirects++) {
    const response = await fetch(current, request)
    const location = response.headers.get('location')
    if (!follow || !REDIRECT_STATUSES.has(response.status) || location === null)
      return { response, finalUrl: current, redirects }
    await response.body?.cancel().catch(() => undefined)
    if (redirects >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`)
    const next = new URL(location, current)
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new Error(`redirected to a non-HTTP URL ${displayUrl(next.href)}`)
    request = redirectedRequest(request, response.status, new URL(current), next)
    current = next.href
  }
}

function redirectedRequest(init: RequestInit, status: number, from: URL, to: URL): RequestInit {
  const headers = new Headers(init.headers as Record<string, string>)
  let method = init.method ?? 'GET'
  let body = init.body
  if (
    (status === 303 && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST')
  ) {
    method = 'GET'
    body = undefined
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language'])
      headers.delete(name)
  }
  if (from.origin !== to.origin)
    for (const name of [...headers.keys()]) if (CREDENTIAL_HEADER.test(name)) headers.delete(name)
  return { ...init, method, body, headers: Object.fromEntries(headers.entries()) }
}

// One agent per TLS configuration, so repeated checks reuse connections instead of
// opening a pool per request.
const dispatchers = new Map<string, Dispatcher>()

function tlsDispatcher(spec: HttpSpec, Agent: Undici['Agent']): Dispatcher | undefined {
  if (!spec.insecure && !spec.caFile) return undefined
  const key = `${spec.insecure ? 1 : 0}|${spec.caFile ?? ''}`
  let agent = dispatchers.get(key)
  if (!agent) {
    const ca = spec.caFile ? readFileSync(spec.caFile, 'utf8') : undefined
    agent = new Agent({
      connect: {
        rejectUnauthorized: !spec.insecure,
        // Node replaces the default trust store when `ca` is given; keep the system roots too.
        // node:tls is taken here, not at the top: it costs milliseconds to load, and only a
        // probe with its own CA needs it.
        ...(ca ? { ca: [...process.getBuiltinModule('node:tls').rootCertificates, ca] } : {})
      }
    })
    dispatchers.set(key, agent)
  }
  return agent
}

/** Reads up to `limit` bytes and cancels the rest: a smoke test must not download a 2 GB file. */
async function readBody(
  response: Response,
  limit: number
): Promise<{ body: string; bytes: number; truncated: boolean }> {
  if (!response.body) return { body: '', bytes: 0, truncated: false }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let bytes = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    bytes += value.byteLength
    if (bytes >= limit) {
      truncated = true
      await reader.cancel().catch(() => undefined)
      break
    }
  }
  const buffer = Buffer.concat(
    chunks.map(chunk => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
  )
  return {
    body: buffer.subarray(0, limit).toString('utf8'),
    bytes: Math.min(bytes, limit),
    truncated
  }
}

/** The URL as shown in messages and reports: any password replaced by `***`. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/\/\/([^:/@\s]+):[^@/\s]+@/, '//$1:***@')
  }
}

function requestUrl(url: string): string {
  const parsed = new URL(url)
  parsed.username = ''
  parsed.password = ''
  return parsed.toString()
}

/**
 * fetch hides the reason in `cause` ("fetch failed" → ECONNREFUSED, a certificate error).
 * Duck-typed rather than `instanceof Error`: undici's errors may come from another realm
 * (Jest's VM modules), where instanceof is false. Passwords in URLs are masked.
 */
export function describeFetchError(error: unknown): string {
  const text = (value: unknown): string => {
    if (value && typeof value === 'object' && 'message' in value)
      return String((value as { message: unknown }).message)
    return String(value)
  }
  let message = text(error)
  const cause =
    error && typeof error === 'object' ? (error as { cause?: unknown }).cause : undefined
  if (cause && typeof cause === 'object') {
    const code = (cause as { code?: unknown }).code
    const causeMessage = text(cause)
    message =
      code && !causeMessage.includes(String(code))
        ? `${message}: ${String(code)} (${causeMessage})`
        : `${message}: ${causeMessage}`
  }
  return message.replace(/\/\/([^:/@\s]+):[^@/\s]+@/g, '//$1:***@')
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
