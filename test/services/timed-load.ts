// Load clients that sample by elapsed time, for the router bench (bench/routers.mjs): which
// version answered at which millisecond, every failure counted, nothing retried. Tests judge
// cutovers by events instead: they use the tagged load of load.ts.
import { Agent, request as httpRequest } from 'node:http'
import type { EventEmitter } from 'node:events'
import autocannon from 'autocannon'

export interface Sample {
  /** ms since the load started */
  t: number
  version: string
}

export interface TimedLoadResult {
  requests: number
  responses: number
  errors: number
  timeouts: number
  non2xx: number
  /** Requests sent on a connection the server then closed without answering (autocannon would silently resend). */
  lost: number
  /**
   * Requests autocannon wrote on a connection after the server's `Connection: close` response
   * (a conforming client opens a new connection instead): reported, not counted as failures.
   */
  sentAfterClose: number
  /** errors + timeouts + non-2xx + lost */
  failed: number
  samples: Sample[]
  durationMs: number
  requestsPerSecond: number
  errorCodes: Record<string, number>
}

export interface RunningTimedLoad {
  /** ms since the load started (same clock as samples). */
  now(): number
  /** The responses recorded so far. */
  samples(): Sample[]
  done: Promise<TimedLoadResult>
}

/**
 * Starts autocannon (as a library) against `url`: `connections` keep-alive connections,
 * pipelining 1, bounded by `durationMs`, optionally capped at `rate` requests/s overall.
 * Nothing is retried: every reset, timeout, non-2xx or silently lost request is counted.
 */
export function startTimedLoad(options: {
  url: string
  connections?: number
  durationMs: number
  rate?: number
  timeoutS?: number
}): RunningTimedLoad {
  const started = Date.now()
  const samples: Sample[] = []
  const errorCodes: Record<string, number> = {}
  let lost = 0
  let sentAfterClose = 0
  let errorsAfterClose = 0
  let sent = 0
  let responses = 0
  let finish: (error: Error | null, result: autocannon.Result) => void = () => undefined
  const done = new Promise<TimedLoadResult>((resolve, reject) => {
    finish = (error, result) => {
      if (error) return reject(error)
      const durationMs = Date.now() - started
      const non2xx = result.non2xx ?? 0
      const errors = (result.errors ?? 0) - (result.timeouts ?? 0) - errorsAfterClose
      const timeouts = result.timeouts ?? 0
      resolve({
        requests: sent,
        responses,
        errors,
        timeouts,
        non2xx,
        lost,
        sentAfterClose: sentAfterClose + errorsAfterClose,
        failed: errors + timeouts + non2xx + lost,
        samples,
        durationMs,
        requestsPerSecond: Math.round((responses * 1000) / durationMs),
        errorCodes
      })
    }
  })
  autocannon(
    {
      url: options.url,
      connections: options.connections ?? 16,
      pipelining: 1,
      duration: Math.max(1, Math.round(options.durationMs / 1000)),
      timeout: options.timeoutS ?? 3,
      overallRate: options.rate,
      setupClient: (client: EventEmitter) => {
        let pending = false
        let body = ''
        // Did the last response say `Connection: close`? autocannon still writes the next request
        // on that connection; a conforming client would not, so such requests are not failures.
        let saidClose = false
        let pendingOnClosing = false
        client.on(
          'headers',
          (info: { shouldKeepAlive?: boolean }) => (saidClose = info.shouldKeepAlive === false)
        )
        client.on('request', () => {
          if (pending) {
            // With pipelining 1, a new request while one is pending means the server closed the
            // connection without answering and autocannon silently started over on a new one.
            if (pendingOnClosing) sentAfterClose++
            else lost++
            pendingOnClosing = false
          } else pendingOnClosing = saidClose
          saidClose = false
          pending = true
          sent++
          body = ''
        })
        client.on('body', (chunk: Buffer) => (body += chunk.toString()))
        client.on('response', () => {
          pending = false
          responses++
          samples.push({ t: Date.now() - started, version: body })
        })
        client.on('connError', (error: NodeJS.ErrnoException) => {
          if (pending && pendingOnClosing) errorsAfterClose++
          else {
            const code = error.code ?? error.message
            errorCodes[code] = (errorCodes[code] ?? 0) + 1
          }
          pending = false
          pendingOnClosing = false
          saidClose = false
        })
        client.on('timeout', () => {
          pending = false
        })
      }
    } as unknown as autocannon.Options,
    (error: Error | null, result: autocannon.Result) => finish(error, result)
  )
  return { now: () => Date.now() - started, samples: () => samples, done }
}

