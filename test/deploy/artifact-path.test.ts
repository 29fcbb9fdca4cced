import { afterAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InputError, Inputs, type RunnerEnv } from '@slipway/kit'
import { buildDeployConfig, parseDeploySettings } from '@slipway/strategies'
import { tempDir } from '../services/process.js'

// A workflow's paths start at the checkout (GITHUB_WORKSPACE), not at the directory the step
// happens to run in: `artifact: build/app.tgz` names the checkout's file.
const workspace = tempDir('artifact-workspace')
const out = tempDir('artifact-out')
mkdirSync(join(workspace, 'build'))
writeFileSync(join(workspace, 'build', 'app.tgz'), 'the build in the checkout\n')

const runnerEnv: RunnerEnv = {
  workspace,
  runnerTemp: out,
  repository: 'octo/app',
  sha: 'a'.repeat(40)
}

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
  rmSync(out, { recursive: true, force: true })
})

function settings(values: Record<string, string>) {
  const all: Record<string, string> = {
    strategy: 'blue-green',
    version: 'v1.0.0',
    targets: 'blue=127.0.0.1:1\ngreen=127.0.0.1:2',
    'record-deployment': 'false',
    ...values
  }
  return parseDeploySettings(new Inputs(name => all[name]), runnerEnv)
}

const script = {
  provider: 'script',
  'prepare-command': `cp "$SLIPWAY_ARTIFACT" "${join(out, 'shipped')}"`,
  'route-command': 'true',
  'current-command': 'true',
  'health-command': 'true'
}

describe('a relative artifact', () => {
  it('is resolved against the workspace, not the current directory', () => {
    expect(process.cwd()).not.toBe(workspace)
    const parsed = settings({ ...script, artifact: 'build/app.tgz' })
    expect(parsed.deploy.artifact).toBe(join(workspace, 'build', 'app.tgz'))
  })

  it('an absolute artifact is kept as given', () => {
    const absolute = join(out, 'elsewhere.tgz')
    expect(settings({ ...script, artifact: absolute }).deploy.artifact).toBe(absolute)
  })

  it('reaches the prepare hook as the checkout file, wherever the hook runs', async () => {
    const parsed = settings({ ...script, artifact: './build/app.tgz' })
    const { provider } = buildDeployConfig(parsed.deploy)
    await provider.prepare(provider.targets[0], { version: 'v1.0.0' })
    expect(readFileSync(join(out, 'shipped'), 'utf8')).toBe('the build in the checkout\n')
    await provider.close?.()
  })

  it('is found by the nginx provider, which reads it before anything changes', () => {
    const nginx = {
      provider: 'nginx',
      'nginx-upstream-file': join(out, 'upstream.conf'),
      'start-command': 'true'
    }
    expect(settings({ ...nginx, artifact: 'build/app.tgz' }).deploy.artifact).toBe(
      join(workspace, 'build', 'app.tgz')
    )
    // package.json is in the current directory (the repository), not in the checkout
    expect(existsSync('package.json')).toBe(true)
    const fromCwd = () => settings({ ...nginx, artifact: 'package.json' })
    expect(fromCwd).toThrow(InputError)
    expect(fromCwd).toThrow("Input 'artifact': expected a readable file to ship to each host")
    expect(fromCwd).toThrow(join(workspace, 'package.json'))
  })
})
