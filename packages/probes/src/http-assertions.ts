import { isDeepStrictEqual } from 'node:util'
import { UserError, parsers } from '@slipway/kit'

/**
 * The pure half of the HTTP probe: parsing of expected-status lists and evaluation of
 * assertions on a response that has already been read. Kept apart from the network code
 * so smoke-test can validate a user's checks up front (bad regex → InputError before
 * anything is sent) and so the rules are unit-testable without a server.
 */

/** An inclusive range of HTTP status codes; a single code is a range of one. */
export interface StatusRange {
  min: number
  max: number
}

/** What users may write for expected statuses: `200`, `'200,201,300-399'`, `'2xx'`, or a list of those. */
export type StatusSpec = number | string | Array<number | string>

export const DEFAULT_EXPECT_STATUS: StatusRange[] = [{ min: 200, max: 399 }]

/**
 * Thrown for a malformed spec; `field` names the part of the spec at fault. Messages read
 * "expected <form>, got <value>"; `expected` holds the form alone, for callers that wrap
 * the error in their own (smoke-test's InputError).
 */
export class HttpSpecError extends UserError {
  readonly expected: string
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message, `fix the \`${field}\` of this HTTP check in your settings.`)
    this.name = 'HttpSpecError'
    this.expected = message.replace(/^expected /, '').replace(/, got [\s\S]*$/, '')
  }
}

/**
 * Parses `200,201,300-399`, `2xx`, `[200, '300-399']` into ranges. Throws an HttpSpecError
 * (field `expectStatus`) on anything that is not a status code from 100 to 599.
 */
export function parseStatusList(spec: StatusSpec): StatusRange[] {
  const items = Array.isArray(spec) ? spec : [spec]
  const ranges: StatusRange[] = []
  for (const item of items) {
    const parts =
      typeof item === 'number'
        ? [String(item)]
        : String(item)
            .replace(/\s*-\s*/g, '-')
            .split(/[\s,]+/)
    for (const raw of parts) {
      const part = raw.trim()
      if (part === '') continue
      ranges.push(parseStatusPart(part))
    }
  }
  if (ranges.length === 0)
    throw new HttpSpecError(
      'expectStatus',
      'expected at least one status code or range, got nothing'
    )
  return ranges
}

function parseStatusPart(part: string): StatusRange {
  const bad = (): HttpSpecError =>
    new HttpSpecError(
      'expectStatus',
      `expected status codes or ranges such as 200, 200-299 or 2xx (100–599), got ${JSON.stringify(part)}`
    )
  const wildcard = /^([1-5])xx$/i.exec(part)
  if (wildcard) return { min: Number(wildcard[1]) * 100, max: Number(wildcard[1]) * 100 + 99 }
  const range = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part)
  if (!range) throw bad()
  const min = Number(range[1])
  const max = range[2] === undefined ? min : Number(range[2])
  if (min < 100 || max > 599 || min > max) throw bad()
  return { min, max }
}

export function statusMatches(status: number, ranges: StatusRange[]): boolean {
  return ranges.some(range => status >= range.min && status <= range.max)
}

/** `200-299, 404` — for messages. */
export function formatStatusList(ranges: StatusRange[]): string {
  return ranges.map(r => (r.min === r.max ? String(r.min) : `${r.min}-${r.max}`)).join(', ')
}

/** Compiles a user's regular expression; `/pattern/flags` form is accepted as well as a bare pattern. */
export function compileRegex(field: string, pattern: string): RegExp {
  const literal = /^\/(.*)\/([dgimsuy]*)$/s.exec(pattern)
  try {
    return literal ? new RegExp(literal[1], literal[2]) : new RegExp(pattern)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new HttpSpecError(
      field,
      `expected a valid regular expression (${reason}), got ${JSON.stringify(pattern)}`
    )
  }
}

export interface JsonAssertion {
  /** A JSONPath expression (jsonpath-plus syntax), e.g. `$.status` or `$.checks[?(@.name=='db')].ok`. */
  path: string
  /** The expected value (deep equality). With several matches, compared with the list of matches. */
  equals?: unknown
  /** `true`: the path must match something; `false`: it must match nothing. */
  exists?: boolean
}

export interface HeaderAssertion {
  /** Header name, case-insensitive. */
  name: string
  /** A regular expression the header's value must match; without it the header must only be present. */
  matches?: string
}

/** What the assertions see of a response. */
export interface ResponseView {
  status: number
  headers: Headers
  body: string
  /** True when the body was cut at the read limit; JSON assertions then fail with that reason. */
  truncated: boolean
}

export interface AssertionSpec {
  expectStatus?: StatusSpec
  bodyContains?: string | string[]
  bodyRegex?: string
  json?: JsonAssertion[]
  expectHeaders?: HeaderAssertion[]
  maxLatencyMs?: number
}

/**
 * Checks the spec's assertion fields without a response: status list, regexes, JSONPath
 * shape. Throws an HttpSpecError naming the field, so callers can turn it into an InputError.
 */
