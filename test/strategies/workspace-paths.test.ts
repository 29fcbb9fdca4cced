// A workflow's paths start at the checkout (GITHUB_WORKSPACE, or the CLI's workspace), not at
// the directory the process happens to run in; and the kubeconfig is the one the front end's
// environment names (the CLI's `env`), not whatever the process was started with.
import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, type Terminal } from '@slipway/cli'
import { Inputs, type RunnerEnv } from '@slipway/kit'
import { parseRollbackSettings } from '@slipway/rollback'
import { parseDeploySettings, type ProviderRunnerEnv } from '@slipway/strategies'
import { tempDir } from '../services/process.js'
import { inputErrorOf } from '../helpers/input-error.js'

const workspace = tempDir('paths-workspace')
const elsewhere = tempDir('paths-elsewhere')
mkdirSync(join(workspace, 'build'))
writeFileSync(join(workspace, 'build', 'app.tar'), 'not really a tarball\n')
writeFileSync(join(workspace, 'app.env'), 'GREETING=hello\n')
mkdirSync(join(workspace, 'k8s'))
writeFileSync(
  join(workspace, 'k8s', 'app.yaml'),
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: shop}',
    'spec:',
    '  selector: {matchLabels: {app: shop}}',
    '  template:',
    '    metadata: {labels: {app: shop}}',
    '    spec: {containers: [{name: app, image: "ghcr.io/octo/shop:v0", ports: [{containerPort: 8080}]}]}',
    ''
  ].join('\n')
)
const kubeconfigPath = join(elsewhere, 'kubeconfig')
writeFileSync(
  kubeconfigPath,
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
    'users: [{name: u, user: {token: t0ken}}]',
    'contexts: [{name: ctx, context: {cluster: c, user: u}}]',
    'current-context: ctx',
    ''
  ].join('\n')
)

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
  rmSync(elsewhere, { recursive: true, force: true })
})

const runnerEnv: RunnerEnv = {
  workspace,
  runnerTemp: elsewhere,
  repository: 'octo/app',
  sha: 'a'.repeat(40)
}

const base = { strategy: 'blue-green', version: 'v1.0.0', 'record-deployment': 'false' }
const docker = { ...base, provider: 'docker', port: '8080' }

function deploy(values: Record<string, string>, env: ProviderRunnerEnv = runnerEnv) {
  const all: Record<string, string> = { ...base, ...values }
  return parseDeploySettings(new Inputs(name => all[name]), env)
}

describe('relative paths of the docker and compose providers', () => {
  test('image-archive and env-file name the workspace’s files, wherever the process runs', () => {
    expect(process.cwd()).not.toBe(workspace)
    const parsed = deploy({ ...docker, 'image-archive': 'build/app.tar', 'env-file': './app.env' })
    expect(parsed.deploy.container?.imageArchive).toBe(join(workspace, 'build', 'app.tar'))
    expect(parsed.deploy.container?.envFile).toBe(join(workspace, 'app.env'))
    // An absolute path is kept as given.
    const archive = join(workspace, 'build', 'app.tar')
    expect(deploy({ ...docker, 'image-archive': archive }).deploy.container?.imageArchive).toBe(
      archive
    )
  })

  test.each([
    ['image-archive', { 'image-archive': 'build/missing.tar' }, join('build', 'missing.tar')],
    ['env-file', { 'image-archive': 'build/app.tar', 'env-file': 'missing.env' }, 'missing.env'],
    ['compose-file', { provider: 'compose', 'compose-file': 'compose.yaml' }, 'compose.yaml']
  ])('a missing %s is an InputError naming the resolved path', (input, values, relative) => {
    const error = inputErrorOf(() => deploy({ ...docker, ...values }))
    expect(error.input).toBe(input)
    expect(error.message).toContain(join(workspace, relative))
  })

  test('a rollback reads them as the deploy does', () => {
    const all: Record<string, string> = {
      ...docker,
      'image-archive': 'build/app.tar',
      'env-file': 'app.env',
      'github-token': 'ghs_token'
    }
    const parsed = parseRollbackSettings(new Inputs(name => all[name]), runnerEnv)
    expect(JSON.stringify(parsed)).toContain(JSON.stringify(join(workspace, 'app.env')))
  })
})

describe('the kubeconfig of provider kubernetes', () => {
  const kubernetes = {
    provider: 'kubernetes',
    app: 'shop',
    image: 'ghcr.io/octo/shop:v1',
    manifests: 'k8s/app.yaml'
  }

  test('is the file KUBECONFIG names in the environment handed to the parse', () => {
    expect(process.env.KUBECONFIG).not.toBe(kubeconfigPath)
    const env: ProviderRunnerEnv = {
      ...runnerEnv,
      variables: { KUBECONFIG: kubeconfigPath, HOME: elsewhere }
    }
    const parsed = deploy(kubernetes, env)
    expect(parsed.deploy.kubernetes?.kubeconfigPath).toBe(kubeconfigPath)
  })

  test('else ~/.kube/config of that environment’s HOME', () => {
    const home = join(elsewhere, 'home')
    const error = inputErrorOf(() =>
      deploy(kubernetes, { ...runnerEnv, variables: { HOME: home } })
    )
    expect(error.input).toBe('kubeconfig')
    expect(error.message).toContain(join(home, '.kube', 'config'))
  })
})

describe('slipway deploy', () => {
  async function slipwayDeploy(
    args: string[],
    env: NodeJS.ProcessEnv
  ): Promise<{ code: number; stderr: string }> {
    let stderr = ''
    const terminal: Terminal = { stdout: () => undefined, stderr: t => void (stderr += t) }
    const code = await runCli(
      ['deploy', '--quiet', '--strategy', 'blue-green', '--version', 'v1.0.0', ...args],
      { cwd: workspace, terminal, env: { PATH: process.env.PATH, ...env } }
    )
    return { code, stderr }
  }

  test('resolves env-file in its workspace, not the process’s directory', async () => {
    const run = await slipwayDeploy(
      ['--provider', 'docker', '--port', '8080', '--image-archive', 'build/app.tar'].concat([
        '--env-file',
        'missing.env'
      ]),
      { GITHUB_WORKSPACE: workspace }
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("Input 'env-file'")
    expect(run.stderr).toContain(join(workspace, 'missing.env'))
  })

  test('reads KUBECONFIG from its own environment', async () => {
    const missing = join(elsewhere, 'no-such-kubeconfig')
    const run = await slipwayDeploy(
      ['--provider', 'kubernetes', '--app', 'shop', '--image', 'ghcr.io/octo/shop:v1'],
      { KUBECONFIG: missing, HOME: elsewhere }
    )
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("Input 'kubeconfig'")
    expect(run.stderr).toContain(missing)
  })
})
