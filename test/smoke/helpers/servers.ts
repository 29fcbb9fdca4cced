import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local app server with the misbehaviours a smoke test must catch. Routes:
 * - `/health`        200 {"status":"ok","version":…}
 * - `/flap`          503 until `readyAfterMs` after start (or after `resetFlap()`), then 200
 * - `/fail`          500 with an HTML error page
 * - `/slow`          200 after `slowMs`
 * - `/wrong-json`    200 {"status":"degraded"}
 * - `/auth`          200 with `Authorization: Bearer s3cr3t-t0ken`, else 401
 * - `/toggle`        200 while `healthy`, else 500 (for the watch window)
 * - `/load`          200 after `loadDelayMs` (for the load check), or 500 for every `loadFailEvery`-th request
 * Every request is counted, so tests can assert that a dry run or bad input sent nothing.
 */
export interface AppServer {
  url: string
  requests: number
  /** Requests per path. */
  hits: Map<string, number>
  readyAfterMs: number
  slowMs: number
  healthy: boolean
  loadDelayMs: number
  loadFailEvery: number
  resetFlap(readyAfterMs: number): void
  close(): Promise<void>
}

export async function startAppServer(
  options: Partial<Pick<AppServer, 'readyAfterMs' | 'slowMs' | 'loadDelayMs'>> = {}
): Promise<AppServer> {
  let flapStart = Date.now()
  let loadCount = 0
  const app: AppServer = {
    url: '',
    requests: 0,
    hits: new Map(),
    readyAfterMs: options.readyAfterMs ?? 2000,
    slowMs: options.slowMs ?? 300,
    healthy: true,
    loadDelayMs: options.loadDelayMs ?? 0,
    loadFailEvery: 0,
    resetFlap(readyAfterMs) {
      app.readyAfterMs = readyAfterMs
      flapStart = Date.now()
    },
    close: async () => undefined
  }
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.statusCode = status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(body))
  }
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    app.requests++
    const path = new URL(req.url ?? '/', 'http://x').pathname
    app.hits.set(path, (app.hits.get(path) ?? 0) + 1)
    switch (path) {
      case '/health':
        return json(res, 200, { status: 'ok', version: '1.4.2' })
      case '/flap':
        if (Date.now() - flapStart < app.readyAfterMs) return json(res, 503, { status: 'starting' })
        return json(res, 200, { status: 'ok' })
      case '/fail':
        res.statusCode = 500
        res.setHeader('content-type', 'text/html')
        return void res.end(
          '<html><body><h1>Internal Server Error</h1><p>db & cache "down"</p></body></html>'
        )
      case '/slow': {
        // Cleared when the client gives up, so an aborted request leaves no timer behind.
        const timer = setTimeout(() => json(res, 200, { status: 'ok' }), app.slowMs)
        res.on('close', () => clearTimeout(timer))
        return
      }
      case '/wrong-json':
        return json(res, 200, { status: 'degraded', version: '1.4.1' })
      case '/auth':
        return req.headers.authorization === 'Bearer s3cr3t-t0ken'
          ? json(res, 200, { status: 'ok' })
          : json(res, 401, { status: 'unauthorized' })
      case '/toggle':
        return app.healthy ? json(res, 200, { status: 'ok' }) : json(res, 500, { status: 'broken' })
      case '/load': {
        loadCount++
        const fail = app.loadFailEvery > 0 && loadCount % app.loadFailEvery === 0
        const send = (): void =>
          fail ? json(res, 500, { ok: false }) : json(res, 200, { ok: true })
        if (app.loadDelayMs > 0) setTimeout(send, app.loadDelayMs)
        else send()
        return
      }
      default:
        res.statusCode = 404
        res.end('not found')
    }
  }
  const server = createServer(handle)
  server.keepAliveTimeout = 5000
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  app.close = async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  }
  return app
}

/**
 * Keeps /flap answering 503 until it has been asked `attempts` times, then makes it ready:
 * "slow to start" counted in attempts, not in time a busy machine stretches. Resolves when it
 * flipped, or after `stop()` / its bounded loop.
 */
export function readyAfterAttempts(app: AppServer, attempts: number) {
  const before = app.hits.get('/flap') ?? 0
  app.resetFlap(Number.POSITIVE_INFINITY)
  let waiting = true
  const flipped = (async () => {
    for (let i = 0; i < 6000 && waiting; i++) {
      if ((app.hits.get('/flap') ?? 0) >= before + attempts) return app.resetFlap(0)
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  })()
  return {
    stop: async () => {
      waiting = false
      await flipped
    }
  }
}
