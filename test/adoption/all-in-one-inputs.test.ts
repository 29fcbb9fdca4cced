import { describe, expect, test } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { Inputs, type RunnerEnv } from '@slipway/kit'
import { parsePipelineSettings, readRootInputs, stageSource, type Done } from '@slipway/pipeline'
import { readConfigFile } from '@slipway/rollback'
import { repoRoot } from '../helpers/run-bundle.js'
import { tempDir } from '../services/process.js'

// Issue #16: the canonical VM case (hosts over SSH, HAProxy in front, an encrypted PostgreSQL
// backup restored on rollback) through the all-in-one action alone. Its inputs are read as the
// runner passes them: every input the step does not give arrives with its action.yml default.

interface ActionYaml {
  inputs: Record<string, { default?: string }>
}
const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionYaml

/** The step's `with:` plus the action.yml defaults of the rest, as the runner does. */
function asRunner(given: Record<string, string>): Inputs {
  const values: Record<string, string | undefined> = {}
  for (const [name, spec] of Object.entries(action.inputs))
    values[name] = given[name] ?? (spec.default?.includes('${{') ? undefined : spec.default)
  for (const [name, value] of Object.entries(given)) values[name] = value
  return new Inputs(name => values[name])
}

const ROUTER = {
  router: 'haproxy',
  'router-host': 'deploy@10.0.0.5',
  'haproxy-socket': '/run/haproxy/admin.sock',
  'haproxy-backend': 'shop',
  'haproxy-config': '/etc/haproxy/haproxy.cfg',
  'haproxy-backend-file': '/etc/haproxy/slipway.cfg',
  'haproxy-state-file': '/var/lib/haproxy/slipway.state',
  'haproxy-server-options': 'check inter 1s',
  'haproxy-drain-timeout': '20s',
  'haproxy-relay': 'socat'
}
const SECRETS = {
  'ssh-private-key': '-----BEGIN OPENSSH PRIVATE KEY-----\nkey-material\n',
  'known-hosts': '10.0.0.5 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample',
  'age-identity': 'AGE-SECRET-KEY-1EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE',
  'database-url': 'postgres://app:pw@127.0.0.1:5432/shop'
}

describe('the all-in-one action takes what the VM case needs', () => {
  test('action.yml declares the SSH, age identity, restore-data and router inputs', () => {
    for (const name of [...Object.keys(ROUTER), ...Object.keys(SECRETS), 'restore-data'])
      expect({ name, declared: name in action.inputs }).toEqual({ name, declared: true })
  })

  test('each reaches the deploy and the rollback under their own names', () => {
    const root = readRootInputs(asRunner({ version: 'v1.0.0', ...ROUTER, ...SECRETS }))
    const done: Done = {
      backup: { stage: 'backup', status: 'success', outputs: { 'backup-id': 'b1' } } as never
    }
    const deploy = stageSource('deploy', root, undefined, 'token')
    const rollback = stageSource('rollback', root, undefined, 'token', done)
    const backup = stageSource('backup', root, undefined, 'token')
    for (const [name, value] of Object.entries({ ...ROUTER, ...SECRETS })) {
      if (name === 'database-url' || name === 'age-identity') continue
      expect({ name, deploy: deploy(name), rollback: rollback(name) }).toEqual({
        name,
        deploy: value.trim(),
        rollback: value.trim()
      })
    }
    expect(rollback('age-identity')).toBe(SECRETS['age-identity'])
    expect(backup('age-identity')).toBe(SECRETS['age-identity'])
    expect(rollback('database-url')).toBe(SECRETS['database-url'])
  })

  test("the config file's rollback.restore-data holds when the step does not set it", () => {
    const workspace = tempDir('adoption-ws')
    writeFileSync(
      join(workspace, 'slipway.yml'),
      stringify({ version: 1, defaults: { rollback: { 'restore-data': true } } })
    )
    const config = readConfigFile('slipway.yml', 'config-file', workspace)
    const done: Done = {
      backup: { stage: 'backup', status: 'success', outputs: { 'backup-id': 'b1' } } as never
    }
    const fromFile = readRootInputs(asRunner({ version: 'v1.0.0', 'config-file': 'slipway.yml' }))
    expect(stageSource('rollback', fromFile, config, 't', done)('restore-data')).toBe('true')
    // the step's own value still wins over the file
    const off = readRootInputs(
      asRunner({ version: 'v1.0.0', 'config-file': 'slipway.yml', 'restore-data': 'false' })
    )
    expect(stageSource('rollback', off, config, 't', done)('restore-data')).toBe('false')
  })

  test('the key, the age identity and the database URL are masked before any stage runs', () => {
    const runnerEnv: RunnerEnv = {
      workspace: tempDir('adoption-mask'),
      runnerTemp: tempDir('adoption-temp'),
      repository: 'acme/shop'
    }
    // only the smoke test runs: none of the stages that would mask the secrets themselves
    const settings = parsePipelineSettings(
      asRunner({
        version: 'v1.0.0',
        stages: 'smoke',
        'smoke-url': 'http://127.0.0.1:9/',
        ...SECRETS
      }),
      runnerEnv,
      { token: 'gh-token' }
    )
    for (const name of ['ssh-private-key', 'age-identity', 'database-url'] as const)
      expect(settings.secrets).toContain(SECRETS[name].trim())
  })
})
