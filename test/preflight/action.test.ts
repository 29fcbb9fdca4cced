import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGitHubClient } from '@slipway/github'
import { runBundle, type BundleRun } from '../helpers/run-bundle.js'
import { startEmulator } from '../github-emulator/index.js'
import {
  closedPort as freePort,
  closeServer,
  httpsServer,
  selfSigned,
  type SelfSigned
} from '../probes/servers.js'

interface Report {
  passed: boolean
  dryRun: boolean
  counts: { total: number; passed: number; failed: number; warnings: number }
  checks: {
    name: string
    type: string
    status: string
    message: string
    attempts: number
    durationMs: number
    source: string
  }[]
}

let dir: string
let http: Server
let httpPort: number
let hits = 0
let year: SelfSigned
let soon: SelfSigned
let yearTls: Awaited<ReturnType<typeof httpsServer>>
let soonTls: Awaited<ReturnType<typeof httpsServer>>
let closedPort: number
let artifact: string
let digest: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-preflight-'))
  http = createServer((req, res) => {
    hits++
    res.statusCode = req.url === '/health' ? 200 : 503
    res.end(req.url === '/health' ? '{"status":"ok"}' : 'down')
  })
  await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
  httpPort = (http.address() as AddressInfo).port
  year = selfSigned(365, 'localhost', dir)
  soon = selfSigned(3, 'localhost', dir)
  yearTls = await httpsServer(year)
  soonTls = await httpsServer(soon)
  closedPort = await freePort()
  artifact = join(dir, 'app.tar.gz')
  writeFileSync(artifact, 'release 1.2.3')
  digest = createHash('sha256').update('release 1.2.3').digest('hex')
  writeFileSync(
    join(dir, 'schema.json'),
    JSON.stringify({
      type: 'object',
      required: ['replicas'],
      properties: { replicas: { type: 'integer' } }
    })
  )
  writeFileSync(join(dir, 'config.yml'), 'replicas: 3\n')
})

afterAll(async () => {
  await closeServer(http)
  await closeServer(yearTls.server)
  await closeServer(soonTls.server)
  rmSync(dir, { recursive: true, force: true })
})

function report(run: BundleRun): Report {
  return JSON.parse(run.outputs.report) as Report
}

