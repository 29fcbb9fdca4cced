// The demo's sample app: a tiny HTTP service. The "build" puts its release facts in front of
// this file (`globalThis.__release = {...}`, one file to ship) — or a release.json beside it —
// saying which version it is and whether this build carries the bug the smoke test catches.
import http from 'node:http'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const release = globalThis.__release ?? JSON.parse(readFileSync(join(here, 'release.json'), 'utf8'))
const version = release.version

const server = http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0]
  if (path === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-version': version })
    return res.end(`ok ${version}\n`)
  }
  if (release.broken) {
    // The bug of the broken build: the process is healthy, the page is not.
    res.writeHead(500, { 'content-type': 'text/plain', 'x-version': version })
    return res.end(
      `TypeError: cannot read properties of undefined (reading 'greeting') in ${version}\n`
    )
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'x-version': version })
  res.end(`${release.greeting ?? 'Hello'} from sample-app ${version}\n`)
})
server.keepAliveTimeout = 2000
server.listen(Number(process.env.PORT), '127.0.0.1')
const stop = () => {
  server.close(() => process.exit(0))
  server.closeIdleConnections()
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
