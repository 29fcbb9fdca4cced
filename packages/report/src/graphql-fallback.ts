/**
 * Whether a failed GraphQL history read may be repeated with REST, and why. GraphQL can be
 * missing (404, 501: an old GitHub Enterprise Server, a proxy that passes only REST), refuse
 * the token (403: a fine-grained token or an app without GraphQL access to deployments), or
 * answer 200 with `errors` (FORBIDDEN, timeouts of a costly query): REST may still read the
 * same history. A rate limit is different: REST shares it, so the error surfaces instead of
 * adding calls (the throttling plugin has already waited and retried by then).
 */
export function graphqlFallbackReason(error: unknown): string | undefined {
  if (isRateLimit(error)) return undefined
  const failure = error as { status?: number; message?: string; errors?: unknown }
  const messages = graphqlErrorMessages(failure.errors)
  if (messages) return `GraphQL answered errors (${clip(messages)})`
  switch (failure.status) {
    case 403:
      return `GraphQL refused the token (403: ${clip(firstLine(failure.message))})`
    case 404:
      return 'GraphQL is not available here (404)'
    case 501:
      return 'GraphQL is not implemented here (501)'
    default:
      return undefined
  }
}

/** A primary or secondary rate limit, from REST's headers or GraphQL's RATE_LIMITED error. */
function isRateLimit(error: unknown): boolean {
  const failure = error as {
    status?: number
    message?: string
    errors?: { type?: string }[]
    response?: { headers?: Record<string, string | undefined>; data?: unknown }
  }
  if (failure.status === 429) return true
  const data = failure.response?.data as { errors?: { type?: string }[] } | undefined
  const errors = [...(Array.isArray(failure.errors) ? failure.errors : []), ...(data?.errors ?? [])]
  if (errors.some(e => e?.type === 'RATE_LIMITED')) return true
  if (/\brate limit\b/i.test(failure.message ?? '')) return true
  const headers = failure.response?.headers ?? {}
  return (
    failure.status === 403 &&
    (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined)
  )
}

/** The messages of a GraphqlResponseError (a 200 whose body carries `errors`). */
function graphqlErrorMessages(errors: unknown): string | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined
  return errors
    .map(e => {
      const { type, message } = (e ?? {}) as { type?: string; message?: string }
      return [type, message].filter(Boolean).join(': ') || 'unknown error'
    })
    .join('; ')
}

const firstLine = (text: string | undefined): string => (text ?? '').split('\n')[0].trim()

/** A reason stays one short line in the log and the summary. */
function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  const points = [...line]
  return points.length <= 160 ? line : `${points.slice(0, 159).join('')}…`
}
