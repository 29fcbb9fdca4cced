import { describe, expect, it } from '@jest/globals'
import { parse as parseYaml } from 'yaml'
import { parseChecks, type Defaults, type PreflightInputs } from '@slipway/preflight'
import { inputErrorOf } from '../helpers/input-error.js'

const defaults: Defaults = {
  timeoutMs: 10_000,
  retries: 0,
  retryDelayMs: 2000,
  tlsMinDays: 14,
  timezone: 'UTC',
  ref: 'f'.repeat(40)
}

function parse(inputs: Partial<PreflightInputs>) {
  return parseChecks({ defaults, ...inputs })
}

function yaml(text: string) {
  return parse({ checks: parseYaml(text) })
}

describe('checks YAML', () => {
  it('reads every type with its fields and the common policy', () => {
    const checks = yaml(`
- {type: http, url: "https://user:pw@api.example.com/health", expect-status: 2xx, severity: warning, timeout: 3s, retries: 2, retry-delay: 500ms}
- {type: tcp, host: db.internal, port: 5432}
- {type: tcp, host: "cache:6379"}
- {type: dns, host: api.example.com, family: 4}
- {type: tls, host: api.example.com, min-days: 30}
- {type: command, run: "pg_isready", env: {PGHOST: db}}
- {type: env, names: [DB_PASSWORD, API_TOKEN]}
- {type: config-schema, file: config.yml, schema: schema.json}
- {type: artifact, path: app.tar.gz, sha256: "${'A'.repeat(64)}"}
- {type: disk, path: /var/lib, min-free: 2GiB}
- {type: memory, min-free: 512MiB}
- {type: github-checks, required: [build]}
- {type: freeze, windows: [{cron: "0 18 * * 5", duration: 62h, timezone: Europe/Berlin}]}
- {type: deployment-lock, environment: production}
`)
    expect(checks.map(check => check.name)).toEqual([
      'http GET https://user:***@api.example.com/health',
      'tcp db.internal:5432',
      'tcp cache:6379',
      'dns api.example.com',
      'tls api.example.com:443',
      'command pg_isready',
      'env DB_PASSWORD, API_TOKEN',
      'config config.yml',
      'artifact app.tar.gz',
      'disk /var/lib',
      'memory',
      'github-checks fffffff',
      'freeze windows',
      'deployment-lock production'
    ])
    expect(checks[0]).toMatchObject({
      severity: 'warning',
      timeoutMs: 3000,
      retries: 2,
      retryDelayMs: 500,
      source: 'checks[0]'
    })
    expect(checks[1]).toMatchObject({ severity: 'error', timeoutMs: 10_000, retries: 0 })
    expect(checks[4]).toMatchObject({ spec: { host: 'api.example.com', port: 443, minDays: 30 } })
    expect(checks[9]).toMatchObject({
      spec: { minFreeBytes: 2 * 1024 ** 3 },
      target: '2.0 GiB free on /var/lib'
    })
    expect(checks[11]).toMatchObject({ spec: { ref: 'f'.repeat(40), required: ['build'] } })
  })

  it.each([
    ['- {type: ftp, host: x}', 'checks[0].type', 'expected one of http, tcp, dns'],
    ['- {type: http}', 'checks[0].url', 'expected a value, got nothing'],
    [
      '- {type: tcp, host: "db:1"}\n- {type: http, url: "ftp://x"}',
      'checks[1].url',
      'expected an http:// or https:// URL'
    ],
    [
      '- {type: http, url: "http://x", expect-status: 700}',
      'checks[0].expect-status',
      'expected status codes or ranges'
    ],
    [
      '- {type: http, url: "http://x", expect_status: 200}',
      'checks[0].expect_status',
      'one of the fields of a http check'
    ],
    ['- {type: tcp, host: db}', 'checks[0].port', 'a port from 1 to 65535'],
    ['- {type: tcp, host: db, port: 99999}', 'checks[0].port', 'a whole number from 1 to 65535'],
    ['- {type: dns, host: "bad name"}', 'checks[0].host', 'a host name'],
    [
      '- {type: tcp, host: db, port: 1, timeout: soon}',
      'checks[0].timeout',
      'a duration such as 30s'
    ],
    ['- {type: tcp, host: db, port: 1, severity: fatal}', 'checks[0].severity', 'error or warning'],
    [
      '- {type: tcp, host: db, port: 1, retries: -1}',
      'checks[0].retries',
      'a whole number from 0 to 20'
    ],
    ['- {type: disk, path: /, min-free: lots}', 'checks[0].min-free', 'a size such as 2GiB'],
    ['- {type: artifact, path: a, sha256: abc}', 'checks[0].sha256', '64 hex digits'],
    ['- {type: env, names: []}', 'checks[0].names', 'a non-empty list'],
    ['- {type: env, names: ["DB-PASSWORD"]}', 'checks[0].names', 'environment variable names'],
    [
      '- {type: freeze, windows: [{cron: "61 * * * *", duration: 1h}]}',
      'checks[0].windows[0].cron',
      'a cron expression'
    ],
    [
      '- {type: freeze, windows: [{cron: "0 18 * * 5"}]}',
      'checks[0].windows[0].duration',
      'a duration'
    ],
    [
      '- {type: freeze, windows: [{from: 2026-12-24, to: 2026-12-20}]}',
      'checks[0].windows[0].to',
      'a time after from'
    ],
    [
      '- {type: freeze, windows: [{from: tomorrow, to: 2026-12-20}]}',
      'checks[0].windows[0].from',
      'a date or date-time'
    ],
    [
      '- {type: freeze, timezone: Mars/Olympus, windows: [{from: 2026-12-24, to: 2026-12-26}]}',
      'checks[0].timezone',
      'an IANA time zone'
    ],
    ['- {type: deployment-lock}', 'checks[0].environment', 'the name of the environment'],
    ['- just a string', 'checks[0]', 'a mapping with at least a type'],
    ['type: tcp', 'checks', 'a YAML list of checks'],
    [
      '- {name: a, type: memory, min-free: 1MB}\n- {name: a, type: memory, min-free: 2MB}',
      'checks[1].name',
      'a name that no other check uses'
    ]
  ])('%s → InputError on %s', (text, input, expected) => {
    const error = inputErrorOf(() => yaml(text))
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input '${input}': `)
    expect(error.message).toContain(expected)
  })

  it('numbers generated names that repeat', () => {
    const checks = yaml(
      '- {type: tcp, host: "db:1"}\n- {type: tcp, host: "db:1"}\n- {type: tcp, host: "db:1", name: "tcp db:1 #2"}'
    )
    expect(checks.map(check => check.name)).toEqual(['tcp db:1', 'tcp db:1 #3', 'tcp db:1 #2'])
  })
})

describe('plain inputs', () => {
  it('make one check per entry, declared by the input', () => {
    const checks = parse({
      httpUrl: 'https://a.example.com/health\nhttps://b.example.com/health',
      expectStatus: '200,204',
      tcp: ['db:5432'],
      dns: ['a.example.com'],
      tls: ['a.example.com', 'b.example.com:8443'],
      requiredVars: ['DB_PASSWORD'],
      configFile: 'c.yml',
      configSchema: 's.json',
      artifact: 'app.tgz',
      diskPath: '/srv',
      githubChecks: true,
      freezeWindows: [{ from: '2026-12-24', to: '2026-12-26' }],
      deploymentLock: true,
      defaults: { ...defaults, environment: 'staging', tlsMinDays: 21 }
    })
    expect(checks.map(check => `${check.source}: ${check.type} ${check.target}`)).toEqual([
      'http-url: http GET https://a.example.com/health',
      'http-url: http GET https://b.example.com/health',
      'tcp: tcp db:5432',
      'dns: dns a.example.com',
      'tls: tls a.example.com:443',
      'tls: tls b.example.com:8443',
      'required-vars: env DB_PASSWORD',
      'app-config-file: config-schema c.yml against s.json',
      'artifact: artifact app.tgz',
      'disk-path: disk 1.0 GiB free on /srv',
      'github-checks: github-checks checks of fffffff',
      'freeze-windows: freeze 1 window: 2026-12-24 – 2026-12-26',
      'deployment-lock: deployment-lock staging'
    ])
    expect(checks[0]).toMatchObject({ spec: { expectStatus: '200,204' } })
    expect(checks[5]).toMatchObject({ spec: { minDays: 21 } })
  })

  it.each([
    [{ tcp: ['db'] }, 'tcp', 'a port from 1 to 65535'],
    [{ tcp: ['db:5432', 'http://x'] }, 'tcp', 'a host name or address'],
    [{ httpUrl: 'not-a-url' }, 'http-url', 'an absolute http(s) URL'],
    [{ expectStatus: '200' }, 'http-url', 'the URL that expect-status applies to'],
    [{ httpUrl: 'http://x', expectStatus: 'ok' }, 'expect-status', 'status codes'],
    [{ configFile: 'c.yml' }, 'config-schema', 'a JSON Schema file'],
    [{ configSchema: 's.json' }, 'app-config-file', "the application's config file"],
    [{ artifactSha256: 'a'.repeat(64) }, 'artifact', 'the path of the file'],
    [{ artifact: 'a', artifactSha256: 'xyz' }, 'artifact-sha256', '64 hex digits'],
    [{ diskPath: '/', diskMinFree: 'much' }, 'disk-min-free', 'a size'],
    [
      { freezeWindows: [{ cron: '0 0 * * *', duration: 'forever' }] },
      'freeze-windows[0].duration',
      'a duration'
    ],
    [{ freezeWindows: 'friday' }, 'freeze-windows', 'a list of windows'],
    [{ deploymentLock: true }, 'environment', 'the name of the environment'],
    [{}, 'checks', 'at least one check']
  ])('%j → InputError on %s', (inputs, input, expected) => {
    const error = inputErrorOf(() => parse(inputs as Partial<PreflightInputs>))
    expect(error.input).toBe(input)
    expect(error.message).toContain(expected)
  })

  it('needs a ref for github-checks', () => {
    const error = inputErrorOf(() =>
      parseChecks({ defaults: { ...defaults, ref: undefined }, githubChecks: true })
    )
    expect(error.input).toBe('ref')
  })
})
