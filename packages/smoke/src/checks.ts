import { InputError, parseDuration } from '@slipway/kit'
import {
  HttpSpecError,
  displayUrl,
  validateHttpSpec,
  type HeaderAssertion,
  type HttpSpec,
  type JsonAssertion
} from '@slipway/probes'

/** One HTTP check of the smoke test: a probe spec plus its readiness policy. */
export interface SmokeCheck {
  name: string
  spec: HttpSpec
  /** Give up on this check at this many attempts (undefined: retry until the deadline). */
  maxAttempts?: number
  /** Readiness deadline for this check in ms from the start (never beyond the overall timeout). */
  timeoutMs?: number
  /** Timeout of one request. */
  requestTimeoutMs: number
}

/** Values shared by every check unless a check overrides them. */
export interface CheckDefaults {
  baseUrl?: string
  headers?: Record<string, string>
  requestTimeoutMs: number
  followRedirects?: boolean
  insecure?: boolean
  caFile?: string
  maxLatencyMs?: number
}

/** The plain inputs for the common single-URL case, already read by the action. */
export interface PlainCheckInputs {
  url?: string
  method?: string
  body?: string
  expectStatus?: string
  expectBody?: string
  expectBodyRegex?: string
  /** `expect-json`: a parsed YAML map of JSONPath → expected value. */
  expectJson?: unknown
}

/**
 * Keys a check in the `checks` YAML may use. Kebab-case like the action's inputs; the
 * camelCase names of HttpSpec are accepted too, so a spec copied from preflight works.
 */
const ALIASES: Record<string, string> = {
  name: 'name',
  url: 'url',
  path: 'url',
  method: 'method',
  headers: 'headers',
  body: 'body',
  'expect-status': 'expect-status',
  expectStatus: 'expect-status',
  'expect-body': 'expect-body',
  bodyContains: 'expect-body',
  'body-contains': 'expect-body',
  'expect-body-regex': 'expect-body-regex',
  bodyRegex: 'expect-body-regex',
  'body-regex': 'expect-body-regex',
  'expect-json': 'expect-json',
  json: 'expect-json',
  'expect-headers': 'expect-headers',
  expectHeaders: 'expect-headers',
  'max-latency': 'max-latency',
  maxLatency: 'max-latency',
  maxLatencyMs: 'max-latency-ms',
  'max-latency-ms': 'max-latency-ms',
  'follow-redirects': 'follow-redirects',
  followRedirects: 'follow-redirects',
  insecure: 'insecure',
  'ca-file': 'ca-file',
  caFile: 'ca-file',
  ca: 'ca-file',
  retries: 'retries',
  timeout: 'timeout',
  'request-timeout': 'request-timeout',
  requestTimeout: 'request-timeout'
}

/** HttpSpec fields → the YAML key users wrote, for error messages. */
const SPEC_FIELD_KEYS: Record<string, string> = {
  url: 'url',
  method: 'method',
  headers: 'headers',
  expectStatus: 'expect-status',
  bodyContains: 'expect-body',
  bodyRegex: 'expect-body-regex',
  maxLatencyMs: 'max-latency',
  caFile: 'ca-file'
}

/**
 * Builds the checks from the plain inputs and the `checks` YAML, validating everything
 * before anything is sent. Errors are InputErrors naming the input (`checks`, `url`,
 * `expect-status` …) and, for YAML entries, the entry and key (`checks[1].expect-status`).
 */
export function parseChecks(
  plain: PlainCheckInputs,
  yamlChecks: unknown,
  defaults: CheckDefaults
): SmokeCheck[] {
  const checks: SmokeCheck[] = []
  if (plain.url !== undefined) checks.push(plainCheck(plain, defaults))
  else {
    for (const [input, value] of [
      ['expect-status', plain.expectStatus],
      ['expect-body', plain.expectBody],
      ['expect-body-regex', plain.expectBodyRegex],
      ['expect-json', plain.expectJson],
      ['method', plain.method],
      ['body', plain.body]
    ] as const) {
      if (value !== undefined)
        throw new InputError('url', `the URL that ${input} applies to`, undefined)
    }
  }
  if (yamlChecks !== undefined && yamlChecks !== null) {
    if (!Array.isArray(yamlChecks))
      throw new InputError(
        'checks',
        'a YAML list of checks (- name: …, url: …)',
        JSON.stringify(yamlChecks)
      )
    yamlChecks.forEach((entry, index) => checks.push(yamlCheck(entry, index, defaults)))
  }
  const seen = new Set<string>()
  for (const check of checks) {
    if (seen.has(check.name))
      throw new InputError(
        'checks',
        `unique check names (${JSON.stringify(check.name)} is used twice)`,
        check.name
      )
    seen.add(check.name)
  }
  return checks
}

