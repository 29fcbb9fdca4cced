import autocannon from 'autocannon'

export interface LoadOptions {
  url: string
  durationMs: number
  connections?: number
  /** Requests per second across all connections (undefined: as fast as possible). */
  rate?: number
}

export interface LoadSample {
  /** ms since the load started */
  t: number
  status: number
  /** The first line of the body: the sample app answers its version. */
  version: string
}

export interface LoadResult {
  startedAt: number
  requests: number
  /** Network errors + timeouts + non-2xx: autocannon does not retry, so every one is real. */
  failures: number
  errors: number
  timeouts: number
  non2xx: number
  rps: number
  samples: LoadSample[]
  byVersion: Record<string, number>
}

/**
 * Bounded HTTP load with keep-alive connections that NEVER retries (autocannon), recording
 * which version answered every request over time. Failures are counted, not hidden.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  return startLoad(options).done
}

export interface LoadHandle {
  /** Stops early (the duration is then an upper bound) and resolves with the result. */
  stop(): Promise<LoadResult>
  done: Promise<LoadResult>
}

/** Starts load that runs until `stop()` or `durationMs`, whichever comes first. */
export function startLoad(options: LoadOptions): LoadHandle {
  const samples: LoadSample[] = []
  const startedAt = Date.now()
  const byVersion: Record<string, number> = {}
  let instance: { stop(): void } | undefined
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections ?? 10,
        duration: options.durationMs / 1000,
        overallRate: options.rate,
        timeout: 5,
        requests: [
          {
            method: 'GET',
            onResponse: (status: number, body: string) => {
              const version = String(body ?? '')
                .split('\n')[0]
                .trim()
              samples.push({ t: Date.now() - startedAt, status, version })
              if (status >= 200 && status < 300) byVersion[version] = (byVersion[version] ?? 0) + 1
            }
          }
        ]
      } as autocannon.Options,
      (error: Error | null, result: autocannon.Result) => (error ? reject(error) : resolve(result))
    ) as unknown as { stop(): void }
  }).then(result => summarize(result))
  const summarize = (result: autocannon.Result): LoadResult => {
    const non2xx = result.non2xx
    return {
      startedAt,
      requests: result.requests.total,
      failures: result.errors + result.timeouts + non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx,
      rps: result.requests.average,
      samples,
      byVersion
    }
  }
  return {
    done,
    stop() {
      instance?.stop()
      return done
    }
  }
}

/** Share of responses (2xx) from `version` among samples in [from, to) ms. */
export function shareOf(
  samples: LoadSample[],
  version: string,
  from: number,
  to: number
): { share: number; n: number } {
  const window = samples.filter(s => s.t >= from && s.t < to && s.status < 300)
  const hits = window.filter(s => s.version === version).length
  return { share: window.length ? hits / window.length : 0, n: window.length }
}
