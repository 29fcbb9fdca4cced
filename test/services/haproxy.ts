// Real routers for tests and bench: HAProxy (runtime API) and nginx (reload), small versioned
// HTTP backends, and a NON-retrying load client (autocannon) that records which version
// answered each request and counts every failure, including requests silently lost when a
// server closes a keep-alive connection under them.
import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, createServer, request as httpRequest, type Server } from 'node:http'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import type { EventEmitter } from 'node:events'
import {
  HaproxyRouter,
  LocalHost,
  UnixSocketChannel,
  renderBackend,
  type BackendSpec
} from '@slipway/haproxy'
import { exec, freePort, stopProcess, tail, tcpOpen, waitFor } from './process.js'
import { existsSync } from 'node:fs'

export { freePort }

/** Runs a validation command (e.g. `haproxy -c`), rejecting with its output unless it exits 0. */
async function check(command: string, args: string[]): Promise<void> {
  await exec(command, args, { timeoutMs: 10_000 })
}

// ---------- versioned backends ----------

export interface VersionServer {
  version: string
  port: number
  address: string
  /** Requests being answered right now. */
  inFlight(): number
  /** Stops at once, resetting every connection (requests in flight fail): a hard retire. */
  kill(): Promise<void>
  close(): Promise<void>
}

/** An HTTP/1.1 keep-alive server answering its version; `?delay=ms` holds the answer (a long request). */
export async function startVersionServer(version: string, port?: number): Promise<VersionServer> {
  let inFlight = 0
  const server: Server = createServer((req, res) => {
    inFlight++
    const delay = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? 0)
    const answer = (): void => {
      inFlight--
      res.writeHead(200, { 'content-type': 'text/plain', 'x-version': version })
      res.end(version)
    }
    if (delay > 0) setTimeout(answer, Math.min(delay, 30_000))
    else answer()
  })
  server.keepAliveTimeout = 60_000
  const chosen = port ?? (await freePort())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(chosen, '127.0.0.1', () => resolve())
  })
  return {
    version,
    port: chosen,
    address: `127.0.0.1:${chosen}`,
    inFlight: () => inFlight,
    kill: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve())
        server.closeIdleConnections()
        setTimeout(() => server.closeAllConnections(), 2000).unref()
      })
  }
}

// ---------- HAProxy ----------

export interface HaproxyInstance {
  dir: string
  port: number
  url: string
  socket: string
  mainConfig: string
  backendFile: string
  stateFile: string
  /** A router on the admin socket that persists into the backend and state files. */
  router: HaproxyRouter
  /** Stops HAProxy and starts it again from the files on disk. */
  restart(): Promise<void>
  stop(): Promise<void>
}