/** Everything a person could read after the step: log, summary and outputs. */
function everything(run: BundleRun): string {
  // `::add-mask::` lines are how secrets reach the runner's masking; the runner never shows them.
  const log = `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter(line => !line.startsWith('::add-mask::'))
    .join('\n')
  return [log, run.summary, JSON.stringify(run.outputs)].join('\n')
}

describe('preflight-check action', () => {
  it('passes when every check passes, with one table and the outputs', async () => {
    const run = await runBundle('preflight-check', {
      workspace: dir,
      inputs: {
        'http-url': `http://127.0.0.1:${httpPort}/health`,
        'expect-status': '200',
        tcp: `127.0.0.1:${httpPort}`,
        dns: 'localhost',
        'required-vars': 'DEPLOY_REGION',
        'app-config-file': 'config.yml',
        'config-schema': 'schema.json',
        artifact: 'app.tar.gz',
        'artifact-sha256': digest,
        'disk-path': dir,
        'disk-min-free': '1MiB',
        checks: [
          `- {type: tls, name: api certificate, host: localhost, port: ${yearTls.port}, ca: ${year.certFile}, min-days: 30}`,
          `- {type: command, run: 'test "$DEPLOY_REGION" = eu-west-1'}`,
          `- type: freeze`,
          `  windows: [{name: ancient history, from: 2001-01-01, to: 2001-01-02}]`
        ].join('\n')
      },
      env: { DEPLOY_REGION: 'eu-west-1' }
    })
    expect(run.annotations.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.passed).toBe('true')
    expect(run.outputs['failed-checks']).toBe('')
    expect(run.outputs['failed-checks-json']).toBe('[]')
    const parsed = report(run)
    expect(parsed.counts).toEqual({ total: 10, passed: 10, failed: 0, warnings: 0 })
    expect(parsed.checks.map(check => check.type)).toEqual([
      'http',
      'tcp',
      'dns',
      'env',
      'config-schema',
      'artifact',
      'disk',
      'tls',
      'command',
      'freeze'
    ])
    expect(parsed.checks.every(check => check.attempts === 1 && check.durationMs >= 0)).toBe(true)
    expect(run.summary).toContain('## Preflight checks')
    expect(run.summary).toContain('**Preflight passed** — ✅ 10 passed')
    expect(run.summary).toContain('|  | check | type | result | duration | attempts |')
    expect(run.summary).toMatch(/\| ✅ \| api certificate \| tls \| localhost:\d+: \d+ days left/)
    expect(run.summary).toContain(`| ✅ | http GET http://127.0.0.1:${httpPort}/health | http |`)
  })

  it('still takes the deprecated config-file, with a warning to use app-config-file', async () => {
    const run = await runBundle('preflight-check', {
      workspace: dir,
      inputs: { 'config-file': 'config.yml', 'config-schema': 'schema.json' }
    })
    expect(run.exitCode).toBe(0)
    expect(report(run).checks.map(check => [check.type, check.status, check.source])).toEqual([
      ['config-schema', 'passed', 'config-file']
    ])
    expect(run.annotations.warnings).toEqual([
      expect.stringContaining('config-file is deprecated here: use app-config-file')
    ])
  })

  it('fails the step when a check of severity error fails, naming the failures', async () => {
    const run = await runBundle('preflight-check', {
      inputs: {
        tcp: `127.0.0.1:${closedPort}`,
        dns: 'deploy.invalid',
        'http-url': `http://127.0.0.1:${httpPort}/health`,
        checks: `- {type: tls, name: expiring cert, host: localhost, port: ${soonTls.port}, insecure: true}`,
        retries: '1',
        'retry-delay': '50ms'
      }
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.passed).toBe('false')
    expect(run.outputs['failed-checks']).toBe(
      `tcp 127.0.0.1:${closedPort},dns deploy.invalid,expiring cert`
    )
    expect(JSON.parse(run.outputs['failed-checks-json'])).toEqual([
      `tcp 127.0.0.1:${closedPort}`,
      'dns deploy.invalid',
      'expiring cert'
    ])
    expect(run.annotations.errors).toHaveLength(1)
    expect(run.annotations.errors[0]).toMatch(
      /^preflight-check failed: 3 of 4 checks failed: tcp 127\.0\.0\.1:\d+ \(.*connection refused/
    )
    expect(run.annotations.errors[0]).toMatch(
      /expiring cert \(localhost:\d+: certificate of CN=localhost expires in [23] day\(s\), fewer than 14/
    )
    const failed = report(run).checks.filter(check => check.status === 'failed')
    expect(failed.map(check => check.attempts)).toEqual([2, 2, 2])
    expect(run.summary).toContain('**Preflight failed** — ✅ 1 passed · ❌ 3 failed')
    expect(run.summary).toMatch(
      /\| ❌ \| dns deploy\.invalid \| dns \| deploy\.invalid: names under \.invalid never resolve \(RFC 6761\) \| \d+ms \| 2 \|/
    )
  })

  it('reports warning checks without failing', async () => {
    const run = await runBundle('preflight-check', {
      inputs: {
        checks: [
          `- {type: http, name: status page, url: "http://127.0.0.1:${httpPort}/status", severity: warning}`,
          `- {type: tcp, name: api port, host: 127.0.0.1, port: ${httpPort}}`
        ].join('\n')
      }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.passed).toBe('true')
    expect(run.outputs['warning-checks']).toBe('status page')
    expect(run.annotations.warnings).toEqual([
      expect.stringMatching(/^status page: GET http:\/\/127\.0\.0\.1:\d+\/status → .*503/)
    ])
    expect(run.summary).toContain('✅ 1 passed · ⚠️ 1 warning')
    expect(run.summary).toMatch(/\| ⚠️ \| status page \| http \|/)
  })

  it('never fails the step with fail-on: never, but still says passed=false', async () => {
    const run = await runBundle('preflight-check', {
      inputs: { tcp: `127.0.0.1:${closedPort}`, 'fail-on': 'never' }
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.passed).toBe('false')
    expect(run.outputs['failed-checks']).toBe(`tcp 127.0.0.1:${closedPort}`)
    expect(run.annotations.errors).toEqual([])
    expect(run.annotations.warnings).toEqual([
      `tcp 127.0.0.1:${closedPort}: 127.0.0.1:${closedPort}: connection refused (ECONNREFUSED)`
    ])
    expect(run.summary).toContain('Preflight failed (fail-on: never, not blocking)')
  })

  it('lists the checks in a dry run and runs none of them', async () => {
    const marker = join(dir, 'dry-run-marker')
    const before = hits
    const run = await runBundle('preflight-check', {
      inputs: {
        'dry-run': 'true',
        'http-url': `http://127.0.0.1:${httpPort}/health`,
        command: `touch ${marker}`,
        checks:
          '- {type: tcp, host: "db.internal:5432", severity: warning, timeout: 3s, retries: 2}'
      }
    })
    expect(run.exitCode).toBe(0)
    expect(hits).toBe(before)
    expect(existsSync(marker)).toBe(false)
    expect(run.outputs.passed).toBeUndefined()
    const parsed = report(run)
    expect(parsed.dryRun).toBe(true)
    expect(parsed.checks.map(check => [check.name, check.status, check.source])).toEqual([
      [`http GET http://127.0.0.1:${httpPort}/health`, 'planned', 'http-url'],
      [`command touch ${marker}`, 'planned', 'command'],
      ['tcp db.internal:5432', 'planned', 'checks[0]']
    ])
    expect(run.summary).toContain('## Preflight checks (dry run)')
    expect(run.summary).toContain('Dry run: 3 checks would run; nothing was checked.')
    expect(run.summary).toContain(
      '| 📋 | tcp db.internal:5432 | tcp | db.internal:5432 | warning | 3.0s | 2 | `checks[0]` |'
    )
  })

  it.each([
    [{ checks: '- {type: tcp, host: [unclosed' }, "Input 'checks': expected valid YAML"],
    [
      { checks: '- {type: tcp, host: "db:1"}\n- {type: smtp, host: mail}' },
      "Input 'checks[1].type': expected one of http, tcp, dns, tls"
    ],
    [
      { checks: '- {type: http, url: "http://x", timeout: forever}' },
      "Input 'checks[0].timeout': expected a duration"
    ],
    [{ checks: '- {type: http}' }, "Input 'checks[0].url': expected a value, got nothing"],
    [{ tcp: 'db.internal' }, "Input 'tcp': expected a port from 1 to 65535"],
    [{ tcp: 'db:1', timeout: 'soon' }, "Input 'timeout': expected a duration"],
    [{ tcp: 'db:1', 'fail-on': 'warning' }, "Input 'fail-on': expected one of error, never"],
    [{}, "Input 'checks': expected at least one check"]
  ])('rejects bad input %j with an InputError and runs nothing', async (inputs, message) => {
    const marker = join(dir, 'bad-input-marker')
    // A command check beside the bad input shows that nothing runs when any input is bad.
    const withCommand =
      Object.keys(inputs).length > 0 ? { ...inputs, command: `touch ${marker}` } : inputs
    const run = await runBundle('preflight-check', { inputs: withCommand })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors).toHaveLength(1)
    expect(run.annotations.errors[0]).toContain(`preflight-check failed: ${message}`)
    expect(existsSync(marker)).toBe(false)
    expect(run.outputs).toEqual({})
  })

  it('never prints secret values, only the names of variables', async () => {
    const secret = 'pa55-w0rd-that-must-not-leak'
    const urlSecret = 'url-pa55word'
    const run = await runBundle('preflight-check', {
      inputs: {
        'required-vars': 'DB_PASSWORD, API_TOKEN',
        command: 'echo "connecting with $DB_PASSWORD"; exit 2',
        'http-url': `http://deploy:${urlSecret}@127.0.0.1:${closedPort}/health`
      },
      env: { DB_PASSWORD: secret }
    })
    expect(run.exitCode).toBe(1)
    expect(everything(run)).not.toContain(secret)
    expect(everything(run)).not.toContain(urlSecret)
    expect(run.stdout).toContain(`::add-mask::${secret}`)
    expect(run.stdout).toContain(`::add-mask::${urlSecret}`)
    expect(run.summary).toContain('missing or empty: API_TOKEN (1 of 2 set)')
    expect(run.summary).toContain('exited 2: connecting with ***')
    expect(run.summary).toContain(`http GET http://deploy:***@127.0.0.1:${closedPort}/health`)
  })
})

describe('preflight-check against the GitHub emulator', () => {
  it('checks the commit’s CI and the deployment lock', async () => {
    const gh = await startEmulator()
    try {
      const sha = gh.state.addCommit({ message: 'feat: ship it' })
      gh.state.addCheckRun(sha, { name: 'build' })
      gh.state.addCheckRun(sha, { name: 'test', status: 'in_progress' })
      const current = gh.state.addWorkflowRun({ status: 'in_progress', head_sha: sha })
      const other = gh.state.addWorkflowRun({ status: 'in_progress', head_sha: sha })
      const octokit = createGitHubClient({ token: gh.token, baseUrl: gh.url })
      const { data } = await octokit.rest.repos.createDeployment({
        owner: gh.owner,
        repo: gh.repo,
        ref: sha,
        environment: 'production',
        auto_merge: false,
        required_contexts: [],
        payload: { run_id: other }
      })
      const deploymentId = (data as { id: number }).id
      await octokit.rest.repos.createDeploymentStatus({
        owner: gh.owner,
        repo: gh.repo,
        deployment_id: deploymentId,
        state: 'in_progress'
      })
      const inputs = {
        'github-checks': 'true',
        'required-checks': 'build',
        'deployment-lock': 'true',
        environment: 'production',
        token: gh.token,
        repository: `${gh.owner}/${gh.repo}`
      }
      const env = { GITHUB_API_URL: gh.url, GITHUB_SHA: sha, GITHUB_RUN_ID: String(current) }
      const blocked = await runBundle('preflight-check', { inputs, env })
      expect(blocked.exitCode).toBe(1)
      expect(
        report(blocked).checks.map(check => [check.name, check.status, check.message])
      ).toEqual([
        [
          `github-checks ${sha.slice(0, 7)}`,
          'failed',
          `${sha.slice(0, 7)}: not finished yet: test (in_progress)`
        ],
        [
          'deployment-lock production',
          'failed',
          `production is locked: deployment ${deploymentId} of ${sha} is in_progress (run ${other} is in_progress)`
        ]
      ])
      expect(blocked.stdout).toContain(`::add-mask::${gh.token}`)
      expect(everything(blocked)).not.toContain(gh.token)

      gh.state.checkRuns(sha).find(run => run.name === 'test')!.status = 'completed'
      gh.state.checkRuns(sha).find(run => run.name === 'test')!.conclusion = 'success'
      gh.state.workflowRuns.find(run => run.id === other)!.status = 'completed'
      const clear = await runBundle('preflight-check', { inputs, env })
      expect(clear.annotations.errors).toEqual([])
      expect(clear.exitCode).toBe(0)
      expect(report(clear).checks.map(check => check.message)).toEqual([
        `${sha.slice(0, 7)}: all 2 check runs and statuses succeeded`,
        `no deployment of production in progress (1 checked); ignored 1 stale: deployment ${deploymentId} of ${sha} is in_progress (run ${other} has finished)`
      ])
    } finally {
      await gh.close()
    }
  })

  it('asks for a token when GitHub checks are requested without one', async () => {
    const run = await runBundle('preflight-check', {
      inputs: { 'github-checks': 'true', repository: 'octo/app' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.annotations.errors[0]).toContain(
      "preflight-check failed: Input 'token': expected a GitHub token"
    )
  })
})
