import autocannon from 'autocannon'
import { Agent, request as httpRequest } from 'node:http'

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

// ---------- load tagged by sequence number: assertions from events, not from clock windows ----------

/** One answer, tagged with the sequence number its request got when it was written. */
export interface TaggedAnswer {
  /** Order in which requests were written (0, 1, 2, … across all connections). */
  seq: number
  status: number
  /** The body's first line: the versioned servers answer their version. */
  version: string
}

/** A request that did not get a 2xx answer. Nothing is retried, so every one is real. */
export interface TaggedFailure {
  seq: number
  /**
   * `error`: the connection failed (code in `code`); `timeout`: no answer in time; `lost`: the
   * server closed the connection without answering (autocannon then writes a new request);
   * `status`: a non-2xx answer; `after-close`: autocannon wrote it on a connection whose last
   * answer said `Connection: close` (a conforming client opens a new one: the client's fault,
   * reported apart from the server's failures).
   */
  kind: 'error' | 'timeout' | 'lost' | 'status' | 'after-close'
  code: string
}

export interface TaggedLoadOptions {
  url: string
  /** `autocannon` (raw keep-alive, the field's load tool) or `agent` (node:http, HTTP-conforming). */
  client?: 'autocannon' | 'agent'
  connections?: number
  /** Requests per second across all connections: keeps 2 shared cores usable. */
  rate: number
  /** A deadline, not a measurement: the load stops by itself after this long. Default 60s. */
  maxDurationMs?: number
  requestTimeoutMs?: number
}

export interface TaggedLoadResult {
  /** Requests written. */
  sent: number
  answers: TaggedAnswer[]
  failures: TaggedFailure[]
  /** Written but neither answered nor failed when the load was stopped (at most one per connection). */
  inFlightAtStop: number
}

export interface TaggedLoad {
  /**
   * The sequence number the next request will get. Call it right after a change returned:
   * every request with `seq >= mark` was written after the change took effect.
   */
  mark(): number
  /** Answers received so far (a copy): what was answered before the moment of the call. */
  answered(): TaggedAnswer[]
  /** Failures so far (a copy). */
  failures(): TaggedFailure[]
  /**
   * Resolves once `count` answers to requests with `seq >= from` arrived; rejects after
   * `timeoutMs` or when the load ended first, saying how many came.
   */
  waitForAnswers(from: number, count: number, timeoutMs?: number): Promise<void>
  /** Stops sending and resolves with everything recorded. */
  stop(): Promise<TaggedLoadResult>
}

/** Answers to requests written in [from, to), by version, in percent (one decimal). */
export function versionShares(
  answers: TaggedAnswer[],
  from: number,
  to = Infinity
): Record<string, number> {
  const window = answers.filter(a => a.seq >= from && a.seq < to)
  const counts: Record<string, number> = {}
  for (const a of window) counts[a.version] = (counts[a.version] ?? 0) + 1
  return Object.fromEntries(
    Object.entries(counts).map(([v, n]) => [v, Math.round((n * 1000) / window.length) / 10])
  )
}

/**
 * Starts a load that NEVER retries and tags every request with a sequence number when it is
 * written, so a test can ask "which server answered the requests written after the switch call
 * returned" instead of measuring time windows that a busy machine stretches.
 */
export function startTaggedLoad(options: TaggedLoadOptions): TaggedLoad {
  const state = new TaggedState()
  const stopClient =
    options.client === 'agent' ? runAgentClient(options, state) : runAutocannon(options, state)
  let stopped: Promise<TaggedLoadResult> | undefined
  return {
    mark: () => state.sent,
    answered: () => [...state.answers],
    failures: () => [...state.failureList],
    waitForAnswers: (from, count, timeoutMs = 20_000) =>
      state.waitForAnswers(from, count, timeoutMs),
    stop: () => {
      stopped ??= stopClient().then(() => state.result())
      return stopped
    }
  }
}

interface Waiter {
  from: number
  count: number
  /** Answers to requests from `from` on, counted as they arrive (no rescans: O(1) each). */
  seen: number
  resolve(): void
}