export async function startHaproxy(backend: BackendSpec): Promise<HaproxyInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-haproxy-'))
  const port = await freePort()
  const socket = join(dir, 'admin.sock')
  const mainConfig = join(dir, 'haproxy.cfg')
  const backendFile = join(dir, 'slipway-backend.cfg')
  const stateFile = join(dir, 'server-state')
  await writeFile(
    mainConfig,
    [
      'global',
      `    stats socket ${socket} mode 600 level admin`,
      '    maxconn 4096',
      'defaults',
      '    mode http',
      '    timeout connect 2s',
      '    timeout client 30s',
      '    timeout server 30s',
      '    timeout http-keep-alive 30s',
      'frontend web',
      `    bind 127.0.0.1:${port}`,
      `    default_backend ${backend.name}`,
      ''
    ].join('\n')
  )
  await writeFile(backendFile, renderBackend(backend, {}, stateFile))
  let child: ChildProcess | undefined
  let output: () => string = () => ''
  const start = async (): Promise<void> => {
    await rm(socket, { force: true })
    child = spawn('haproxy', ['-db', '-f', mainConfig, '-f', backendFile], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    output = tail(child)
    const started = child
    await waitFor(
      `HAProxy on 127.0.0.1:${port}`,
      async () => {
        if (started.exitCode !== null) throw new Error(`haproxy exited: ${output()}`)
        return existsSync(socket) && (await tcpOpen(port))
      },
      10_000
    )
  }
  await start()
  const router = new HaproxyRouter({
    channel: new UnixSocketChannel(socket),
    backend,
    persist: { host: new LocalHost(), mainConfig, backendFile, stateFile }
  })
  const stop = async (): Promise<void> => {
    if (child) await stopProcess(child, 'SIGTERM', 5000)
    child = undefined
  }
  return {
    dir,
    port,
    url: `http://127.0.0.1:${port}/`,
    socket,
    mainConfig,
    backendFile,
    stateFile,
    router,
    restart: async () => {
      await stop()
      await start()
    },
    stop: async () => {
      await stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}

// ---------- nginx ----------

export interface NginxInstance {
  dir: string
  port: number
  url: string
  /** Renders the upstream with these weights (0 → `down`), `nginx -t`, reload (SIGHUP). */
  setWeights(weights: Record<string, number>): Promise<void>
  /** Points a server at another address (rolling update), same test + reload. */
  setAddress(server: string, address: string): Promise<void>
  stop(): Promise<void>
}

export interface NginxOptions {
  /** server name → address */
  servers: Record<string, string>
  weights: Record<string, number>
  /** Client-side keep-alive timeout; `0` closes each connection after its response. Default 75s. */
  keepaliveTimeout?: number
  /** Keep idle connections to the upstream servers (default 16). */
  upstreamKeepalive?: number
}

export async function startNginx(options: NginxOptions): Promise<NginxInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-nginx-'))
  const port = await freePort()
  const conf = join(dir, 'nginx.conf')
  const upstream = join(dir, 'upstream.conf')
  const servers = { ...options.servers }
  let weights = { ...options.weights }
  const renderUpstream = (): string =>
    [
      'upstream app {',
      ...Object.entries(servers).map(([name, address]) => {
        const weight = weights[name] ?? 0
        return `    server ${address}${weight > 0 ? ` weight=${weight}` : ' down'}; # ${name}`
      }),
      `    keepalive ${options.upstreamKeepalive ?? 16};`,
      '}',
      ''
    ].join('\n')
  await writeFile(upstream, renderUpstream())
  await writeFile(
    conf,
    [
      'daemon off;',
      'master_process on;',
      'worker_processes 2;',
      'user root;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '    access_log off;',
      `    client_body_temp_path ${dir}/client_body;`,
      `    proxy_temp_path ${dir}/proxy;`,
      `    fastcgi_temp_path ${dir}/fastcgi;`,
      `    uwsgi_temp_path ${dir}/uwsgi;`,
      `    scgi_temp_path ${dir}/scgi;`,
      `    keepalive_timeout ${options.keepaliveTimeout ?? 75}s;`,
      `    include ${upstream};`,
      '    server {',
      `        listen 127.0.0.1:${port};`,
      '        location / {',
      '            proxy_pass http://app;',
      '            proxy_http_version 1.1;',
      '            proxy_set_header Connection "";',
      '        }',
      '    }',
      '}',
      ''
    ].join('\n')
  )
  const child = spawn('nginx', ['-p', dir, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
  const output = tail(child)
  await waitFor(
    `nginx on 127.0.0.1:${port}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${output()}`)
      return tcpOpen(port)
    },
    10_000
  )
  const reload = async (): Promise<void> => {
    await writeFile(upstream, renderUpstream())
    await check('nginx', ['-t', '-q', '-p', dir, '-c', conf])
    child.kill('SIGHUP')
  }
  return {
    dir,
    port,
    url: `http://127.0.0.1:${port}/`,
    setWeights: async next => {
      weights = { ...weights, ...next }
      await reload()
    },
    setAddress: async (server, address) => {
      servers[server] = address
      await reload()
    },
    stop: async () => {
      await stopProcess(child, 'SIGTERM', 5000)
      await rm(dir, { recursive: true, force: true })
    }
  }
}

// ---------- load ----------

export interface Sample {
  /** ms since the load started */
  t: number
  version: string
}

export interface LoadResult {
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

export interface RunningLoad {
  /** ms since the load started (same clock as samples). */
  now(): number
  /** The responses recorded so far. */
  samples(): Sample[]
  done: Promise<LoadResult>
}

/**
 * Starts autocannon (as a library) against `url`: `connections` keep-alive connections,
 * pipelining 1, bounded by `durationMs`, optionally capped at `rate` requests/s overall.
 * Nothing is retried: every reset, timeout, non-2xx or silently lost request is counted.
 */
export function startLoad(options: {
  url: string
  connections?: number
  durationMs: number
  rate?: number
  timeoutS?: number
}): RunningLoad {
  const started = Date.now()
  const samples: Sample[] = []
  const errorCodes: Record<string, number> = {}
  let lost = 0
  let sentAfterClose = 0
  let errorsAfterClose = 0
  let sent = 0
  let responses = 0
  let finish: (error: Error | null, result: autocannon.Result) => void = () => undefined
  const done = new Promise<LoadResult>((resolve, reject) => {
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
export function startAgentLoad(options: {
  url: string
  connections?: number
  durationMs: number
  rate: number
  timeoutMs?: number
}): RunningLoad {
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
