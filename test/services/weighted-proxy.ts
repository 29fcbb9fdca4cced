import http from 'node:http'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { TaggedAnswer } from './load.js'
import { START_HOOK, STOP_HOOK } from './sample-app.js'

/**
 * A tiny HTTP proxy whose backend weights change atomically through a control endpoint,
 * with no reload and no dropped connection: the router the script provider's
 * `route-command` drives in tests (what HAProxy's runtime API does in production).
 * Backends are chosen by smooth weighted round-robin (nginx's algorithm), so shares are exact.
 */
export interface WeightedProxy {
  url: string
  controlUrl: string
  weights(): Record<string, number>
  /** Every weight change, in order. */
  changes: WeightChange[]
  /**
   * Ties weight changes to a tagged load (test/services/load.ts) running through this proxy:
   * each change then records where the load stood at the instant it took effect. `undefined`
   * stops watching.
   */
  watch(load: WatchedLoad | undefined): void
  close(): Promise<void>
}

/** What the proxy needs of a tagged load to place its changes among the load's requests. */
export interface WatchedLoad {
  mark(): number
  answered(): TaggedAnswer[]
}

export interface WeightChange {
  weights: Record<string, number>
  /**
   * The watched load's next sequence number when the change took effect: every request from
   * here on reached the proxy after the change, so these weights (or later ones) routed it.
   */
  mark?: number
  /**
   * Requests of the watched load already answered when the change took effect: earlier
   * weights routed them.
   */
  answeredBefore?: ReadonlySet<number>
}

/**
 * Answers routed by the weights of change `from` alone: requests written after it took effect
 * and answered before the next change `to` did. Events, not clock windows: a busy machine
 * only makes the set smaller, never wrong.
 */
export function routedBetween(
  answers: TaggedAnswer[],
  from: WeightChange,
  to: WeightChange
): TaggedAnswer[] {
  if (from.mark === undefined || !to.answeredBefore)
    throw new Error('routedBetween needs changes recorded while a load was watched')
  const before = to.answeredBefore
  return answers.filter(a => a.seq >= from.mark! && before.has(a.seq))
}

export async function startWeightedProxy(
  backends: Record<string, string>,
  stateDir: string
): Promise<WeightedProxy> {
  let weights: Record<string, number> = Object.fromEntries(
    Object.keys(backends).map(name => [name, 0])
  )
  let current: Record<string, number> = {}
  const changes: WeightChange[] = []
  let watched: WatchedLoad | undefined
  const pick = (): string | undefined => {
    let total = 0
    let best: string | undefined
    for (const [name, weight] of Object.entries(weights)) {
      if (weight <= 0) continue
      current[name] = (current[name] ?? 0) + weight
      total += weight
      if (best === undefined || current[name] > current[best]) best = name
    }
    if (best !== undefined) current[best] -= total
    return best
  }
  const proxy = http.createServer((req, res) => {
    const name = pick()
    if (!name) {
      res.writeHead(503).end('no backend in service\n')
      return
    }
    const [host, port] = backends[name].split(':')
    const upstream = http.request(
      {
        host,
        port: Number(port),
        path: req.url,
        method: req.method,
        headers: req.headers,
        agent: false
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', error => {
      if (!res.headersSent) res.writeHead(502)
      res.end(`bad gateway: ${error.message}\n`)
    })
    req.pipe(upstream)
  })
  const control = http.createServer((req, res) => {
    if (req.method === 'PUT' && req.url === '/weights') {
      let body = ''
      req.on('data', chunk => (body += chunk))
      req.on('end', () => {
        const next: Record<string, number> = {}
        for (const part of body.trim().split(',').filter(Boolean)) {
          const [name, weight] = part.split('=')
          if (!(name in backends) || !/^\d+$/.test(weight)) {
            res.writeHead(400).end(`bad weight ${part}\n`)
            return
          }
          next[name] = Number(weight)
        }
        weights = { ...weights, ...next }
        current = {}
        // Read the load in the same tick as the change: no request slips between the two.
        changes.push({
          weights: { ...weights },
          mark: watched?.mark(),
          answeredBefore: watched ? new Set(watched.answered().map(a => a.seq)) : undefined
        })
        res.writeHead(204).end()
      })
      return
    }
    if (req.method === 'GET' && req.url === '/current') {
      const lines = Object.keys(backends).map(name => {
        let version = '-'
        try {
          version = readFileSync(join(stateDir, `${name}.version`), 'utf8').trim() || '-'
        } catch {
          // not running
        }
        return `${name} ${version} ${weights[name] ?? 0}`
      })
      res.writeHead(200).end(`${lines.join('\n')}\n`)
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
  await new Promise<void>(resolve => control.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    weights: () => ({ ...weights }),
    changes,
    watch: load => (watched = load),
    async close() {
      proxy.closeAllConnections()
      control.closeAllConnections()
      await Promise.all([new Promise(r => proxy.close(r)), new Promise(r => control.close(r))])
    }
  }
}

/** The script-provider hooks that drive this proxy (curl, as a user's hook would). */
export const ROUTE_HOOK = 'curl -fsS -X PUT --data "$SLIPWAY_WEIGHTS" "$PROXY_CONTROL/weights"'
export const CURRENT_HOOK = 'curl -fsS "$PROXY_CONTROL/current"'

/**
 * The script provider's inputs for sample apps behind this proxy (one target per name, hooks that
 * start/stop the app and drive the weights, a health command on the target): what every test of
 * the pair shares. The job environment needs STATE_DIR, APP and PROXY_CONTROL.
 */
export function scriptProxyInputs(targets: Record<string, string>): Record<string, string> {
  return {
    provider: 'script',
    targets: Object.entries(targets)
      .map(([name, address]) => `${name}=${address}`)
      .join('\n'),
    'prepare-command': START_HOOK,
    'retire-command': STOP_HOOK,
    'route-command': ROUTE_HOOK,
    'current-command': CURRENT_HOOK,
    'health-command': 'curl -fsS --max-time 1 "http://$SLIPWAY_ADDRESS/health"',
    'health-interval': '100ms'
  }
}