export function validateAssertions(spec: AssertionSpec): void {
  if (spec.expectStatus !== undefined) parseStatusList(spec.expectStatus)
  if (spec.bodyRegex !== undefined) compileRegex('bodyRegex', spec.bodyRegex)
  if (spec.bodyContains !== undefined) {
    const list = Array.isArray(spec.bodyContains) ? spec.bodyContains : [spec.bodyContains]
    if (list.some(item => typeof item !== 'string' || item === ''))
      throw new HttpSpecError('bodyContains', 'expected non-empty text or a list of texts')
  }
  for (const [index, assertion] of (spec.json ?? []).entries()) {
    const field = `json[${index}]`
    if (
      !assertion ||
      typeof assertion !== 'object' ||
      typeof assertion.path !== 'string' ||
      !assertion.path.startsWith('$')
    )
      throw new HttpSpecError(
        field,
        `expected {path: "$.…", equals: …}, got ${JSON.stringify(assertion)}`
      )
    if (!('equals' in assertion) && assertion.exists === undefined)
      throw new HttpSpecError(
        field,
        `expected "equals" or "exists" for the path, got ${JSON.stringify(assertion)}`
      )
    // Taken outside the try, and only for a path of the right shape (a front end preloads the
    // library for values holding `$`): a parser that was not loaded is a bug, not a bad path.
    const { JSONPath } = parsers.jsonpath()
    try {
      JSONPath({ path: assertion.path, json: {}, wrap: true })
    } catch (error) {
      throw new HttpSpecError(
        field,
        `expected a valid JSONPath (${String(error)}), got ${JSON.stringify(assertion.path)}`
      )
    }
  }
  for (const [index, header] of (spec.expectHeaders ?? []).entries()) {
    const field = `expectHeaders[${index}]`
    if (
      !header ||
      typeof header !== 'object' ||
      typeof header.name !== 'string' ||
      header.name.trim() === ''
    )
      throw new HttpSpecError(field, `expected {name, matches}, got ${JSON.stringify(header)}`)
    if (header.matches !== undefined) compileRegex(`${field}.matches`, String(header.matches))
  }
  if (
    spec.maxLatencyMs !== undefined &&
    !(Number.isFinite(spec.maxLatencyMs) && spec.maxLatencyMs > 0)
  )
    throw new HttpSpecError(
      'maxLatencyMs',
      `expected a positive number of milliseconds, got ${JSON.stringify(spec.maxLatencyMs)}`
    )
}

/** One failed assertion, for the message (the first) and the details (all). */
export interface AssertionFailure {
  assertion: string
  message: string
}

/**
 * Evaluates every assertion in a fixed order (status, latency, headers, body, JSON) and
 * returns the failures. The status comes first because a wrong status usually explains
 * every later failure.
 */
export function evaluateAssertions(
  spec: AssertionSpec,
  response: ResponseView,
  latencyMs: number
): AssertionFailure[] {
  const failures: AssertionFailure[] = []
  const expected =
    spec.expectStatus === undefined ? DEFAULT_EXPECT_STATUS : parseStatusList(spec.expectStatus)
  if (!statusMatches(response.status, expected))
    failures.push({
      assertion: 'status',
      message: `status ${response.status}, expected ${formatStatusList(expected)}`
    })
  if (spec.maxLatencyMs !== undefined && latencyMs > spec.maxLatencyMs)
    failures.push({
      assertion: 'latency',
      message: `latency ${Math.round(latencyMs)}ms over the budget of ${spec.maxLatencyMs}ms`
    })
  for (const header of spec.expectHeaders ?? []) {
    const value = response.headers.get(header.name)
    if (value === null)
      failures.push({ assertion: 'header', message: `header ${header.name} missing` })
    else if (
      header.matches !== undefined &&
      !compileRegex('expectHeaders.matches', header.matches).test(value)
    )
      failures.push({
        assertion: 'header',
        message: `header ${header.name}: ${JSON.stringify(clip(value, 100))} does not match /${header.matches}/`
      })
  }
  const contains =
    spec.bodyContains === undefined
      ? []
      : Array.isArray(spec.bodyContains)
        ? spec.bodyContains
        : [spec.bodyContains]
  for (const text of contains) {
    if (!response.body.includes(text))
      failures.push({
        assertion: 'body',
        message: `body does not contain ${JSON.stringify(clip(text, 100))}`
      })
  }
  if (
    spec.bodyRegex !== undefined &&
    !compileRegex('bodyRegex', spec.bodyRegex).test(response.body)
  )
    failures.push({ assertion: 'body', message: `body does not match /${spec.bodyRegex}/` })
  if (spec.json && spec.json.length > 0) failures.push(...evaluateJson(spec.json, response))
  return failures
}

function evaluateJson(assertions: JsonAssertion[], response: ResponseView): AssertionFailure[] {
  let document: unknown
  try {
    document = JSON.parse(response.body)
  } catch {
    const why = response.truncated ? 'body too large to parse as JSON' : 'body is not JSON'
    return [
      {
        assertion: 'json',
        message: `${why} (needed for ${assertions.map(a => a.path).join(', ')})`
      }
    ]
  }
  const { JSONPath } = parsers.jsonpath()
  const failures: AssertionFailure[] = []
  for (const assertion of assertions) {
    const matches = JSONPath({
      path: assertion.path,
      json: document as object,
      wrap: true
    }) as unknown[]
    if (assertion.exists === false) {
      if (matches.length > 0)
        failures.push({
          assertion: 'json',
          message: `${assertion.path} should not exist, found ${preview(matches[0])}`
        })
      continue
    }
    if (matches.length === 0) {
      failures.push({ assertion: 'json', message: `${assertion.path} not found` })
      continue
    }
    if (!('equals' in assertion)) continue
    const actual = matches.length === 1 ? matches[0] : matches
    if (!isDeepStrictEqual(actual, assertion.equals))
      failures.push({
        assertion: 'json',
        message: `${assertion.path} is ${preview(actual)}, expected ${preview(assertion.equals)}`
      })
  }
  return failures
}

function preview(value: unknown): string {
  return clip(JSON.stringify(value) ?? String(value), 120)
}

/** Shortens text for one-line messages: whitespace collapsed, an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
