import { UserError } from './errors.js'

/** What a request needs from the job's token, for the message when GitHub refuses it. */
export interface GitHubCall {
  /** What the request does, after "GitHub refused to": `create a deployment`. */
  what: string
  /** The job permission it needs, as written under `permissions:`: `deployments: write`. */
  permission: string
  /**
   * GitHub answers 404 rather than 403 on a private repository the token cannot see. Where the
   * thing asked for cannot be absent (the repository's deployments, its check runs), a 404 is
   * that refusal; where it can (one deployment by id), the caller decides what a 404 means.
   */
  notFoundIsRefusal?: boolean
}

/**
 * GitHub's refusal of a request, which the user fixes with a token or a permission. It keeps the
 * HTTP status, so code that converges on a status (a 404 meaning "not there yet") reads it as
 * it read Octokit's error, and the Octokit error as its cause.
 */
export class GitHubRefusal extends UserError {
  readonly status: number
  readonly endpoint: string
  readonly permission: string

  constructor(message: string, hint: string, details: GitHubRefusalDetails) {
    super(message, hint)
    this.name = 'GitHubRefusal'
    this.status = details.status
    this.endpoint = details.endpoint
    this.permission = details.permission
    this.cause = details.cause
  }
}

interface GitHubRefusalDetails {
  status: number
  endpoint: string
  permission: string
  cause: unknown
}

/**
 * The user-fixable form of an Octokit error: a 401 (the token is not accepted), a 403 that is
 * not a rate limit (the token lacks the permission), or a 404 where `call` says it means the
 * repository is out of the token's sight. Anything else is returned as it was.
 */
export function refusalOf(error: unknown, call: GitHubCall): unknown {
  const status = statusOf(error)
  if (status === undefined) return error
  const refused =
    status === 401 ||
    (status === 403 && !isRateLimit(error)) ||
    (status === 404 && call.notFoundIsRefusal === true)
  if (!refused) return error
  const endpoint = endpointOf(error)
  const answer = `${status}${endpoint ? ` on ${endpoint}` : ''}: ${(error as Error).message}`
  const details = { status, endpoint, permission: call.permission, cause: error }
  if (status === 401)
    return new GitHubRefusal(
      `GitHub did not accept the token when asked to ${call.what} (${answer})`,
      'pass a valid token (`token: ${{ github.token }}`, or a personal access token that has not expired or been revoked)',
      details
    )
  if (status === 404)
    return new GitHubRefusal(
      `GitHub found no repository to ${call.what} in (${answer})`,
      `check the repository (the repository input or GITHUB_REPOSITORY) and that the token can see it, with \`permissions: ${call.permission}\` for this job`,
      details
    )
  // The permission is in the message too: a probe reports a failure by its message alone.
  return new GitHubRefusal(
    `GitHub refused to ${call.what}: the token lacks \`${call.permission}\` (${answer})`,
    `grant the job \`permissions: ${call.permission}\` (or use a token that has it)`,
    details
  )
}

/** Runs one GitHub request (or a paginated series), turning GitHub's refusal into a GitHubRefusal. */
export async function requestAs<T>(call: GitHubCall, request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (error) {
    throw refusalOf(error, call)
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

// A rate limit is a 403 (or 429) too; the throttling plugin has already waited and retried it,
// and no permission would have helped.
function isRateLimit(error: unknown): boolean {
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } })
    .response?.headers
  if (headers?.['x-ratelimit-remaining'] === '0') return true
  return /rate limit/i.test((error as Error).message ?? '')
}

/** `POST /repos/o/r/deployments`: the method and path, without the API's host or the query. */
function endpointOf(error: unknown): string {
  const request = (error as { request?: { method?: string; url?: string } }).request
  if (!request?.url) return ''
  return `${request.method ?? 'GET'} ${pathOf(request.url)}`
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return url.split('?')[0]
  }
}
