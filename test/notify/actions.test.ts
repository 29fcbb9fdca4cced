import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { runBundle } from '../helpers/run-bundle.js'
import { gitRepo, slipway } from '../cli/helpers.js'

// The notification as the actions send it: deploy-strategy as the runner runs its bundle;
// rollback and tag-and-release through the CLI (their mains, over the local ledger).

let server: Server
let hook: string
interface Received {
  text?: string
  attachments?: { content: { body: { text: string }[] } }[]
  [key: string]: unknown
}
const received: { path: string; body: Received }[] = []
const cwd = gitRepo(['feat: first', 'fix: second'])

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = ''
    req.on('data', chunk => (text += chunk))
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) })
      res.end('ok')
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/SECRET-TOKEN`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
  rmSync(cwd, { recursive: true, force: true })
})

const hooks = {
  'prepare-command': 'echo "$SLIPWAY_VERSION" > "slot-$SLIPWAY_SLOT"',
  'route-command': 'test "$SLIPWAY_WEIGHT_BLUE" = 100 && echo blue > live || echo green > live',
  'current-command':
    'for s in blue green; do test -f slot-$s && echo "$s $(cat slot-$s) $(test "$(cat live 2>/dev/null)" = $s && echo 100 || echo 0)"; done; true',
  'health-interval': '50ms',
  // The gate probes the "platform": the slot's file must hold the version it should run.
  'health-command': 'test "$(cat "slot-$SLIPWAY_SLOT")" = "$SLIPWAY_VERSION"'
}
const flags = Object.entries(hooks).flatMap(([k, v]) => [`--${k}`, v])

describe('webhook notifications from the actions', () => {
  test('deploy-strategy: success and failure are posted; a dead webhook only warns', async () => {
    const base = {
      strategy: 'blue-green',
      environment: 'staging',
      'record-deployment': false,
      ...hooks
    }
    const ok = await runBundle('deploy-strategy', {
      workspace: cwd,
      inputs: { ...base, version: '1.0.0', 'webhook-url': hook, 'webhook-format': 'slack' }
    })
    expect(ok.exitCode).toBe(0)
    const success = received.pop()!
    expect(success.path).toBe('/hooks/SECRET-TOKEN')
    expect(success.body.text).toBe('✅ octo-org/octo-app: Deployed 1.0.0 to staging (blue-green)')
    expect(
      ok.stdout
        .split('\n')
        .filter(l => !l.startsWith('::add-mask::'))
        .join('\n')
    ).not.toContain('SECRET-TOKEN')

    const failed = await runBundle('deploy-strategy', {
      workspace: cwd,
      inputs: {
        ...base,
        version: '1.1.0',
        'health-command': 'false',
        'health-timeout': '300ms',
        'webhook-url': hook,
        'webhook-format': 'json'
      }
    })
    expect(failed.exitCode).toBe(1)
    const failure = received.pop()!
    expect(failure.body).toMatchObject({
      event: 'deploy-failure',
      version: '1.1.0',
      environment: 'staging',
      previousVersion: '1.0.0'
    })

    const dead = await runBundle('deploy-strategy', {
      workspace: cwd,
      inputs: { ...base, version: '1.2.0', 'webhook-url': 'http://127.0.0.1:1/hooks/SECRET-TOKEN' }
    })
    expect(dead.exitCode).toBe(0)
    expect(dead.annotations.warnings.join('\n')).toContain(
      'Could not send the deploy-success notification'
    )
    expect(dead.annotations.warnings.join('\n')).not.toContain('SECRET-TOKEN')

    const bad = await runBundle('deploy-strategy', {
      workspace: cwd,
      inputs: { ...base, version: '1.3.0', 'webhook-url': hook, 'webhook-format': 'discord' }
    })
    expect(bad.exitCode).toBe(1)
    expect(bad.annotations.errors.join('\n')).toContain("Input 'webhook-format'")
    // Nothing changed by the bad input: 1.3.0 would have been prepared on blue.
    expect(readFileSync(join(cwd, 'slot-blue'), 'utf8').trim()).toBe('1.0.0')
    expect(readFileSync(join(cwd, 'slot-green'), 'utf8').trim()).toBe('1.2.0')
  })

  test('rollback and tag-and-release post through the CLI', async () => {
    for (const version of ['2.0.0', '2.1.0']) {
      const run = await slipway(
        [
          'deploy',
          '--strategy',
          'blue-green',
          '--version',
          version,
          '--environment',
          'qa',
          ...flags,
          '--quiet'
        ],
        { cwd }
      )
      expect(run.code).toBe(0)
    }
    received.length = 0
    const rollback = await slipway(
      [
        'rollback',
        '--environment',
        'qa',
        ...flags,
        '--drain-delay',
        '0s',
        '--webhook-url',
        hook,
        '--webhook-format',
        'teams',
        '--quiet'
      ],
      { cwd }
    )
    expect(rollback.stderr).not.toContain('error:')
    expect(rollback.code).toBe(0)
    const card = received.pop()!.body.attachments![0].content
    expect(card.body[0].text).toBe('↩️ local/' + cwd.split('/').pop() + ': Rolled back 2.0.0 in qa')

    const release = await slipway(['release', '--webhook-url', hook, '--quiet'], { cwd })
    expect(release.code).toBe(0)
    expect(received.pop()!.body.text).toContain('Released v0.1.0')
    expect(release.stdout + release.stderr).not.toContain('SECRET-TOKEN')
  })
})
