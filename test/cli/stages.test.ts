import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gitIn, gitRepo, slipway } from './helpers.js'

let server: Server
let base: string
const cwd = gitRepo(['feat: first'])

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/stable') {
      // "stable" only while the live slot serves 2.0.0: the pipeline test's smoke check.
      const live = existsSync(join(cwd, 'live'))
        ? readFileSync(join(cwd, 'live'), 'utf8').trim()
        : ''
      const slot = join(cwd, `slot-${live}`)
      const version = live && existsSync(slot) ? readFileSync(slot, 'utf8').trim() : ''
      res.statusCode = version === '2.0.0' ? 200 : 500
      res.end(version === '2.0.0' ? 'stable' : `serving ${version}`)
    } else if (req.url === '/health') {
      res.setHeader('content-type', 'application/json')
      res.end('{"status":"ok","version":"1.1.0"}')
    } else {
      res.statusCode = 503
      res.end('down')
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
  rmSync(cwd, { recursive: true, force: true })
})

const ledger = () => JSON.parse(readFileSync(join(cwd, '.slipway', 'ledger.json'), 'utf8'))
const json = (stdout: string) =>
  JSON.parse(stdout) as { ok: boolean; outputs: Record<string, string>; error?: string }

// The script provider's hooks keep the "router" in a file: which slot serves which version.
const hooks = [
  '--prepare-command',
  'echo "$SLIPWAY_VERSION" > "slot-$SLIPWAY_SLOT"',
  '--route-command',
  'test "$SLIPWAY_WEIGHT_BLUE" = 100 && echo blue > live || echo green > live',
  // "slot version weight" lines, as the script provider reads them.
  '--current-command',
  'for s in blue green; do test -f slot-$s && echo "$s $(cat slot-$s) $(test "$(cat live 2>/dev/null)" = $s && echo 100 || echo 0)"; done; true',
  '--health-interval',
  '50ms',
  // The gate probes the "platform": the slot's file must hold the version it should run.
  '--health-command',
  'test "$(cat "slot-$SLIPWAY_SLOT")" = "$SLIPWAY_VERSION"'
]