/** Share of responses per version among samples in [from, to). */
export function shares(samples: Sample[], from: number, to: number): Record<string, number> {
  const window = samples.filter(s => s.t >= from && s.t < to)
  const counts: Record<string, number> = {}
  for (const s of window) counts[s.version] = (counts[s.version] ?? 0) + 1
  return Object.fromEntries(
    Object.entries(counts).map(([v, n]) => [v, Math.round((n * 1000) / window.length) / 10])
  )
}

/** ms from `since` until the last response of any version other than `version` (0 if none came after). */
export function cutoverMs(samples: Sample[], since: number, version: string): number {
  let last = since
  for (const s of samples) if (s.t >= since && s.version !== version && s.t > last) last = s.t
  return last - since
}

export const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * A second, HTTP-conforming client: node:http with a keep-alive Agent (16 sockets), each worker
 * paced to `rate / connections` requests per second, no retry. It honours `Connection: close`,
 * so every failure it sees is the server's: a reused idle connection closed under it
 * (ECONNRESET / socket hang up), a timeout or a non-2xx.
 */
export function startTimedAgentLoad(options: {
  url: string
  connections?: number
  durationMs: number
  rate: number
  timeoutMs?: number
}): RunningTimedLoad {
  const started = Date.now()
  const connections = options.connections ?? 16
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections })
  const samples: Sample[] = []
  const errorCodes: Record<string, number> = {}
  let sent = 0
  let responses = 0
  let errors = 0
  let timeouts = 0
  let non2xx = 0
  const interval = (connections * 1000) / options.rate
  const one = (): Promise<void> =>
    new Promise(resolve => {
      sent++
      const req = httpRequest(options.url, { agent, timeout: options.timeoutMs ?? 3000 }, res => {
        let body = ''
        res.on('data', chunk => (body += chunk))
        res.on('end', () => {
          responses++
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) non2xx++
          samples.push({ t: Date.now() - started, version: body })
          resolve()
        })
        res.on('error', () => resolve())
      })
      req.on('timeout', () => {
        timeouts++
        req.destroy(new Error('timeout'))
      })
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.message !== 'timeout') {
          errors++
          const code = error.code ?? error.message
          errorCodes[code] = (errorCodes[code] ?? 0) + 1
        }
        resolve()
      })
      req.end()
    })
  const worker = async (offset: number): Promise<void> => {
    for (let k = 0; k < 1_000_000; k++) {
      const due = started + offset + k * interval
      if (due >= started + options.durationMs) return
      const wait = due - Date.now()
      if (wait > 0) await sleep(wait)
      await one()
    }
  }
  const done = Promise.all(
    Array.from({ length: connections }, (_, i) => worker((i * interval) / connections))
  ).then(() => {
    agent.destroy()
    const durationMs = Date.now() - started
    return {
      requests: sent,
      responses,
      errors,
      timeouts,
      non2xx,
      lost: 0,
      sentAfterClose: 0,
      failed: errors + timeouts + non2xx,
      samples,
      durationMs,
      requestsPerSecond: Math.round((responses * 1000) / durationMs),
      errorCodes
    }
  })
  return { now: () => Date.now() - started, samples: () => samples, done }
}
