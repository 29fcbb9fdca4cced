/**
 * GitHub.com serves GraphQL at api.github.com/graphql, GitHub Enterprise Server at
 * <host>/api/graphql while its REST API is <host>/api/v3; octokit.graphql appends /graphql.
 */
export function graphqlBaseUrl(restBaseUrl: string): string {
  const base = restBaseUrl.replace(/\/+$/, '')
  return base.endsWith('/api/v3') ? base.slice(0, -'/v3'.length) : base
}

/**
 * GraphQL is not there (404, 501: an old GitHub Enterprise Server, a REST-only proxy) or does
 * not let this token read what the query asks (403, or 200 with FORBIDDEN errors), while REST
 * can still answer the same questions, at more calls. A rate limit is shared with REST: it is
 * not a reason to fall back, and fails the call instead.
 */
export function graphqlUnavailable(error: unknown): boolean {
  const failure = error as {
    status?: number
    message?: string
    errors?: { type?: string }[]
    response?: { headers?: Record<string, string | undefined> }
  }
  const errors = Array.isArray(failure.errors) ? failure.errors : []
  if (errors.some(e => e?.type === 'RATE_LIMITED')) return false
  if (/\brate limit\b/i.test(failure.message ?? '')) return false
  if (errors.some(e => e?.type === 'FORBIDDEN' || e?.type === 'NOT_FOUND')) return true
  const headers = failure.response?.headers ?? {}
  if (failure.status === 403)
    return headers['x-ratelimit-remaining'] !== '0' && headers['retry-after'] === undefined
  return failure.status === 404 || failure.status === 501
}