/** What both clients record; wakes waiters on each answer. */
class TaggedState {
  sent = 0
  readonly answers: TaggedAnswer[] = []
  readonly failureList: TaggedFailure[] = []
  private readonly pending = new Set<number>()
  private waiters: Waiter[] = []
  private ended = false

  /** Takes the next sequence number for a request about to be written. */
  write(): number {
    const seq = this.sent++
    this.pending.add(seq)
    return seq
  }

  answer(seq: number, status: number, body: string): void {
    if (!this.pending.delete(seq)) return
    const version = body.split('\n')[0].trim()
    this.answers.push({ seq, status, version })
    if (status < 200 || status > 299) {
      this.failureList.push({ seq, kind: 'status', code: String(status) })
    }
    this.wake()
  }

  fail(seq: number, kind: TaggedFailure['kind'], code: string): void {
    if (!this.pending.delete(seq)) return
    this.failureList.push({ seq, kind, code })
  }

  /** A failure found after the request was already counted (a timeout after autocannon moved on). */
  reclassify(seq: number, kind: TaggedFailure['kind']): void {
    const failure = this.failureList.find(f => f.seq === seq)
    if (failure) failure.kind = kind
  }

  isPending(seq: number): boolean {
    return this.pending.has(seq)
  }

  waitForAnswers(from: number, count: number, timeoutMs: number): Promise<void> {
    if (this.countFrom(from) >= count) return Promise.resolve()
    if (this.ended) return Promise.reject(this.shortOf(from, count, 'the load had ended'))
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        from,
        count,
        seen: this.countFrom(from),
        resolve: () => {
          clearTimeout(timer)
          resolve()
        }
      }
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter(w => w !== waiter)
        reject(this.shortOf(from, count, `${timeoutMs}ms passed`))
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  end(): void {
    this.ended = true
  }

  result(): TaggedLoadResult {
    return {
      sent: this.sent,
      answers: [...this.answers],
      failures: [...this.failureList],
      inFlightAtStop: this.pending.size
    }
  }

  private countFrom(from: number): number {
    let n = 0
    for (let i = this.answers.length - 1; i >= 0; i--) if (this.answers[i].seq >= from) n++
    return n
  }

  private shortOf(from: number, count: number, why: string): Error {
    return new Error(
      `Expected ${count} answers to requests from #${from}, got ${this.countFrom(from)} before ${why} (${this.sent} sent, ${this.failureList.length} failed)`
    )
  }

  private wake(): void {
    if (this.waiters.length === 0) return
    const last = this.answers[this.answers.length - 1]
    const still: Waiter[] = []
    for (const w of this.waiters) {
      if (last.seq >= w.from) w.seen++
      if (w.seen >= w.count) w.resolve()
      else still.push(w)
    }
    this.waiters = still
  }
}

/** The autocannon client event names used below (its typings do not list them). */
interface AutocannonClient {
  on(event: 'request' | 'timeout', listener: () => void): void
  on(event: 'response', listener: (status: number) => void): void
  on(event: 'body', listener: (chunk: Buffer) => void): void
  on(event: 'headers', listener: (info: { shouldKeepAlive?: boolean }) => void): void
  on(event: 'connError', listener: (error: NodeJS.ErrnoException) => void): void
}

/**
 * autocannon with pipelining 1: a connection has at most one request outstanding, so the
 * answer (or the error) belongs to the request it wrote last. autocannon writes a fresh request
 * when a connection breaks; the one left unanswered is recorded as `lost`, never resent.
 */
