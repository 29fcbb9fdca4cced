import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { childEnvironment, hookEnvironment, run } from '@slipway/kit'
import { LocalTransport } from '@slipway/providers'

// What the runner puts in a step's environment that no child may see.
const PRIVATE = {
  'INPUT_GITHUB-TOKEN': 'ghs_inputtokenvalue',
  'INPUT_SSH-KEY': '-----BEGIN OPENSSH PRIVATE KEY-----',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-value',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/oidc',
  GITHUB_TOKEN: 'ghs_envtokenvalue',
  GITHUB_OUTPUT: '/runner/file_commands/set_output'
}
const saved: Record<string, string | undefined> = {}

beforeAll(() => {
  for (const [name, value] of Object.entries({ ...PRIVATE, JOB_STATE_DIR: '/srv/state' })) {
    saved[name] = process.env[name]
    process.env[name] = value
  }
})
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const entry of text.split('\0')) {
    const at = entry.indexOf('=')
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1)
  }
  return env
}

describe('child environment', () => {
  it('a program started by run() sees PATH and HOME but none of the runner’s private variables', async () => {
    const result = await run('env', ['-0'], { env: { PGPASSWORD: 'for-this-program' } })
    const env = parseEnv(result.stdout)
    expect(env.PATH).toBe(process.env.PATH)
    expect(env.PGPASSWORD).toBe('for-this-program')
    for (const name of Object.keys(PRIVATE)) expect(env).not.toHaveProperty([name])
    // Job variables are not for our own programs.
    expect(env).not.toHaveProperty(['JOB_STATE_DIR'])
  })

  it('a baseEnv is kept, minus the private variables', async () => {
    const result = await run('env', ['-0'], { baseEnv: { ...process.env, EXTRA: 'x' } })
    const env = parseEnv(result.stdout)
    expect(env.EXTRA).toBe('x')
    for (const name of Object.keys(PRIVATE)) expect(env).not.toHaveProperty([name])
  })

  it('a user hook gets the job’s variables and SLIPWAY_* values, never INPUT_* or ACTIONS_* tokens', async () => {
    const result = await new LocalTransport().exec('env -0', { SLIPWAY_VERSION: '1.2.3' }, 30_000)
    expect(result.exitCode).toBe(0)
    const env = parseEnv(result.stdout)
    expect(env.SLIPWAY_VERSION).toBe('1.2.3')
    expect(env.JOB_STATE_DIR).toBe('/srv/state')
    expect(env).not.toHaveProperty(['INPUT_GITHUB-TOKEN'])
    expect(env).not.toHaveProperty(['ACTIONS_RUNTIME_TOKEN'])
    for (const name of Object.keys(PRIVATE)) expect(env).not.toHaveProperty([name])
  })

  it('explicit extras cannot smuggle a private variable back in', () => {
    expect(childEnvironment({ INPUT_TOKEN: 'x', LC_TIME: 'C' }, {})).toEqual({ LC_TIME: 'C' })
    expect(hookEnvironment({ ACTIONS_RUNTIME_URL: 'x' }, { A: '1' })).toEqual({ A: '1' })
  })
})