function plainCheck(plain: PlainCheckInputs, defaults: CheckDefaults): SmokeCheck {
  const url = resolveUrl(plain.url!, defaults.baseUrl, 'url')
  const spec: HttpSpec = {
    ...specDefaults(defaults),
    url,
    method: plain.method,
    body: plain.body,
    expectStatus: plain.expectStatus,
    bodyContains: plain.expectBody,
    bodyRegex: plain.expectBodyRegex,
    json: plain.expectJson === undefined ? undefined : jsonMap(plain.expectJson, 'expect-json')
  }
  validate(spec, field => {
    const map: Record<string, string> = {
      url: 'url',
      method: 'method',
      expectStatus: 'expect-status',
      bodyContains: 'expect-body',
      bodyRegex: 'expect-body-regex',
      maxLatencyMs: 'max-latency',
      caFile: 'ca-file',
      headers: 'headers'
    }
    return {
      input: map[field.replace(/\[.*$/, '')] ?? (field.startsWith('json') ? 'expect-json' : field)
    }
  })
  return { name: nameFor(url, plain.method), spec, requestTimeoutMs: defaults.requestTimeoutMs }
}

function yamlCheck(entry: unknown, index: number, defaults: CheckDefaults): SmokeCheck {
  const where = `checks[${index}]`
  if (typeof entry === 'string') entry = { url: entry }
  if (!entry || typeof entry !== 'object' || Array.isArray(entry))
    throw new InputError('checks', `${where}: a map with url and assertions`, JSON.stringify(entry))
  const raw: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
    const canonical = ALIASES[key]
    if (!canonical)
      throw new InputError(
        'checks',
        `${where}: known keys (${[...new Set(Object.values(ALIASES))].join(', ')})`,
        key
      )
    raw[canonical] = value
  }
  const fail = (key: string, expected: string): never => {
    throw new InputError(
      'checks',
      `${where}.${key}: ${expected}`,
      raw[key] === undefined ? undefined : stringify(raw[key])
    )
  }
  const text = (key: string): string | undefined => {
    const value = raw[key]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string' || typeof value === 'number') return String(value)
    return fail(key, 'text')
  }
  const bool = (key: string): boolean | undefined => {
    const value = raw[key]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'boolean') return value
    return fail(key, 'true or false')
  }
  const duration = (key: string): number | undefined => {
    const value = raw[key]
    if (value === undefined || value === null) return undefined
    const ms = typeof value === 'number' ? value * 1000 : parseDuration(String(value))
    if (ms === undefined || !(ms > 0)) return fail(key, 'a duration such as 500ms, 10s or 2m')
    return ms
  }
  const urlText = text('url')
  if (urlText === undefined) fail('url', 'an http(s) URL, or a path when base-url is set')
  let url: string
  try {
    url = resolveUrl(urlText!, defaults.baseUrl, 'checks')
  } catch {
    return fail(
      'url',
      defaults.baseUrl
        ? 'an http(s) URL or a path'
        : 'an absolute http(s) URL (or set base-url for paths)'
    )
  }
  let retries: number | undefined
  if (raw.retries !== undefined) {
    if (
      typeof raw.retries !== 'number' ||
      !Number.isInteger(raw.retries) ||
      raw.retries < 0 ||
      raw.retries > 1000
    )
      fail('retries', 'a whole number from 0 to 1000')
    retries = raw.retries as number
  }
  let headers = defaults.headers
  if (raw.headers !== undefined)
    headers = {
      ...(defaults.headers ?? {}),
      ...stringMap(raw.headers, () => fail('headers', 'a map of header names to values'))
    }
  let maxLatencyMs = defaults.maxLatencyMs
  if (raw['max-latency'] !== undefined) maxLatencyMs = duration('max-latency')
  if (raw['max-latency-ms'] !== undefined) {
    const value = raw['max-latency-ms']
    if (typeof value !== 'number' || !(value > 0))
      fail('max-latency-ms', 'a positive number of milliseconds')
    maxLatencyMs = value as number
  }
  let bodyContains: string | string[] | undefined
  const expectBody = raw['expect-body']
  if (expectBody !== undefined && expectBody !== null) {
    if (typeof expectBody === 'string') bodyContains = expectBody
    else if (Array.isArray(expectBody) && expectBody.every(item => typeof item === 'string'))
      bodyContains = expectBody as string[]
    else fail('expect-body', 'text or a list of texts the body must contain')
  }
  const expectStatus = raw['expect-status']
  if (
    expectStatus !== undefined &&
    !['string', 'number'].includes(typeof expectStatus) &&
    !Array.isArray(expectStatus)
  )
    fail('expect-status', 'status codes or ranges such as 200, 200-299 or 2xx')
  const body = raw.body
  const spec: HttpSpec = {
    ...specDefaults(defaults),
    url,
    method: text('method'),
    headers,
    body:
      body === undefined || body === null
        ? undefined
        : typeof body === 'string'
          ? body
          : (body as Record<string, unknown>),
    expectStatus: expectStatus as HttpSpec['expectStatus'],
    bodyContains,
    bodyRegex: text('expect-body-regex'),
    json:
      raw['expect-json'] === undefined
        ? undefined
        : jsonAssertions(raw['expect-json'], `${where}.expect-json`),
    expectHeaders:
      raw['expect-headers'] === undefined
        ? undefined
        : headerAssertions(raw['expect-headers'], `${where}.expect-headers`),
    maxLatencyMs,
    followRedirects: bool('follow-redirects') ?? defaults.followRedirects,
    insecure: bool('insecure') ?? defaults.insecure,
    caFile: text('ca-file') ?? defaults.caFile
  }
  validate(spec, field => {
    const base = field.replace(/\[.*$/, '')
    const key =
      SPEC_FIELD_KEYS[base] ??
      (base === 'json' ? 'expect-json' : base === 'expectHeaders' ? 'expect-headers' : base)
    return { input: 'checks', prefix: `${where}.${key}` }
  })
  const method = text('method')
  return {
    name: text('name') ?? nameFor(url, method),
    spec,
    maxAttempts: retries === undefined ? undefined : retries + 1,
    timeoutMs: duration('timeout'),
    requestTimeoutMs: duration('request-timeout') ?? defaults.requestTimeoutMs
  }
}

