/** One planned misbehaviour of the emulator, matched against incoming requests in order. */
export interface FaultSpec {
  method?: string
  /** Exact path, a prefix ending in `*`, or a RegExp tested against the path. */
  path?: string | RegExp
  /** HTTP status to answer instead of the real handler; omit for a delay-only fault. */
  status?: number
  /** How many matching requests it affects (default 1; Infinity for all). */
  times?: number
  retryAfterSeconds?: number
  delayMs?: number
  body?: unknown
  headers?: Record<string, string>
}

export interface ActiveFault extends FaultSpec {
  remaining: number
}

/**
 * Fault injection for retry/throttling tests. Bodies and headers follow what GitHub sends
 * and what @octokit/plugin-throttling looks for: a 403 is treated as a secondary rate limit
 * only when its message says "secondary rate limit"; 429 is always a rate limit.
 */
export class Faults {
  private readonly list: ActiveFault[] = []

  inject(spec: FaultSpec): void {
    if (spec.status === undefined && spec.delayMs === undefined)
      throw new Error('a fault needs a status, a delayMs, or both')
    this.list.push({ ...spec, remaining: spec.times ?? 1 })
  }

  clear(): void {
    this.list.length = 0
  }

  get pending(): readonly ActiveFault[] {
    return this.list.filter(f => f.remaining > 0)
  }

  /** Consumes and returns the first fault matching the request, if any. */
  take(method: string, path: string): ActiveFault | undefined {
    const fault = this.list.find(f => f.remaining > 0 && matches(f, method, path))
    if (fault) fault.remaining--
    return fault
  }
}

function matches(fault: FaultSpec, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method) return false
  if (fault.path === undefined) return true
  if (fault.path instanceof RegExp) return fault.path.test(path)
  if (fault.path.endsWith('*')) return path.startsWith(fault.path.slice(0, -1))
  return fault.path === path
}

/** The answer for a fault with a status: GitHub-shaped body and headers. */
export function faultResponse(fault: FaultSpec): {
  status: number
  headers: Record<string, string>
  body: unknown
} {
  const status = fault.status ?? 500
  const headers: Record<string, string> = { ...fault.headers }
  if (fault.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(fault.retryAfterSeconds)
  const docs = 'https://docs.github.com/rest'
  let body: unknown
  if (status === 403 && fault.retryAfterSeconds !== undefined) {
    body = {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      documentation_url: `${docs}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
      status: '403'
    }
  } else if (status === 403 && !fault.body) {
    // A plain 403 is a permission problem (GITHUB_TOKEN without the needed scope).
    body = {
      message: 'Resource not accessible by integration',
      documentation_url: docs,
      status: '403'
    }
  } else if (status === 429 || status === 403) {
    // A primary limit: x-ratelimit-remaining 0 with a reset time is what Octokit reads.
    headers['x-ratelimit-limit'] ??= '5000'
    headers['x-ratelimit-remaining'] ??= '0'
    headers['x-ratelimit-reset'] ??= String(
      Math.ceil(Date.now() / 1000) + (fault.retryAfterSeconds ?? 1)
    )
    body = { message: 'API rate limit exceeded', documentation_url: docs, status: String(status) }
  } else if (status === 422) {
    body = {
      message: 'Validation Failed',
      errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
      documentation_url: docs,
      status: '422'
    }
  } else if (status === 200) {
    // A 200 fault is a GraphQL error answer (POST /graphql): GitHub reports a field the token
    // may not read as `errors` beside `data`, with HTTP 200.
    body = {
      data: null,
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['repository', 'deployments'],
          locations: [{ line: 3, column: 5 }],
          message: 'Resource not accessible by integration'
        }
      ]
    }
  } else if (status >= 500) {
    body = {
      message: status === 502 ? 'Server Error' : 'Internal Server Error',
      status: String(status)
    }
  } else {
    body = { message: 'Injected fault', documentation_url: docs, status: String(status) }
  }
  return { status, headers, body: fault.body ?? body }
}
