// The compose provider's parts that need no Docker Engine: which Compose a host has, the exact
// argument arrays the fixed command runs for v1 and v2 (recorded by stand-in programs on PATH,
// through the real LocalTransport and bash), the gate's verdict from `docker inspect` documents,
// the labels override, and the inputs refused before anything is touched.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { InputError } from '@slipway/kit'
import { LocalTransport } from '@slipway/providers'
import type { DockerInputs } from '../../packages/providers/src/docker/options.js'
import {
  buildComposeProvider,
  detectCompose,
  judgeProject,
  type InspectedContainer
} from '../../packages/providers/src/docker-compose/index.js'
import { runCompose } from '../../packages/providers/src/docker-compose/cli.js'
import { dockerInputs } from './helpers.js'
import {
  composeFormatVersion,
  fileArgs,
  projectFor,
  renderLabelsOverride
} from '../../packages/providers/src/docker-compose/project.js'

let dir: string
const savedPath = process.env.PATH

/** A stand-in program that records its arguments (one per line) and exits with `code`. */
async function standIn(name: string, script: string): Promise<void> {
  const path = join(dir, name)
  await writeFile(path, `#!/bin/bash\n${script}\n`)
  await chmod(path, 0o755)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slipway-compose-unit-'))
})
afterAll(async () => {
  process.env.PATH = savedPath
  await rm(dir, { recursive: true, force: true })
})

describe('Compose command line', () => {
  test('v2 runs `docker compose …` and v1 `docker-compose …`, each value one argument', async () => {
    await standIn('docker', 'printf "docker\\n"; printf "%s\\n" "$@"')
    await standIn('docker-compose', 'printf "docker-compose\\n"; printf "%s\\n" "$@"')
    process.env.PATH = `${dir}:/usr/bin:/bin`
    const transport = new LocalTransport()
    const project = projectFor('shop', 'blue-green', 'green', 8080, '/srv/x y')
    const args = [...fileArgs(project, false), 'up', '-d', '1.0; rm -rf / $(id)']
    const v2 = await runCompose(transport, 'v2', args, {}, 10_000)
    expect(v2.stdout.trimEnd().split('\n')).toEqual(['docker', 'compose', ...args])
    expect(args.slice(0, 6)).toEqual([
      '-p',
      'shop-green',
      '-f',
      '/srv/x y/shop-green/compose.yml',
      '-f',
      '/srv/x y/shop-green/slipway.labels.yml'
    ])
    const v1 = await runCompose(transport, 'v1', args, {}, 10_000)
    expect(v1.stdout.trimEnd().split('\n')).toEqual(['docker-compose', ...args])
    await expect(runCompose(transport, 'v1', ['up', 'a\nb'], {}, 10_000)).rejects.toThrow(
      /control character/
    )
  })

  test('detection: v2 when `docker compose version` answers, else v1, else none', async () => {
    const transport = new LocalTransport()
    process.env.PATH = `${dir}:/usr/bin:/bin`
    await standIn('docker', '[ "$1" = compose ] && [ "$2" = version ] && exit 0; exit 1')
    await standIn('docker-compose', 'exit 0')
    expect(await detectCompose(transport, 10_000)).toBe('v2')
    await standIn('docker', 'exit 1')
    expect(await detectCompose(transport, 10_000)).toBe('v1')
    await standIn('docker-compose', 'exit 127')
    expect(await detectCompose(transport, 10_000)).toBeUndefined()
    process.env.PATH = savedPath
  })

  test('check() names the host and both command lines when neither answers', async () => {
    // an Engine that answers, but no Compose of either kind
    await standIn('docker', '[ "$1" = version ] && { echo 28.2.2; exit 0; }; exit 1')
    await standIn('docker-compose', 'exit 127')
    process.env.PATH = `${dir}:/usr/bin:/bin`
    const file = join(dir, 'check.yml')
    await writeFile(file, 'services:\n  web:\n    image: x\n')
    const provider = buildComposeProvider(
      dockerInputs({
        provider: 'compose',
        strategy: 'rolling',
        environment: 'prod',
        composeFile: file,
        hostPort: 8080,
        healthTimeoutMs: 60_000
      }),
      {
        hosts: [{ name: 'web1', address: '127.0.0.1' }],
        router: { name: 'none', dropsConnectionsOnChange: false, setWeights: async () => {} },
        transportFor: () => new LocalTransport()
      }
    )
    try {
      await expect(provider.check()).rejects.toThrow(
        'compose: web1 (local) has neither "docker compose" (Compose v2) nor "docker-compose" (v1)'
      )
    } finally {
      process.env.PATH = savedPath
    }
  })
})

function container(
  service: string,
  state: NonNullable<InspectedContainer['State']>,
  version = '2.0.0',
  restarts = 0
): InspectedContainer {
  return {
    RestartCount: restarts,
    State: state,
    Config: {
      Labels: { 'com.docker.compose.service': service, 'slipway.version': version }
    }
  }
}

