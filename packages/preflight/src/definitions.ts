import { InputError } from '@slipway/kit'
import {
  displayUrl,
  formatBytes,
  formatHostPort,
  HttpSpecError,
  isTimeZone,
  parseHostPort,
  parseZonedDate,
  cronProblem,
  validateHttpSpec,
  type ArtifactSpec,
  type ConfigSchemaSpec,
  type DiskSpec,
  type DnsSpec,
  type EnvSpec,
  type FreezeWindow,
  type HttpSpec,
  type MemorySpec,
  type Severity,
  type StatusSpec,
  type TcpSpec
} from '@slipway/probes'
import { inputErrorFrom } from './errors.js'
import { EntryReader, isRecord } from './fields.js'

export const CHECK_TYPES = [
  'http',
  'tcp',
  'dns',
  'tls',
  'command',
  'env',
  'config-schema',
  'artifact',
  'disk',
  'memory',
  'github-checks',
  'freeze',
  'deployment-lock'
] as const

export type CheckType = (typeof CHECK_TYPES)[number]

/** A TLS check before its CA file is read (that happens when it runs). */
export interface TlsCheckSpec {
  host: string
  port: number
  servername?: string
  minDays: number
  insecure: boolean
  caFile?: string
}

export interface CommandCheckSpec {
  run: string
  env?: Record<string, string>
  cwd?: string
}

export interface GitHubChecksCheckSpec {
  ref: string
  required: string[]
  ignore: string[]
}

export interface DeploymentLockCheckSpec {
  environment: string
  staleAfterMs?: number
}

export type CheckSpec =
  | { type: 'http'; spec: HttpSpec }
  | { type: 'tcp'; spec: TcpSpec }
  | { type: 'dns'; spec: DnsSpec }
  | { type: 'tls'; spec: TlsCheckSpec }
  | { type: 'command'; spec: CommandCheckSpec }
  | { type: 'env'; spec: EnvSpec }
  | { type: 'config-schema'; spec: ConfigSchemaSpec }
  | { type: 'artifact'; spec: ArtifactSpec }
  | { type: 'disk'; spec: DiskSpec }
  | { type: 'memory'; spec: MemorySpec }
  | { type: 'github-checks'; spec: GitHubChecksCheckSpec }
  | { type: 'freeze'; spec: { windows: FreezeWindow[] } }
  | { type: 'deployment-lock'; spec: DeploymentLockCheckSpec }

/** A validated check, before it is bound to the network, the file system or GitHub. */
export type CheckDefinition = CheckSpec & {
  name: string
  severity: Severity
  timeoutMs: number
  retries: number
  retryDelayMs: number
  /** What is checked, in a few words without secrets (dry-run plan, report). */
  target: string
  /** Where the check was declared: `checks[2]` or the plain input (`http-url`). */
  source: string
  /** False when the name was made up from type and target (and may get a ` #2`). */
  nameGiven: boolean
}

/** Values that plain inputs give every check unless the entry says otherwise. */
export interface Defaults {
  timeoutMs: number
  retries: number
  retryDelayMs: number
  tlsMinDays: number
  timezone: string
  /** Commit for github-checks (GITHUB_SHA). */
  ref?: string
  /** Environment for deployment-lock. */
  environment?: string
}

type Parsed = CheckSpec & { target: string; defaultName: string }

