import { GitHub, getOctokitOptions } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'

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
  /**
   * Minimum time between writes. GitHub asks integrators to space mutating requests about a
   * second apart to avoid secondary rate limits, which is the default; GitHub Enterprise
   * Server without such limits (or the test emulator) can lower it with
   * SLIPWAY_GITHUB_WRITE_INTERVAL_MS.
   */
  writeIntervalMs?: number
}

// A 409 (e.g. create-deployment's failed status checks), a 429 and a 501 are answers, not
// outages: retrying a 409 only delays the error, a 429 belongs to the throttling plugin, which
// honours its retry-after header, and a 501 (no such endpoint here, e.g. GraphQL behind a
// REST-only proxy) stays one, so the report reads with REST at once.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451, 501]

/**
 * The Octokit client every action uses: @actions/github's REST client plus retry (5xx,
 * network errors) and throttling (403/429 with retry-after), pointed at GITHUB_API_URL.
 */
export function createGitHubClient(options: ClientOptions): GitHubClient {
  const baseUrl = options.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com'
  const rateLimitRetries = options.rateLimitRetries ?? 3
  const log = options.log ?? (() => undefined)
  const writeIntervalMs = options.writeIntervalMs ?? writeIntervalFromEnvironment() ?? 1000
  return new SlipwayOctokit(
    getOctokitOptions(options.token, {
      baseUrl: baseUrl.replace(/\/+$/, ''),
      userAgent: 'slipway',
      retry: { retries: options.retries ?? 3, doNotRetry: DO_NOT_RETRY },
      throttle: {
        write: new Bottleneck.Group({
          id: 'slipway-write',
          maxConcurrent: 1,
          minTime: writeIntervalMs
        }),
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

function writeIntervalFromEnvironment(): number | undefined {
  const text = process.env.SLIPWAY_GITHUB_WRITE_INTERVAL_MS
  if (text === undefined || !/^\d+$/.test(text)) return undefined
  return Number(text)
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