function runAutocannon(options: TaggedLoadOptions, state: TaggedState): () => Promise<void> {
  let finished: () => void = () => undefined
  const done = new Promise<void>(resolve => (finished = resolve))
  const instance = autocannon(
    {
      url: options.url,
      connections: options.connections ?? 16,
      pipelining: 1,
      duration: Math.ceil((options.maxDurationMs ?? 60_000) / 1000),
      timeout: Math.ceil((options.requestTimeoutMs ?? 5000) / 1000),
      overallRate: options.rate,
      setupClient: (client: AutocannonClient) => {
        let current = -1
        // A request found unanswered when autocannon wrote the next one (it reconnects and writes
        // before it reports a timeout): the timeout that follows is about this one.
        let leftUnanswered = -1
        let body = ''
        // Did the last answer say `Connection: close`? Then the request written next on this
        // connection was written where a conforming client would not write it.
        let saidClose = false
        let writtenAfterClose = false
        client.on('request', () => {
          leftUnanswered = -1
          if (current >= 0 && state.isPending(current)) {
            state.fail(current, writtenAfterClose ? 'after-close' : 'lost', 'unanswered')
            leftUnanswered = current
          }
          current = state.write()
          writtenAfterClose = saidClose
          saidClose = false
          body = ''
        })
        client.on('headers', info => (saidClose = info.shouldKeepAlive === false))
        client.on('body', chunk => (body += chunk.toString()))
        client.on('response', status => state.answer(current, status, body))
        client.on('connError', error =>
          state.fail(
            current,
            writtenAfterClose ? 'after-close' : 'error',
            error.code ?? error.message
          )
        )
        client.on('timeout', () => {
          if (state.isPending(current)) state.fail(current, 'timeout', 'no answer')
          else if (leftUnanswered >= 0) state.reclassify(leftUnanswered, 'timeout')
        })
      }
    } as unknown as autocannon.Options,
    () => {
      state.end()
      finished()
    }
  ) as unknown as { stop(): void }
  return async () => {
    instance.stop()
    await done
  }
}

/**
 * node:http with a keep-alive Agent: `connections` workers, each writing its next request when
 * the last one ended, paced to `rate` overall. It honours `Connection: close`, so a failure it
 * sees is the server's. No retry.
 */
function runAgentClient(options: TaggedLoadOptions, state: TaggedState): () => Promise<void> {
  const connections = options.connections ?? 16
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections })
  const gapMs = (connections * 1000) / options.rate
  const deadline = Date.now() + (options.maxDurationMs ?? 60_000)
  let stopping = false
  const one = (): Promise<void> =>
    new Promise(resolve => {
      const seq = state.write()
      // Exactly one outcome per request, and always one: a timed-out request is destroyed without
      // an 'error' event, and an answer cut short may end in 'close' alone.
      let settled = false
      const settle = (record: () => void): void => {
        if (settled) return
        settled = true
        record()
        resolve()
      }
      let answered = false
      const req = httpRequest(
        options.url,
        { agent, timeout: options.requestTimeoutMs ?? 5000 },
        res => {
          answered = true
          let body = ''
          res.on('data', chunk => (body += chunk))
          res.on('end', () => settle(() => state.answer(seq, res.statusCode ?? 0, body)))
          res.on('error', error =>
            settle(() =>
              state.fail(seq, 'error', (error as NodeJS.ErrnoException).code ?? error.message)
            )
          )
          res.on('close', () => settle(() => state.fail(seq, 'error', 'answer cut short')))
        }
      )
      req.on('timeout', () => {
        settle(() => state.fail(seq, 'timeout', 'no answer'))
        req.destroy()
      })
      req.on('error', (error: NodeJS.ErrnoException) =>
        settle(() => state.fail(seq, 'error', error.code ?? error.message))
      )
      req.on('close', () => {
        if (!answered) settle(() => state.fail(seq, 'error', 'closed before an answer'))
      })
      req.end()
    })
  const worker = async (): Promise<void> => {
    // bounded: the deadline ends it even if `stop` is never called
    for (let i = 0; i < 10_000_000 && !stopping && Date.now() < deadline; i++) {
      await one()
      if (gapMs >= 1) await new Promise(resolve => setTimeout(resolve, gapMs))
    }
  }
  const done = Promise.all(Array.from({ length: connections }, worker)).then(() => {
    state.end()
    agent.destroy()
  })
  return async () => {
    stopping = true
    await done
  }
}