/** Field readers per check type; each returns the spec, a target description and a default name. */
const PARSERS: Record<CheckType, (r: EntryReader, defaults: Defaults) => Parsed> = {
  http(r) {
    const spec: HttpSpec = {
      url: r.requiredString('url'),
      method: r.string('method')?.toUpperCase(),
      headers: r.map('headers'),
      body: httpBody(r),
      expectStatus: r.value('expect-status') as StatusSpec | undefined,
      bodyContains: r.value('body-contains') as string | string[] | undefined,
      bodyRegex: r.string('body-regex'),
      json: r.value('json') as HttpSpec['json'],
      expectHeaders: r.value('expect-headers') as HttpSpec['expectHeaders'],
      maxLatencyMs: r.duration('max-latency'),
      followRedirects: r.has('follow-redirects') ? r.bool('follow-redirects') : undefined,
      insecure: r.bool('insecure'),
      caFile: r.string('ca')
    }
    try {
      validateHttpSpec(spec)
    } catch (error) {
      if (error instanceof HttpSpecError)
        throw inputErrorFrom(r.at(httpField(error.field)), error.message)
      throw error
    }
    const target = `${spec.method ?? 'GET'} ${displayUrl(spec.url)}`
    return { type: 'http', spec, target, defaultName: `http ${target}` }
  },
  tcp(r) {
    const spec = hostPort(r, undefined)
    const target = formatHostPort(spec.host, spec.port)
    return { type: 'tcp', spec, target, defaultName: `tcp ${target}` }
  },
  dns(r) {
    const name = r.requiredString('host')
    if (!/^[A-Za-z0-9_.-]+$/.test(name))
      throw new InputError(r.at('host'), 'a host name such as api.example.com', name)
    const family = r.int('family', { min: 4, max: 6 })
    if (family !== undefined && family !== 4 && family !== 6)
      throw new InputError(r.at('family'), '4 or 6', family)
    const spec: DnsSpec = { name, family: family as 4 | 6 | undefined, expect: r.list('expect') }
    return { type: 'dns', spec, target: name, defaultName: `dns ${name}` }
  },
  tls(r, defaults) {
    const address = hostPort(r, 443)
    const spec: TlsCheckSpec = {
      ...address,
      servername: r.string('servername'),
      minDays: r.int('min-days', { min: 0, default: defaults.tlsMinDays })!,
      insecure: r.bool('insecure'),
      caFile: r.string('ca')
    }
    const target = formatHostPort(spec.host, spec.port)
    return { type: 'tls', spec, target, defaultName: `tls ${target}` }
  },
  command(r) {
    const spec: CommandCheckSpec = {
      run: r.requiredString('run'),
      env: r.map('env'),
      cwd: r.string('working-directory')
    }
    const firstLine = spec.run.split('\n')[0]
    const target = firstLine.length > 60 ? `${firstLine.slice(0, 57)}…` : firstLine
    return { type: 'command', spec, target, defaultName: `command ${target}` }
  },
  env(r) {
    const names = r.list('names', true)!
    const bad = names.find(name => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    if (bad !== undefined)
      throw new InputError(r.at('names'), 'environment variable names such as DB_PASSWORD', bad)
    return {
      type: 'env',
      spec: { names },
      target: names.join(', '),
      defaultName: `env ${names.join(', ')}`
    }
  },
  'config-schema'(r) {
    const spec: ConfigSchemaSpec = {
      file: r.requiredString('file'),
      schema: r.requiredString('schema')
    }
    return {
      type: 'config-schema',
      spec,
      target: `${spec.file} against ${spec.schema}`,
      defaultName: `config ${spec.file}`
    }
  },
  artifact(r) {
    const spec: ArtifactSpec = {
      path: r.requiredString('path'),
      sha256: r.string('sha256'),
      sha256File: r.string('sha256-file')
    }
    if (spec.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(spec.sha256)) {
      throw new InputError(r.at('sha256'), 'a SHA-256 digest (64 hex digits)', spec.sha256)
    }
    if (spec.sha256 !== undefined && spec.sha256File !== undefined) {
      throw new InputError(
        r.at('sha256-file'),
        'either sha256 or sha256-file, not both',
        spec.sha256File
      )
    }
    return { type: 'artifact', spec, target: spec.path, defaultName: `artifact ${spec.path}` }
  },
  disk(r) {
    const spec: DiskSpec = {
      path: r.requiredString('path'),
      minFreeBytes: r.size('min-free', true)!
    }
    return {
      type: 'disk',
      spec,
      target: `${formatBytes(spec.minFreeBytes)} free on ${spec.path}`,
      defaultName: `disk ${spec.path}`
    }
  },
  memory(r) {
    const spec: MemorySpec = { minFreeBytes: r.size('min-free', true)! }
    return {
      type: 'memory',
      spec,
      target: `${formatBytes(spec.minFreeBytes)} available`,
      defaultName: 'memory'
    }
  },
  'github-checks'(r, defaults) {
    const ref = r.string('ref') ?? defaults.ref
    if (!ref)
      throw new InputError(
        r.at('ref'),
        'a commit SHA, branch or tag (GITHUB_SHA is not set)',
        undefined
      )
    const spec: GitHubChecksCheckSpec = {
      ref,
      required: r.list('required') ?? [],
      ignore: r.list('ignore') ?? []
    }
    const shortRef = /^[0-9a-f]{40}$/.test(ref) ? ref.slice(0, 7) : ref
    return {
      type: 'github-checks',
      spec,
      target: `checks of ${shortRef}`,
      defaultName: `github-checks ${shortRef}`
    }
  },
  freeze(r, defaults) {
    const timezone = r.string('timezone') ?? defaults.timezone
    if (!isTimeZone(timezone))
      throw new InputError(
        r.at('timezone'),
        'an IANA time zone such as Europe/Berlin or UTC',
        timezone
      )
    const windows = parseFreezeWindows(r.value('windows'), r.at('windows'), timezone)
    const target = `${windows.length} window${windows.length === 1 ? '' : 's'}: ${windows.map(w => w.name).join(', ')}`
    return { type: 'freeze', spec: { windows }, target, defaultName: 'freeze windows' }
  },
  'deployment-lock'(r, defaults) {
    const environment = r.string('environment') ?? defaults.environment
    if (!environment)
      throw new InputError(
        r.at('environment'),
        'the name of the environment being deployed',
        undefined
      )
    const spec: DeploymentLockCheckSpec = { environment, staleAfterMs: r.duration('stale-after') }
    return {
      type: 'deployment-lock',
      spec,
      target: environment,
      defaultName: `deployment-lock ${environment}`
    }
  }
}

/**
 * Validates one check entry of the `checks` YAML (or one built from plain inputs) into a
 * definition. `labels` maps fields to the plain inputs they came from, for error messages.
 */
export function parseEntry(
  entry: unknown,
  path: string,
  defaults: Defaults,
  labels: Record<string, string> = {}
): CheckDefinition {
  if (!isRecord(entry))
    throw new InputError(
      path,
      'a mapping with at least a type, such as {type: tcp, host: db, port: 5432}',
      entry
    )
  const r = new EntryReader(path, entry, labels)
  const type = r.requiredString('type') as CheckType
  if (!CHECK_TYPES.includes(type))
    throw new InputError(r.at('type'), `one of ${CHECK_TYPES.join(', ')}`, type)
  const name = r.string('name')
  const severity = r.string('severity') ?? 'error'
  if (severity !== 'error' && severity !== 'warning')
    throw new InputError(r.at('severity'), 'error or warning', severity)
  const timeoutMs = r.duration('timeout', defaults.timeoutMs)!
  if (timeoutMs < 1)
    throw new InputError(r.at('timeout'), 'a duration of at least 1ms', entry.timeout)
  const retries = r.int('retries', { min: 0, max: 20, default: defaults.retries })!
  const retryDelayMs = r.duration('retry-delay', defaults.retryDelayMs)!
  const parsed = PARSERS[type](r, defaults)
  r.finish(type)
  const { defaultName, ...rest } = parsed
  return {
    ...rest,
    name: name ?? defaultName,
    nameGiven: name !== undefined,
    severity,
    timeoutMs,
    retries,
    retryDelayMs,
    source: path
  } as CheckDefinition
}

function httpBody(r: EntryReader): HttpSpec['body'] {
  const body = r.value('body')
  if (body === undefined || typeof body === 'string' || typeof body === 'object')
    return body as HttpSpec['body']
  return String(body)
}

/** The HTTP probe names fields in camelCase; the YAML uses kebab-case. */
function httpField(field: string): string {
  if (field === 'caFile') return 'ca'
  if (field === 'maxLatencyMs') return 'max-latency'
  return field.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)
}

