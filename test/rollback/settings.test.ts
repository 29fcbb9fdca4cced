import { afterEach, describe, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { InputError, Inputs, type RunnerEnv } from '@slipway/kit'
import { parseRollbackSettings } from '@slipway/rollback'
import { tempDir } from '../services/process.js'

// parseRollbackSettings is the only place rollback's setting errors come from: the provider
// inputs it borrows from deploy-strategy are validated there, before any history is read, and a
// config file is found in the workspace the runner facts name.

function runnerEnv(workspace: string): RunnerEnv {
  return { workspace, runnerTemp: tempDir('rollback-settings-temp'), repository: 'octo-org/app' }
}

function parse(values: Record<string, string>, workspace = tempDir('rollback-settings-ws')) {
  const inputs = new Inputs(name => values[name])
  return parseRollbackSettings(inputs, runnerEnv(workspace), { token: 'token-for-test' })
}

function inputError(run: () => unknown): InputError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('parsing succeeded')
}

const hooks = { 'prepare-command': 'true', 'route-command': 'true' }
const slots = { ...hooks, targets: 'blue=127.0.0.1:8081\ngreen=127.0.0.1:8082' }

describe('provider inputs are validated at parse', () => {
  test('nginx with a relative upstream file fails naming nginx-upstream-file', () => {
    const error = inputError(() =>
      parse({ ...slots, provider: 'nginx', 'nginx-upstream-file': 'conf/upstream.conf' })
    )
    expect(error.input).toBe('nginx-upstream-file')
    expect(error.received).toContain('conf/upstream.conf')
  })

  test('a malformed docker host fails naming hosts', () => {
    const error = inputError(() =>
      parse({ provider: 'docker', image: 'app:1.0.0', port: '3000', hosts: 'web1 ssh=nobody' })
    )
    expect(error.input).toBe('hosts')
  })

  test('a problem under every strategy is named, not the targets a strategy counts', () => {
    // three hosts suit only rolling; the upstream file is wrong whichever the history names
    const error = inputError(() =>
      parse({
        provider: 'nginx',
        targets: 'a=127.0.0.1:1\nb=127.0.0.1:2\nc=127.0.0.1:3',
        'nginx-upstream-file': 'upstream.conf'
      })
    )
    expect(error.input).toBe('nginx-upstream-file')
  })

  test('inputs that suit one strategy a rollback runs pass (the history picks it)', () => {
    const rolling = parse({
      ...hooks,
      targets: 'a=127.0.0.1:1\nb=127.0.0.1:2\nc=127.0.0.1:3'
    })
    expect(rolling.provider.targets).toHaveLength(3)
    expect(parse(slots).provider.targets).toHaveLength(2)
  })

  test('a script provider without its hooks fails at parse, naming the hook', () => {
    expect(inputError(() => parse({ targets: slots.targets })).input).toBe('prepare-command')
  })

  test('a container rollback may leave image unset: the recorded image stands in', () => {
    const settings = parse({ provider: 'docker', port: '3000', hosts: 'web1' })
    expect(settings.provider.container?.image).toBeUndefined()
  })
})

describe('config-file', () => {
  const saved = process.env.GITHUB_WORKSPACE
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_WORKSPACE
    else process.env.GITHUB_WORKSPACE = saved
  })

  const writeConfig = (dir: string, reason: string): void =>
    writeFileSync(
      join(dir, 'slipway.yml'),
      stringify({ version: 1, environments: { staging: { rollback: { reason } } } })
    )

  test('a relative path is read from the runner env’s workspace, not GITHUB_WORKSPACE', () => {
    const runnerWorkspace = tempDir('rollback-runner-ws')
    const processWorkspace = tempDir('rollback-process-ws')
    writeConfig(runnerWorkspace, 'from the runner env')
    writeConfig(processWorkspace, 'from the process environment')
    process.env.GITHUB_WORKSPACE = processWorkspace
    const settings = parse(
      { ...slots, environment: 'staging', 'config-file': 'slipway.yml' },
      runnerWorkspace
    )
    expect(settings.reason).toBe('from the runner env')
  })

  test('a file missing from that workspace is an InputError naming config-file', () => {
    const processWorkspace = tempDir('rollback-process-ws')
    writeConfig(processWorkspace, 'from the process environment')
    process.env.GITHUB_WORKSPACE = processWorkspace
    const error = inputError(() =>
      parse({ ...slots, environment: 'staging', 'config-file': 'slipway.yml' })
    )
    expect(error.input).toBe('config-file')
  })
})