function specDefaults(defaults: CheckDefaults): Partial<HttpSpec> {
  return {
    headers: defaults.headers,
    followRedirects: defaults.followRedirects,
    insecure: defaults.insecure,
    caFile: defaults.caFile,
    maxLatencyMs: defaults.maxLatencyMs
  }
}

/**
 * Runs the probe's own validation and re-throws as an InputError. `inputFor` maps the
 * spec field to the input name, and for YAML entries a prefix such as `checks[2].expect-status`.
 */
function validate(
  spec: HttpSpec,
  inputFor: (field: string) => { input: string; prefix?: string }
): void {
  try {
    validateHttpSpec(spec)
  } catch (error) {
    if (!(error instanceof HttpSpecError)) throw error
    const { input, prefix } = inputFor(error.field)
    throw new InputError(
      input,
      prefix ? `${prefix}: ${error.expected}` : error.expected,
      fieldValue(spec, error.field)
    )
  }
}

function fieldValue(spec: HttpSpec, field: string): unknown {
  const value = (spec as unknown as Record<string, unknown>)[field.replace(/\[.*$/, '')]
  if (field === 'url' && typeof value === 'string') return displayUrl(value)
  return value === undefined ? undefined : stringify(value)
}

/** An absolute URL as is, or a path joined to base-url. */
export function resolveUrl(value: string, baseUrl: string | undefined, input: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    if (!/^https?:\/\//i.test(value))
      throw new InputError(input, 'an http:// or https:// URL', displayUrl(value))
    try {
      return new URL(value).toString()
    } catch {
      throw new InputError(input, 'a valid URL', displayUrl(value))
    }
  }
  if (!baseUrl)
    throw new InputError(input, 'an absolute http(s) URL, or a path with base-url set', value)
  // `base-url: https://host/app` + `/health` → https://host/app/health (not https://host/health).
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`
  return new URL(value.replace(/^\/+/, ''), base).toString()
}

function nameFor(url: string, method: string | undefined): string {
  const parsed = new URL(url)
  const path = `${parsed.pathname}${parsed.search}`
  return `${(method ?? 'GET').toUpperCase()} ${path === '' ? '/' : path}`
}

/** `expect-json` as a map (`$.status: ok`) or a list ({path, equals}). */
function jsonAssertions(value: unknown, where: string): JsonAssertion[] {
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (!item || typeof item !== 'object' || typeof (item as JsonAssertion).path !== 'string')
        throw new InputError(
          'checks',
          `${where}[${index}]: {path: "$.…", equals: …}`,
          stringify(item)
        )
      return item as JsonAssertion
    })
  }
  return jsonMap(value, where.startsWith('checks') ? 'checks' : where, where)
}

function jsonMap(value: unknown, input: string, where = input): JsonAssertion[] {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new InputError(
      input,
      `${where === input ? '' : `${where}: `}a map of JSONPath to expected value, such as {"$.status": "ok"}`,
      stringify(value)
    )
  return Object.entries(value as Record<string, unknown>).map(([path, equals]) => ({
    path,
    equals
  }))
}

/** `expect-headers` as a map (`content-type: ^application/json`) or a list ({name, matches}). */
function headerAssertions(value: unknown, where: string): HeaderAssertion[] {
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (!item || typeof item !== 'object' || typeof (item as HeaderAssertion).name !== 'string')
        throw new InputError('checks', `${where}[${index}]: {name, matches}`, stringify(item))
      const header = item as HeaderAssertion
      return {
        name: header.name,
        matches: header.matches === undefined ? undefined : String(header.matches)
      }
    })
  }
  if (!value || typeof value !== 'object')
    throw new InputError('checks', `${where}: a map of header name to regex`, stringify(value))
  return Object.entries(value as Record<string, unknown>).map(([name, matches]) => ({
    name,
    matches:
      matches === null || matches === undefined || matches === '' ? undefined : String(matches)
  }))
}

function stringMap(value: unknown, onError: () => never): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) onError()
  const result: Record<string, string> = {}
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === null || typeof item === 'object') onError()
    result[key] = String(item)
  }
  return result
}

/** Parses the `headers` input: a YAML map. */
export function parseHeaders(
  value: unknown,
  input = 'headers'
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  return stringMap(value, () => {
    throw new InputError(input, 'a YAML map of header names to values', stringify(value))
  })
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