describe('the gate', () => {
  const services = ['web', 'worker']
  test('every service running and healthy → ready', () => {
    const verdict = judgeProject(
      services,
      [
        container('web', { Status: 'running', Health: { Status: 'healthy' } }),
        container('worker', { Status: 'running' })
      ],
      '2.0.0'
    )
    expect(verdict).toEqual(expect.objectContaining({ state: 'ready', hasHealthcheck: true }))
  })
  test('no healthcheck anywhere → ready, and the caller probes the port', () => {
    const verdict = judgeProject(
      services,
      [container('web', { Status: 'running' }), container('worker', { Status: 'running' })],
      '2.0.0'
    )
    expect(verdict).toEqual(expect.objectContaining({ state: 'ready', hasHealthcheck: false }))
  })
  test('an exited or restarting service is fatal', () => {
    const exited = judgeProject(
      services,
      [
        container('web', { Status: 'running' }),
        container('worker', { Status: 'exited', ExitCode: 3 })
      ],
      '2.0.0'
    )
    expect(exited).toEqual({ state: 'fatal', message: 'worker: exited with code 3' })
    const looping = judgeProject(
      services,
      [
        container('web', { Status: 'running' }, '2.0.0', 2),
        container('worker', { Status: 'running' })
      ],
      '2.0.0'
    )
    expect(looping.state).toBe('fatal')
  })
  test('a missing service, a starting healthcheck or another version waits; unhealthy fails', () => {
    expect(judgeProject(services, [container('web', { Status: 'running' })], '2.0.0').state).toBe(
      'waiting'
    )
    const starting = [
      container('web', { Status: 'running', Health: { Status: 'starting' } }),
      container('worker', { Status: 'running' })
    ]
    expect(judgeProject(services, starting, '2.0.0').state).toBe('waiting')
    expect(judgeProject(services, starting, '3.0.0').message).toMatch(/runs 2\.0\.0, not 3\.0\.0/)
    const sick = [
      container('web', { Status: 'running', Health: { Status: 'unhealthy' } }),
      container('worker', { Status: 'running' })
    ]
    expect(judgeProject(services, sick, '2.0.0').state).toBe('unhealthy')
  })
})

describe('the labels override', () => {
  test('labels every service and repeats the user file’s format version', () => {
    const text = renderLabelsOverride(
      ['web', 'db'],
      { app: 'shop', version: '1.2.3', slot: 'blue', environment: 'prod' },
      composeFormatVersion('version: "2.4"\nservices: {web: {image: x}}\n')
    )
    const document = parse(text) as {
      version: string
      services: Record<string, { labels: Record<string, string> }>
    }
    expect(document.version).toBe('2.4')
    expect(Object.keys(document.services)).toEqual(['web', 'db'])
    expect(document.services.db.labels).toEqual({
      'slipway.app': 'shop',
      'slipway.version': '1.2.3',
      'slipway.slot': 'blue',
      'slipway.environment': 'prod'
    })
    expect(composeFormatVersion('services: {web: {image: x}}\n')).toBeUndefined()
  })
})

describe('inputs refused before anything is touched', () => {
  const deps = {
    hosts: [{ name: 'local', address: '127.0.0.1' }],
    router: { name: 'none', dropsConnectionsOnChange: false, setWeights: async () => {} },
    transportFor: () => new LocalTransport()
  }
  function inputs(over: Partial<DockerInputs>): DockerInputs {
    return dockerInputs({
      provider: 'compose',
      environment: 'prod',
      hostPort: 8080,
      healthTimeoutMs: 60_000,
      ...over
    })
  }
  test('a missing compose file, a project name Compose would rewrite, a command health check', async () => {
    const file = join(dir, 'compose.yml')
    await writeFile(file, 'services:\n  web:\n    image: x\n')
    const built = buildComposeProvider(inputs({ composeFile: file }), deps)
    expect(built.targets.map(t => t.address)).toEqual(['127.0.0.1:8080', '127.0.0.1:8081'])
    const refused = (over: Partial<DockerInputs>): InputError => {
      try {
        buildComposeProvider(inputs({ composeFile: file, ...over }), deps)
      } catch (error) {
        return error as InputError
      }
      throw new Error('accepted')
    }
    expect(refused({ composeFile: join(dir, 'absent.yml') }).input).toBe('compose-file')
    expect(refused({ app: 'shop.v2' }).input).toBe('app')
    expect(refused({ healthCheck: 'command' }).input).toBe('health-check')
    // `none` is the engine's switch (the gate is skipped and said so), as with the docker provider
    expect(() =>
      buildComposeProvider(inputs({ composeFile: file, healthCheck: 'none' }), deps)
    ).not.toThrow()
    expect(built.describe({ version: '2.0.0', targets: ['green'] })).toEqual([
      expect.stringMatching(
        /^local: compose project shop-green up -d \(SLIPWAY_VERSION=2\.0\.0, SLIPWAY_HOST_PORT=8081\)/
      )
    ])
    expect(refused({ hostPort: 65535 }).input).toBe('host-port')
    const secret = refused({ secretEnv: 'not a pair' })
    expect(secret.input).toBe('secret-env')
    expect(secret.message).not.toContain('not a pair')
  })
})