/** `host` + `port`, or `host: db:5432` in one field. */
function hostPort(r: EntryReader, defaultPort: number | undefined): TcpSpec {
  const host = r.requiredString('host')
  const port = r.int('port', { min: 1, max: 65535 })
  const parsed = parseHostPort(host, port ?? defaultPort)
  if (!parsed) {
    if (port === undefined && parseHostPort(host, 1))
      throw new InputError(r.at('port'), 'a port from 1 to 65535', undefined)
    throw new InputError(r.at('host'), 'a host name or address, optionally with :port', host)
  }
  if (port !== undefined && parsed.port !== port)
    throw new InputError(r.at('port'), 'one port, in host or in port, not both', port)
  return parsed
}

/**
 * Freeze windows: `{name?, from, to}` for a period, or `{name?, cron, duration, timezone?}` for a
 * recurring one (`cron: '0 18 * * 5'`, `duration: 62h` freezes from Friday 18:00 to Monday 08:00).
 */
export function parseFreezeWindows(
  value: unknown,
  path: string,
  defaultTimezone: string
): FreezeWindow[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(path, 'a list of windows: {from, to} or {cron, duration, timezone}', value)
  }
  return value.map((item, index): FreezeWindow => {
    const at = `${path}[${index}]`
    if (!isRecord(item))
      throw new InputError(at, 'a mapping {from, to} or {cron, duration, timezone}', item)
    const r = new EntryReader(at, item)
    const timezone = r.string('timezone') ?? defaultTimezone
    if (!isTimeZone(timezone))
      throw new InputError(
        r.at('timezone'),
        'an IANA time zone such as Europe/Berlin or UTC',
        timezone
      )
    const name = r.string('name')
    let window: FreezeWindow
    if (r.has('cron')) {
      const cron = r.requiredString('cron')
      const problem = cronProblem(cron, timezone)
      if (problem !== undefined)
        throw new InputError(
          r.at('cron'),
          `a cron expression such as "0 18 * * 5" (${problem})`,
          cron
        )
      const durationMs = r.duration('duration')
      if (!durationMs)
        throw new InputError(r.at('duration'), 'a duration such as 2h or 2d14h', item.duration)
      window = {
        name: name ?? `${cron} for ${String(item.duration)} (${timezone})`,
        cron,
        durationMs,
        timezone
      }
    } else {
      const from = r.requiredString('from')
      const to = r.requiredString('to')
      const expected =
        'a date or date-time such as 2026-12-24 or 2026-12-24T18:00 (local to timezone) or 2026-12-24T17:00Z'
      const start = parseZonedDate(from, timezone)
      if (start === undefined) throw new InputError(r.at('from'), expected, from)
      const end = parseZonedDate(to, timezone, true)
      if (end === undefined) throw new InputError(r.at('to'), expected, to)
      if (end <= start) throw new InputError(r.at('to'), `a time after from (${from})`, to)
      window = { name: name ?? `${from} – ${to}`, start, end }
    }
    r.finish('freeze window')
    return window
  })
}
