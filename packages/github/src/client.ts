import type { GitHub } from '@actions/github/lib/utils'
import type { retry } from '@octokit/plugin-retry'
import type { throttling } from '@octokit/plugin-throttling'
import { UserError } from '@slipway/kit'

/** @actions/github's REST client with the retry and throttling plugins. */
export type GitHubClient = InstanceType<typeof GitHub> &
  ReturnType<typeof retry> &
  ReturnType<typeof throttling>

export interface ClientOptions {
  token: string
  /** REST base URL; defaults to GITHUB_API_URL so GitHub Enterprise Server works unchanged. */
  baseUrl?: string
  /** Retries after a rate limit (primary or secondary) before giving up. */
  rateLimitRetries?: number
  /** Retries for 5xx, timeouts and dropped connections (plugin-retry). */
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

// Connection refused and a name that does not resolve say the address is wrong (a mistyped
// GITHUB_API_URL, a GitHub Enterprise Server that is not there): retrying them at 1, 4 and 9 s
// only delays the error by 14 s. Resets, timeouts and 5xx stay retried.
const WRONG_ADDRESS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME'])

/**
 * The Octokit client every action uses: @actions/github's REST client plus retry (5xx,
 * timeouts, resets) and throttling (403/429 with retry-after), pointed at GITHUB_API_URL.
 *
 * Octokit, its plugins and undici are loaded by the first request, not here: an action that
 * stops at an input error or a dry run never parses them. Until then the client stands in for
 * the members Slipway calls (`rest.<scope>.<method>`, `request`, `paginate`,
 * `paginate.iterator`, `graphql`, `request.endpoint.DEFAULTS.baseUrl`).
 */
export function createGitHubClient(options: ClientOptions): GitHubClient {
  const baseUrl = (
    options.baseUrl ??
    process.env.GITHUB_API_URL ??
    'https://api.github.com'
  ).replace(/\/+$/, '')
  let loading: Promise<GitHubClient> | undefined
  const load = () => (loading ??= loadOctokit(options, baseUrl))
  return lazyClient(load, baseUrl)
}

async function loadOctokit(options: ClientOptions, baseUrl: string): Promise<GitHubClient> {
  const [{ GitHub, getOctokitOptions }, { retry }, { throttling }, { default: Bottleneck }] =
    await Promise.all([
      import('@actions/github/lib/utils'),
      import('@octokit/plugin-retry'),
      import('@octokit/plugin-throttling'),
      import('bottleneck')
    ])
  const SlipwayOctokit = GitHub.plugin(failFastOnWrongAddress, retry, throttling)
  const rateLimitRetries = options.rateLimitRetries ?? 3
  const log = options.log ?? (() => undefined)
  const writeIntervalMs = options.writeIntervalMs ?? writeIntervalFromEnvironment() ?? 1000
  const octokit = new SlipwayOctokit(
    getOctokitOptions(options.token, {
      baseUrl,
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
  // Registered after the plugins, so it sees the error the retries ended with.
  octokit.hook.error('request', error => {
    const code = wrongAddressCode(error)
    if (code === undefined) throw error
    throw new UserError(
      `GitHub's API at ${baseUrl} could not be reached: ${code === 'ECONNREFUSED' ? 'the connection was refused' : 'its host name does not resolve'} (${code}).`,
      'Check GITHUB_API_URL: it must be the REST API of github.com or of your GitHub Enterprise Server, such as https://ghes.example.com/api/v3.'
    )
  })
  return octokit as unknown as GitHubClient
}

/**
 * Runs before plugin-retry's error hook (plugins register their hooks in order, the first
 * innermost): a request that could not connect at all is given no retries.
 */
function failFastOnWrongAddress(octokit: {
  hook: {
    error(name: 'request', hook: (error: Error, options: { request: object }) => never): void
  }
}): void {
  octokit.hook.error('request', (error, options) => {
    if (wrongAddressCode(error) !== undefined) {
      options.request = { ...options.request, retries: 0 }
    }
    throw error
  })
}

/** The system error code of a request that never connected, anywhere in the error's causes. */
function wrongAddressCode(error: unknown): string | undefined {
  const seen = new Set<unknown>()
  const queue: unknown[] = [error]
  while (queue.length > 0 && seen.size < 20) {
    const next = queue.shift()
    if (typeof next !== 'object' || next === null || seen.has(next)) continue
    seen.add(next)
    const { code, cause, errors } = next as { code?: unknown; cause?: unknown; errors?: unknown }
    if (typeof code === 'string' && WRONG_ADDRESS.has(code)) return code
    queue.push(cause)
    if (Array.isArray(errors)) queue.push(...errors)
  }
  return undefined
}

const ROUTE = Symbol('slipway.github.route')
type Method = ((...args: unknown[]) => Promise<unknown>) & { [ROUTE]?: [string, string] }
type Loaded = Record<string, unknown> & {
  rest: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>
  paginate: ((...args: unknown[]) => Promise<unknown>) & {
    iterator(...args: unknown[]): AsyncIterable<unknown>
  }
  request(...args: unknown[]): Promise<unknown>
  graphql(...args: unknown[]): Promise<unknown>
}

/** The stand-in that loads Octokit with its first call and then forwards to it. */
function lazyClient(load: () => Promise<GitHubClient>, baseUrl: string): GitHubClient {
  const loaded = () => load() as unknown as Promise<Loaded>
  // paginate(client.rest.x.y, …) is given one of our stand-ins: it needs the real method.
  const real = (octokit: Loaded, route: unknown) => {
    const path = typeof route === 'function' ? (route as Method)[ROUTE] : undefined
    return path ? octokit.rest[path[0]][path[1]] : route
  }
  const scopes = new Map<string, Record<string, Method>>()
  const scope = (name: string) => {
    const methods = new Map<string, Method>()
    return new Proxy({} as Record<string, Method>, {
      get(_target, method) {
        if (typeof method !== 'string') return undefined
        let call = methods.get(method)
        if (!call) {
          call = Object.assign(
            async (...args: unknown[]) => (await loaded()).rest[name][method](...args),
            { [ROUTE]: [name, method] as [string, string] }
          )
          methods.set(method, call)
        }
        return call
      }
    })
  }
  const rest = new Proxy({} as Record<string, Record<string, Method>>, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined
      let methods = scopes.get(name)
      if (!methods) scopes.set(name, (methods = scope(name)))
      return methods
    }
  })
  const paginate = Object.assign(
    async (route: unknown, ...args: unknown[]) => {
      const octokit = await loaded()
      return octokit.paginate(real(octokit, route), ...args)
    },
    {
      iterator: (route: unknown, ...args: unknown[]) =>
        (async function* () {
          const octokit = await loaded()
          yield* octokit.paginate.iterator(real(octokit, route), ...args)
        })()
    }
  )
  const request = Object.assign(async (...args: unknown[]) => (await loaded()).request(...args), {
    endpoint: { DEFAULTS: { baseUrl } }
  })
  const graphql = async (...args: unknown[]) => (await loaded()).graphql(...args)
  return { rest, paginate, request, graphql } as unknown as GitHubClient
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
