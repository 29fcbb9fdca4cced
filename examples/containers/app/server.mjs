// The container demo's app: the sample app as a team would containerize it. Its release facts
// come from the image's environment (set by the Dockerfile's build arguments):
//   VERSION   answered as the first line of every body and in the x-version header
//   GREETING  the page's greeting
//   BROKEN    `true`: the page answers 500 while /health stays 200 — the bug that only real
//             traffic shows, which canary analysis catches and a health check cannot
//   PORT      listening port on every interface of the container (default 3000)
import { createServer } from 'node:http'

const version = process.env.VERSION ?? 'unknown'
const greeting = process.env.GREETING ?? 'Hello'
const broken = process.env.BROKEN === 'true'
const port = Number(process.env.PORT ?? 3000)

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://app').pathname
  const headers = { 'content-type': 'text/plain', 'x-version': version }
  if (path === '/health') {
    res.writeHead(200, headers)
    return res.end(`${version}\nok\n`)
  }
  if (broken) {
    res.writeHead(500, headers)
    return res.end(
      `${version}\nTypeError: cannot read properties of undefined (reading 'greeting')\n`
    )
  }
  res.writeHead(200, headers)
  res.end(`${version}\n${greeting} from sample-app ${version}\n`)
})
server.keepAliveTimeout = 30_000
server.listen(port, '0.0.0.0', () => console.log(`sample-app ${version} listening on :${port}`))

// `docker stop` sends SIGTERM: finish what is in flight, then exit before Docker's SIGKILL.
process.on('SIGTERM', () => {
  console.log(`sample-app ${version} stopping`)
  server.close(() => process.exit(0))
  server.closeIdleConnections()
  setTimeout(() => process.exit(0), 5000).unref()
})
