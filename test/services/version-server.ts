// Small versioned HTTP backends for the router tests: each answers its version (body and
// `x-version` header) on a keep-alive connection, and can be stopped softly or hard.
import { createServer, type Server } from 'node:http'
import { freePort } from './process.js'

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
