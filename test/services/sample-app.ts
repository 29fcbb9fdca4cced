import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './process.js'

/**
 * A tiny HTTP app run as its own process (hooks start and stop it like a real service):
 * `/` and `/health` answer its version, `/metrics` is Prometheus text. Behaviour comes from
 * the environment: PORT, VERSION, FAIL_RATE (share of `/` answered 500), UNHEALTHY=1
 * (`/health` answers 503 forever). SIGTERM closes gracefully (in-flight requests finish).
 */
export const SAMPLE_APP_JS = String.raw`
import http from 'node:http'
const version = process.env.VERSION || 'unknown'
const failRate = Number(process.env.FAIL_RATE || 0)
const unhealthy = process.env.UNHEALTHY === '1'
const counts = new Map()
let served = 0
const count = (path, code) => { const key = path + ' ' + code; counts.set(key, (counts.get(key) || 0) + 1) }
const server = http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0]
  if (path === '/metrics') {
    const lines = ['# HELP http_requests_total Requests served.', '# TYPE http_requests_total counter']
    for (const [key, n] of counts) {
      const [p, code] = key.split(' ')
      lines.push('http_requests_total{version="' + version + '",path="' + p + '",code="' + code + '"} ' + n)
    }
    lines.push('# TYPE app_version_info gauge', 'app_version_info{version="' + version + '"} 1')
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
    return res.end(lines.join('\n') + '\n')
  }
  if (path === '/health') {
    const code = unhealthy ? 503 : 200
    count(path, code)
    res.writeHead(code, { 'content-type': 'text/plain', 'x-version': version })
    return res.end(unhealthy ? 'unhealthy ' + version + '\n' : version + '\n')
  }
  served++
  // Deterministic failure share: every k-th request fails, so short tests are not flaky.
  const fail = failRate > 0 && served % Math.max(1, Math.round(1 / failRate)) === 0
  const code = fail ? 500 : 200
  count('/', code)
  res.writeHead(code, { 'content-type': 'text/plain', 'x-version': version })
  res.end(fail ? 'error ' + version + '\n' : version + '\n')
})
server.keepAliveTimeout = 5000
server.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1')
const stop = () => { server.close(() => process.exit(0)); server.closeIdleConnections(); setTimeout(() => process.exit(0), 3000).unref() }
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
`

/** Writes the app to a temp directory and returns its path (`node <path>` runs it). */
export function writeSampleApp(dir = tempDir('app')): string {
  const file = join(dir, 'sample-app.mjs')
  writeFileSync(file, SAMPLE_APP_JS)
  return file
}

/**
 * Bash hooks that run the sample app per target, for the script and nginx providers. They use
 * only SLIPWAY_* values plus STATE_DIR/APP from the job environment, as a user's hooks would.
 * The port comes from the target address (`blue=127.0.0.1:PORT`).
 */
export const START_HOOK = [
  'set -e',
  'port=${SLIPWAY_PORT:-${SLIPWAY_ADDRESS##*:}}',
  'pidfile="$STATE_DIR/$SLIPWAY_TARGET.pid"',
  'if [ -f "$pidfile" ]; then old=$(cat "$pidfile"); kill "$old" 2>/dev/null || true; for i in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.05; done; fi',
  'extra=""',
  '[ -f "$STATE_DIR/env-$SLIPWAY_VERSION" ] && set -a && . "$STATE_DIR/env-$SLIPWAY_VERSION" && set +a',
  'VERSION="$SLIPWAY_VERSION" PORT="$port" nohup node "$APP" >"$STATE_DIR/$SLIPWAY_TARGET.log" 2>&1 &',
  'echo $! > "$pidfile"',
  'printf %s "$SLIPWAY_VERSION" > "$STATE_DIR/$SLIPWAY_TARGET.version"'
].join('\n')

export const STOP_HOOK = [
  'pidfile="$STATE_DIR/$SLIPWAY_TARGET.pid"',
  'if [ -f "$pidfile" ]; then old=$(cat "$pidfile"); kill "$old" 2>/dev/null || true; for i in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.05; done; rm -f "$pidfile"; fi',
  'rm -f "$STATE_DIR/$SLIPWAY_TARGET.version"'
].join('\n')

/**
 * Hooks for the nginx provider that use ONLY the SLIPWAY_* values (they also run over SSH,
 * where nothing else of the job's environment exists): the artifact shipped to
 * `$SLIPWAY_RELEASE_DIR` is the sample app itself; pid and log files sit beside the releases.
 * An `env-<version>` file beside the releases adds variables (FAIL_RATE, UNHEALTHY) for fault tests.
 */
export const RELEASE_START_HOOK = [
  'set -e',
  'base=$(dirname "$SLIPWAY_RELEASE_DIR")',
  'pidfile="$base/$SLIPWAY_TARGET.pid"',
  'if [ -f "$pidfile" ]; then old=$(cat "$pidfile"); kill "$old" 2>/dev/null || true; for i in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.05; done; fi',
  '[ -f "$base/env-$SLIPWAY_VERSION" ] && set -a && . "$base/env-$SLIPWAY_VERSION" && set +a',
  'VERSION="$SLIPWAY_VERSION" PORT="$SLIPWAY_PORT" nohup node "$SLIPWAY_ARTIFACT" >"$base/$SLIPWAY_TARGET.log" 2>&1 &',
  'echo $! > "$pidfile"'
].join('\n')

export const RELEASE_STOP_HOOK = [
  'base=$(dirname "$SLIPWAY_RELEASE_DIR")',
  'pidfile="$base/$SLIPWAY_TARGET.pid"',
  'if [ -f "$pidfile" ]; then old=$(cat "$pidfile"); kill "$old" 2>/dev/null || true; for i in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.05; done; rm -f "$pidfile"; fi'
].join('\n')

/** Kills every app START_HOOK started in a state dir (its pid files), for afterAll. */
export function killApps(stateDir: string, names: string[]): void {
  for (const name of names) {
    const file = join(stateDir, `${name}.pid`)
    if (!existsSync(file)) continue
    try {
      process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
