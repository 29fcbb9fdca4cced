import { GitHub, getOctokitOptions } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'

const SlipwayOctokit = GitHub.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof SlipwayOctokit>

export interface ClientOptions {
  token: string
  /** REST base URL; defaults to GITHUB_API_URL so GitHub Enterprise Server works unchanged. */
  baseUrl?: string
  /** Retries after a rate limit (primary or secondary) before giving up. */
  rateLimitRetries?: number
  /** Retries for 5xx and network errors (plugin-retry). */
  retries?: number
  log?: (message: string) => void
}

/**
 * The Octokit client every action uses: @actions/github's REST client plus retry (5xx,
 * network errors) and throttling (403/429 with retry-after), pointed at GITHUB_API_URL.
 */
export function createGitHubClient(options: ClientOptions): GitHubClient {
  const baseUrl = options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com'
  const rateLimitRetries = options.rateLimitRetries ?? 3
  const log = options.log ?? (() => undefined)
  return new SlipwayOctokit(
    getOctokitOptions(options.token, {
      baseUrl: baseUrl.replace(/\/+$/, ''),
      userAgent: 'slipway',
      retry: { retries: options.retries ?? 3 },
      throttle: {
        onRateLimit: (
          retryAfter: number,
          request: { method: string; url: string },
          _octokit: unknown,
          retryCount: number
        ) => {
          log(
            `Rate limited on ${request.method} ${request.url}; retrying after ${retryAfter}s (${retryCount + 1}/${rateLimitRetries})`
          )
          return retryCount < rateLimitRetries
        },
        onSecondaryRateLimit: (
          retryAfter: number,
          request: { method: string; url: string },
          _octokit: unknown,
          retryCount: number
        ) => {
          log(
            `Secondary rate limit on ${request.method} ${request.url}; retrying after ${retryAfter}s (${retryCount + 1}/${rateLimitRetries})`
          )
          return retryCount < rateLimitRetries
        }
      }
    })
  )
}

export interface RepoRef {
  owner: string
  repo: string
}

/** Parses `owner/name` (the `repository` input or GITHUB_REPOSITORY); undefined when malformed. */
export function parseRepository(text: string | undefined): RepoRef | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)$/.exec(text?.trim() ?? '')
  return match ? { owner: match[1], repo: match[2] } : undefined
}
