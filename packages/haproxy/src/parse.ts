/** What `show servers state` says about one server, the fields Slipway uses. */
export interface ServerState {
  backend: string
  name: string
  /** `ready` (takes traffic by weight), `drain` (no new requests), `maint` (out of rotation). */
  state: 'ready' | 'drain' | 'maint'
  /** HAProxy's operational state: `up` (running), `down` (stopped), `starting`, `stopping`. */
  operational: 'down' | 'starting' | 'up' | 'stopping'
  /** The weight set by configuration or the runtime API (0–256). */
  weight: number
  /** The weight in the configuration HAProxy loaded. */
  initialWeight: number
  address: string
  port: number
  /** HAProxy's own health check of the server (`check` on its server line). */
  check: ServerCheck
}

/** What HAProxy's health check says about a server, from `show servers state`. */
export interface ServerCheck {
  /** `check` is on the server line: HAProxy probes the server itself. */
  configured: boolean
  /** Checks run now (not disabled at run time, not paused by maintenance). */
  running: boolean
  /** The result of the last check: `passed` only after a probe succeeded. */
  result: 'unknown' | 'neutral' | 'failed' | 'passed' | 'condpass'
}

// srv_admin_state bits (HAProxy's enum srv_admin, stable since 1.6): forced/inherited/resolution
// maintenance and forced/inherited drain. CMAINT (0x04) only records that the configuration
// said `disabled` and stays set after `state ready`, so it does not mean "in maintenance".
const MAINT_MASK = 0x01 | 0x02 | 0x20
const DRAIN_MASK = 0x08 | 0x10
const OPERATIONAL = ['down', 'starting', 'up', 'stopping'] as const
// srv_check_state bits (HAProxy's CHK_ST_*, stable since 1.6) and srv_check_result values (enum chk_result).
const CHECK_CONFIGURED = 0x02
const CHECK_ENABLED = 0x04
const CHECK_PAUSED = 0x08
const CHECK_RESULTS = ['unknown', 'neutral', 'failed', 'passed', 'condpass'] as const

/**
 * Parses `show servers state [backend]` (format version 1): a version line, a `#` header
 * naming the columns, one space-separated line per server. Columns are found by name so
 * later HAProxy versions that append columns still parse.
 */
export function parseServersState(text: string): ServerState[] {
  const lines = text.split('\n').map(line => line.trim())
  const header = lines.find(line => line.startsWith('#'))
  if (!header)
    throw new Error(
      `unexpected 'show servers state' answer: ${text.trim().slice(0, 200) || 'nothing'}`
    )
  const columns = header.replace(/^#\s*/, '').split(/\s+/)
  const at = (name: string): number => {
    const index = columns.indexOf(name)
    if (index < 0) throw new Error(`'show servers state' has no ${name} column`)
    return index
  }
  const idx = {
    backend: at('be_name'),
    name: at('srv_name'),
    address: at('srv_addr'),
    op: at('srv_op_state'),
    admin: at('srv_admin_state'),
    weight: at('srv_uweight'),
    initial: at('srv_iweight'),
    port: at('srv_port'),
    checkResult: at('srv_check_result'),
    checkState: at('srv_check_state')
  }
  const servers: ServerState[] = []
  for (const line of lines.slice(lines.indexOf(header) + 1)) {
    if (line === '' || line.startsWith('#')) continue
    const f = line.split(/\s+/)
    const admin = Number(f[idx.admin])
    const checkState = Number(f[idx.checkState])
    servers.push({
      backend: f[idx.backend],
      name: f[idx.name],
      state: admin & MAINT_MASK ? 'maint' : admin & DRAIN_MASK ? 'drain' : 'ready',
      operational: OPERATIONAL[Number(f[idx.op])] ?? 'down',
      weight: Number(f[idx.weight]),
      initialWeight: Number(f[idx.initial]),
      address: f[idx.address],
      port: Number(f[idx.port]),
      check: {
        configured: (checkState & CHECK_CONFIGURED) !== 0,
        running: (checkState & CHECK_ENABLED) !== 0 && (checkState & CHECK_PAUSED) === 0,
        result: CHECK_RESULTS[Number(f[idx.checkResult])] ?? 'unknown'
      }
    })
  }
  return servers
}

/** One row of `show stat` (CSV): the proxy, the server (or FRONTEND/BACKEND) and its counters. */
export type StatRow = Record<string, string>

/** Parses `show stat` CSV: the header line starts with `# `, then one row per proxy/server. */
export function parseStat(text: string): StatRow[] {
  const lines = text.split('\n').filter(line => line.trim() !== '')
  const header = lines.find(line => line.startsWith('#'))
  if (!header)
    throw new Error(`unexpected 'show stat' answer: ${text.trim().slice(0, 200) || 'nothing'}`)
  const columns = header.replace(/^#\s*/, '').split(',')
  return lines
    .filter(line => !line.startsWith('#'))
    .map(line => {
      const cells = line.split(',')
      const row: StatRow = {}
      columns.forEach((column, i) => {
        if (column) row[column] = cells[i] ?? ''
      })
      return row
    })
}
