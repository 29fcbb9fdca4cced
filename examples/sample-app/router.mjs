// A tiny reverse proxy for machines without nginx: every request goes to the slot the `live`
// symlink names. Switching is one atomic rename of that symlink (see hooks.mjs route), so a
// request sees either the old slot or the new one, never a half-written state.
import http from 'node:http'
import { readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

const state = process.env.DEMO_STATE
const slots = JSON.parse(readFileSync(join(state, 'slots.json'), 'utf8'))
const agent = new http.Agent({ keepAlive: true })

const server = http.createServer((req, res) => {
  let slot
  try {
    slot = readlinkSync(join(state, 'live'))
  } catch {
    res.writeHead(503).end('no live slot yet\n')
    return
  }
  const [host, port] = slots[slot].split(':')
  const upstream = http.request(
    { host, port: Number(port), path: req.url, method: req.method, headers: req.headers, agent },
    answer => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-slot': slot })
      answer.pipe(res)
    }
  )
  upstream.on('error', error => {
    if (!res.headersSent) res.writeHead(502)
    res.end(`bad gateway (${slot}): ${error.message}\n`)
  })
  req.pipe(upstream)
})
server.listen(Number(process.env.PORT), '127.0.0.1', () =>
  console.log(`router on ${process.env.PORT}`)
)
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