describe('slipway on this machine (local ledger, no token)', () => {
  test('preflight: passes against a live server, fails (exit 1) on a closed port', async () => {
    const ok = await slipway(
      ['preflight', '--http-url', `${base}/health`, '--tcp', base.replace('http://', ''), '--json'],
      { cwd }
    )
    expect(ok.code).toBe(0)
    expect(json(ok.stdout).outputs.passed).toBe('true')
    expect(ok.stderr).toContain('No GitHub token: using the local ledger')
    const bad = await slipway(['preflight', '--tcp', '127.0.0.1:1', '--timeout', '2s'], { cwd })
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('## Preflight checks')
    // A failed check is the user's to fix: it reads plainly, with what to do.
    expect(bad.stderr).toMatch(/^error: 1 of 1 checks failed: tcp 127\.0\.0\.1:1/m)
    expect(bad.stderr).toMatch(/^hint: /m)
  })

  test('preflight --config reads the preflight section, not the file as the app config', async () => {
    writeFileSync(
      join(cwd, 'preflight.yml'),
      ['version: 1', 'environments:', '  qa:', '    preflight:', '      tcp: 127.0.0.1:1', ''].join(
        '\n'
      )
    )
    const run = await slipway(
      ['preflight', '--config', 'preflight.yml', '--environment', 'qa', '--timeout', '2s'],
      { cwd }
    )
    // the section's tcp check ran (and failed: nothing listens there)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/checks failed: tcp 127\.0\.0\.1:1/)
  })

  test('progress: a heartbeat on stderr while a step runs long, none with --quiet', async () => {
    const env = { SLIPWAY_PROGRESS_INTERVAL: '200ms' }
    const run = await slipway(['preflight', '--command', 'sleep 1'], { cwd, env })
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(/… slipway preflight still running \(\d+s\)/)
    expect(run.stderr).toMatch(/^\[\d+\.\ds\] /m)
    const quiet = await slipway(['preflight', '--command', 'sleep 1', '--quiet'], { cwd, env })
    expect(quiet.code).toBe(0)
    expect(quiet.stderr).toBe('')
  })

  test('backup: a SQLite database to a directory store, verified, then listed', async () => {
    spawnSync('sqlite3', [join(cwd, 'app.db'), 'create table t(x); insert into t values (1),(2);'])
    const run = await slipway(
      [
        'backup',
        '--database-url',
        `sqlite://${join(cwd, 'app.db')}`,
        '--store',
        'dir',
        '--path',
        'backups',
        '--verify',
        '--json'
      ],
      { cwd }
    )
    expect(run.stderr).not.toContain('error:')
    const { outputs } = json(run.stdout)
    expect(outputs.verified).toBe('true')
    expect(existsSync(outputs.location)).toBe(true)
    const list = await slipway(
      ['backup', '--operation', 'list', '--store', 'dir', '--path', 'backups', '--json'],
      { cwd }
    )
    expect(json(list.stdout).outputs['backup-id']).toBe(outputs['backup-id'])
  })

  test('smoke: summary to a file, JUnit written; a failing check exits 1', async () => {
    const ok = await slipway(
      [
        'smoke',
        '--url',
        `${base}/health`,
        '--expect-json',
        '{"$.status": "ok"}',
        '--summary-file',
        'out/smoke.md',
        '--junit-path',
        'out/junit.xml'
      ],
      { cwd }
    )
    expect(ok.code).toBe(0)
    expect(ok.stdout).toBe('')
    expect(readFileSync(join(cwd, 'out/smoke.md'), 'utf8')).toContain('passed')
    expect(existsSync(join(cwd, 'out/junit.xml'))).toBe(true)
    const bad = await slipway(['smoke', '--url', `${base}/missing`, '--timeout', '1s', '--json'], {
      cwd
    })
    expect(bad.code).toBe(1)
    expect(json(bad.stdout).outputs.passed).toBe('false')
  })

  test('deploy (script provider) twice, a failing deploy, then report and rollback over the ledger', async () => {
    const first = await slipway(
      [
        'deploy',
        '--strategy',
        'blue-green',
        '--version',
        '1.0.0',
        '--environment',
        'staging',
        ...hooks,
        '--json'
      ],
      { cwd }
    )
    expect(first.stderr).not.toContain('error')
    expect(first.code).toBe(0)
    expect(json(first.stdout).outputs).toMatchObject({
      status: 'success',
      slot: 'blue',
      'deployment-id': expect.any(String)
    })
    const second = await slipway(
      [
        'deploy',
        '--strategy',
        'blue-green',
        '--version',
        '1.1.0',
        '--environment',
        'staging',
        ...hooks,
        '--json'
      ],
      { cwd }
    )
    expect(json(second.stdout).outputs).toMatchObject({
      status: 'success',
      slot: 'green',
      'previous-version': '1.0.0'
    })
    expect(readFileSync(join(cwd, 'live'), 'utf8').trim()).toBe('green')

    // Roll back to the warm blue slot: the ledger holds the rollback as a deployment.
    const rollback = await slipway(
      [
        'rollback',
        '--environment',
        'staging',
        ...hooks,
        '--drain-delay',
        '0s',
        '--reason',
        'test',
        '--json'
      ],
      { cwd }
    )
    expect(rollback.stderr).not.toContain('error:')
    expect(json(rollback.stdout)).toMatchObject({ ok: true })
    expect(json(rollback.stdout).outputs).toMatchObject({
      'rolled-back-to': '1.0.0',
      'rolled-back-from': '1.1.0',
      status: 'success'
    })
    expect(readFileSync(join(cwd, 'live'), 'utf8').trim()).toBe('blue')
    const rolled = ledger()
    expect(rolled.deployments[2].payload.rollback_of).toBe(rolled.deployments[1].id)

    // A health gate that never passes: the deploy fails closed and the ledger records it.
    const failed = await slipway(
      [
        'deploy',
        '--strategy',
        'blue-green',
        '--version',
        '1.2.0',
        '--environment',
        'staging',
        ...hooks,
        '--health-command',
        'false',
        '--health-timeout',
        '300ms'
      ],
      { cwd }
    )
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/^error: health gate failed/m)
    expect(readFileSync(join(cwd, 'live'), 'utf8').trim()).toBe('blue')
    const data = ledger()
    expect(
      data.deployments.map((d: { payload: { version: string } }) => d.payload.version)
    ).toEqual(['1.0.0', '1.1.0', '1.0.0', '1.2.0'])
    expect(data.statuses[String(data.deployments[3].id)][0].state).toBe('failure')

    // 3 deployments (1.1.0 rolled back, 1.2.0 failed), 1 successful rollback. The history is
    // read from the ledger file: no API call at all.
    const report = await slipway(
      ['report', '--environment', 'staging', '--window', '1d', '--json'],
      { cwd }
    )
    expect(report.code).toBe(0)
    const figures = json(report.stdout).outputs
    expect(figures['success-rate']).toBe('66.67')
    expect(figures['rollback-success-rate']).toBe('100')
    expect(figures['change-failure-rate']).toBe('66.67')
    expect(figures['api-calls']).toBe('0')
    expect(figures['targets-met']).toBe('false')
  })

  test('deploy from a config file section; flags win over the file', async () => {
    writeFileSync(
      join(cwd, 'slipway.yml'),
      [
        'version: 1',
        'defaults:',
        '  deploy:',
        '    strategy: rolling',
        'environments:',
        '  qa:',
        '    deploy:',
        '      strategy: blue-green',
        '      health-interval: 50ms',
        '      prepare-command: echo "$SLIPWAY_VERSION" > qa-prepared',
        '      route-command: "true"',
        '      health-command: test -s qa-prepared',
        ''
      ].join('\n')
    )
    const run = await slipway(
      [
        'deploy',
        '--config',
        'slipway.yml',
        '--environment',
        'qa',
        '--version',
        '3.0.0',
        '--prepare-command',
        'echo "flag-$SLIPWAY_VERSION" > qa-prepared',
        '--json'
      ],
      { cwd }
    )
    expect(run.stderr).not.toContain('error')
    expect(json(run.stdout).outputs).toMatchObject({ strategy: 'blue-green', status: 'success' })
    // strategy and health-interval came from the qa section (over the defaults), the hook from the flag.
    expect(readFileSync(join(cwd, 'qa-prepared'), 'utf8').trim()).toBe('flag-3.0.0')
    expect(ledger().deployments.at(-1).environment).toBe('qa')
    const unknown = await slipway(
      ['deploy', '--config', 'slipway.yml', '--environment', 'prod', '--version', '3.0.0'],
      { cwd }
    )
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain(
      "Input 'environment': expected one of the environments in the config file (qa)"
    )
  })

  test('release: tag in local git, release in the ledger, idempotent on re-run', async () => {
    const repo = gitRepo(['feat: first', 'fix: second'])
    try {
      const run = await slipway(['release', '--json'], { cwd: repo })
      expect(run.stderr).not.toContain('error')
      expect(json(run.stdout).outputs).toMatchObject({
        released: 'true',
        tag: 'v0.1.0',
        bump: 'minor'
      })
      expect(gitIn(repo, 'tag', '-l').trim()).toBe('v0.1.0')
      expect(gitIn(repo, 'cat-file', '-t', 'v0.1.0').trim()).toBe('tag')
      const data = JSON.parse(readFileSync(join(repo, '.slipway', 'ledger.json'), 'utf8'))
      expect(data.releases).toHaveLength(1)
      expect(data.releases[0]).toMatchObject({ tag_name: 'v0.1.0', draft: false })
      expect(data.releases[0].body).toContain('### Bug Fixes')
      const again = await slipway(['release', '--json'], { cwd: repo })
      expect(again.code).toBe(0)
      expect(
        JSON.parse(readFileSync(join(repo, '.slipway', 'ledger.json'), 'utf8')).releases
      ).toHaveLength(1)
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })

  test('pipeline: deploy, then a deploy whose smoke test fails rolls back automatically', async () => {
    const config = [
      'version: 1',
      'environments:',
      '  pipe:',
      '    deploy:',
      '      strategy: blue-green',
      '      health-interval: 50ms',
      `      prepare-command: '${hooks[1]}'`,
      `      route-command: '${hooks[3]}'`,
      `      current-command: '${hooks[5]}'`,
      `      health-command: '${hooks[9]}'`,
      '    smoke:',
      `      url: ${base}/stable`,
      '      timeout: 2s',
      '    rollback:',
      '      drain-delay: 0s',
      ''
    ].join('\n')
    writeFileSync(join(cwd, 'pipe.yml'), config)
    rmSync(join(cwd, 'live'), { force: true })
    const first = await slipway(
      [
        'pipeline',
        '--config',
        'pipe.yml',
        '--environment',
        'pipe',
        '--version',
        '2.0.0',
        '--stages',
        'deploy,smoke',
        '--json'
      ],
      { cwd }
    )
    expect(first.stderr).not.toContain('error:')
    expect(json(first.stdout).outputs).toMatchObject({ status: 'success', 'failed-stage': '' })
    const second = await slipway(
      [
        'pipeline',
        '--config',
        'pipe.yml',
        '--environment',
        'pipe',
        '--version',
        '2.1.0',
        '--stages',
        'deploy,smoke',
        '--json'
      ],
      { cwd }
    )
    expect(second.code).toBe(1)
    expect(json(second.stdout).outputs).toMatchObject({
      status: 'rolled-back',
      'failed-stage': 'smoke',
      'rolled-back-to': '2.0.0'
    })
    expect(readFileSync(join(cwd, 'live'), 'utf8').trim()).toBe('blue')
    // The pipeline's timeline is what the report action takes as its stages.
    const timeline = json(second.stdout).outputs.timeline
    const report = await slipway(
      ['report', '--environment', 'pipe', '--stages', timeline, '--quiet'],
      { cwd }
    )
    expect(report.code).toBe(0)
    expect(report.stdout).toMatch(/\| smoke \| failure \| \d/)
    expect(report.stdout).toContain('section Stages')
    expect(report.stdout).toContain('Rollback success rate | 100%')
  })
})
