// A non-retrying load client that opens a new connection for every request: through a
// Service's TCP proxy each request then meets the endpoints as they are when it is written,
// and no request can be written on an idle keep-alive connection a pod closes on SIGTERM (a
// race of HTTP/1.1 keep-alive that is the app's to handle, not the deploy's). Bounded by a
// request count and a deadline; every request is tagged with its sequence number.
import { request } from 'node:http'
import type { TaggedAnswer, TaggedFailure, TaggedLoadResult } from '../services/load.js'

export interface ConnectionLoadOptions {
  url: string
  /** Concurrent workers (default 4). */
  connections?: number
  /** Requests per second across all workers: keeps shared cores usable. */
  rate: number
  /** At most this many requests (default 20 000). */
  maxRequests?: number
  /** A deadline, not a measurement (default 120 s). */
  maxDurationMs?: number
  requestTimeoutMs?: number
}

export interface ConnectionLoad {
  /** The sequence number the next request gets: requests from it on were written after now. */
  mark(): number
  /** Resolves once `count` answers to requests with `seq >= from` arrived. */
  waitForAnswers(from: number, count: number, timeoutMs?: number): Promise<void>
  stop(): Promise<TaggedLoadResult>
}

export function startConnectionLoad(options: ConnectionLoadOptions): ConnectionLoad {
  const connections = options.connections ?? 4
  const maxRequests = options.maxRequests ?? 20_000
  const deadline = Date.now() + (options.maxDurationMs ?? 120_000)
  const gapMs = (connections * 1000) / options.rate
  const answers: TaggedAnswer[] = []
  const failures: TaggedFailure[] = []
  let sent = 0
  let stopping = false
  let waiters: { from: number; count: number; resolve(): void }[] = []
  const countFrom = (from: number) => answers.filter(a => a.seq >= from).length
  const wake = () => {
    waiters = waiters.filter(w => {
      if (countFrom(w.from) < w.count) return true
      w.resolve()
      return false
    })
  }

  const one = (): Promise<void> =>
    new Promise(resolve => {
      const seq = sent++
      let settled = false
      const fail = (kind: TaggedFailure['kind'], code: string) => {
        if (settled) return
        settled = true
        failures.push({ seq, kind, code })
        resolve()
      }
      const req = request(
        options.url,
        { agent: false, timeout: options.requestTimeoutMs ?? 5000 },
        res => {
          let body = ''
          res.on('data', chunk => (body += chunk))
          res.on('error', error => fail('error', (error as NodeJS.ErrnoException).code ?? 'error'))
          res.on('end', () => {
            if (settled) return
            settled = true
            const status = res.statusCode ?? 0
            answers.push({ seq, status, version: body.split('\n')[0].trim() })
            if (status < 200 || status > 299)
              failures.push({ seq, kind: 'status', code: `${status}` })
            wake()
            resolve()
          })
          // A response cut short ends with 'close' and no 'end': still one outcome, never a hang.
          res.on('close', () => fail('lost', 'closed before the end of the answer'))
        }
      )
      req.on('timeout', () => {
        fail('timeout', 'no answer')
        req.destroy()
      })
      req.on('error', (error: NodeJS.ErrnoException) => fail('error', error.code ?? error.message))
      req.on('close', () => fail('lost', 'closed without an answer'))
      req.end()
    })

  const worker = async (): Promise<void> => {
    while (!stopping && sent < maxRequests && Date.now() < deadline) {
      await one()
      await new Promise(resolve => setTimeout(resolve, gapMs))
    }
  }
  const done = Promise.all(Array.from({ length: connections }, worker)).then(() => {
    stopping = true
    for (const w of waiters) w.resolve()
    waiters = []
  })

  return {
    mark: () => sent,
    waitForAnswers(from, count, timeoutMs = 60_000) {
      if (countFrom(from) >= count) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `expected ${count} answers to requests from #${from}, got ${countFrom(from)} in ${timeoutMs}ms (${failures.length} failed)`
              )
            ),
          timeoutMs
        )
        waiters.push({
          from,
          count,
          resolve: () => {
            clearTimeout(timer)
            if (countFrom(from) >= count) resolve()
            else reject(new Error(`the load ended with ${countFrom(from)} of ${count} answers`))
          }
        })
      })
    },
    async stop() {
      stopping = true
      await done
      return { sent, answers: [...answers], failures: [...failures], inFlightAtStop: 0 }
    }
  }
}
