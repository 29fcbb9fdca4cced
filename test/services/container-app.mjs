// The application the docker tests ship in their images (see test/services/docker.ts): a tiny
// HTTP server that answers its version, with modes that fail the ways real releases fail.
// Settings come from the environment the image sets (and `docker run -e` may override):
//   VERSION    answered as the first body line and in the x-version header
//   PORT       listening port on 0.0.0.0 (default 8080)
//   MODE       ok | exit | never-healthy | fail-later
//   FAIL_AFTER fail-later: the number of requests answered well before every answer is a 500
// fail-later also fails as soon as the file /tmp/fail exists (`docker exec … touch /tmp/fail`).
import { createServer } from 'node:http'
import { existsSync } from 'node:fs'

const version = process.env.VERSION ?? 'unknown'
const port = Number(process.env.PORT ?? 8080)
const mode = process.env.MODE ?? 'ok'
const failAfter = Number(process.env.FAIL_AFTER ?? 0)
const modes = ['ok', 'exit', 'never-healthy', 'fail-later']

if (!modes.includes(mode)) {
  console.error(`unknown MODE ${mode}; expected one of ${modes.join(', ')}`)
  process.exit(2)
}
if (mode === 'exit') {
  // A release that crashes at start: the container exits and its restart policy may loop it.
  console.error(`version ${version} exits at start (MODE=exit)`)
  process.exit(3)
}

let answered = 0
function failing() {
  if (mode !== 'fail-later') return false
  if (failAfter > 0 && answered >= failAfter) return true
  return existsSync('/tmp/fail')
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://app').pathname
  let status = 200
  if (failing()) status = 500
  else if (path === '/health' && mode === 'never-healthy') status = 503
  answered++
  res.writeHead(status, { 'content-type': 'text/plain', 'x-version': version })
  res.end(`${version}\n${status === 200 ? 'ok' : 'failing'} ${path}\n`)
})
server.keepAliveTimeout = 30_000

server.listen(port, '0.0.0.0', () => {
  console.log(`version ${version} listening on 0.0.0.0:${port} (MODE=${mode})`)
})

// `docker stop` sends SIGTERM: finish the requests in flight, then exit 0 (before docker's SIGKILL).
process.on('SIGTERM', () => {
  console.log(`version ${version} stopping`)
  server.close(() => process.exit(0))
  server.closeIdleConnections()
  setTimeout(() => process.exit(0), 5000).unref()
})
