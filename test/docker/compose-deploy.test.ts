// The compose provider against a real dockerd and Debian's docker-compose 1.29, driven by the
// strategies engine with HAProxy in front: a 2-service compose file deployed blue-green, versions
// read back from the containers' labels, the old project stopped and kept, a rollback that
// `start`s it again (same containers), and a release that exits at start failing the gate at
// once with its logs as evidence.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readdirSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redactor } from '@slipway/kit'
import { LocalTransport } from '@slipway/providers'
import type { DeployRequest } from '@slipway/strategies'
import {
  buildComposeProvider,
  detectCompose,
  type ComposeProvider
} from '../../packages/providers/src/docker-compose/index.js'
import { buildAppImage, startDockerd, type DockerdInstance } from '../services/docker.js'
import { type HaproxyInstance } from '../services/haproxy.js'
import { freePorts } from '../services/process.js'
import { deployPlan, dockerInputs, startAppHaproxy, versionBody } from './helpers.js'

const DEADLINE_MS = 180_000
const SECRET = 'compose-secret-value-4711'

/**
 * Both services run the test app (the second on another port, unpublished). `network_mode:
 * bridge` keeps them on the test daemon's own bridge: a Compose-made network would take a subnet
 * from Docker's default pool, which other test daemons on this machine may hold at the same time.
 */
const COMPOSE_FILE = `version: "2.4"
services:
  web:
    image: "slipway-test/app:\${SLIPWAY_VERSION}"
    network_mode: bridge
    ports:
      - "127.0.0.1:\${SLIPWAY_HOST_PORT}:8080"
  worker:
    image: "slipway-test/app:\${SLIPWAY_VERSION}"
    network_mode: bridge
    environment:
      PORT: "9090"
`

let d: DockerdInstance
let haproxy: HaproxyInstance
let provider: ComposeProvider
let root: string
const savedDockerHost = process.env.DOCKER_HOST

function request(version: string): DeployRequest {
  return {
    version,
    options: { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 },
    healthTimeoutMs: 60_000,
    healthIntervalMs: 200
  }
}

const deploy = (version: string) => deployPlan(provider, request(version))

/** The body's first line: the version that answered through HAProxy. */
const answering = (): Promise<string> => versionBody(haproxy.url)

interface Row {
  id: string
  service: string
  version: string
  state: string
}

/** The project's containers from the Engine itself (not through the provider). */
async function containers(project: string): Promise<Row[]> {
  const out = await d.docker([
    'ps',
    '-a',
    '--filter',
    `label=com.docker.compose.project=${project}`,
    '--format',
    '{{.ID}}\t{{.Label "com.docker.compose.service"}}\t{{.Label "slipway.version"}}\t{{.State}}'
  ])
  return out
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const [id, service, version, state] = line.split('\t')
      return { id, service, version, state }
    })
    .sort((a, b) => a.service.localeCompare(b.service))
}

beforeAll(async () => {
  d = await startDockerd({ name: 'compose' })
  // the provider's commands (LocalTransport) reach this daemon through the job's environment
  process.env.DOCKER_HOST = d.host
  for (const version of ['1.0.0', '2.0.0']) await buildAppImage(d, { version })
  await buildAppImage(d, { version: '3.0.0', mode: 'exit' })
  root = await mkdtemp(join(tmpdir(), 'slipway-compose-'))
  const composeFile = join(root, 'compose.yml')
  await writeFile(composeFile, COMPOSE_FILE)
  const hostPort = await freePorts(2)
  const targets = [
    { name: 'blue', address: `127.0.0.1:${hostPort}` },
    { name: 'green', address: `127.0.0.1:${hostPort + 1}` }
  ]
  const started = await startAppHaproxy(targets, 0)
  haproxy = started.haproxy
  const router = started.router
  const redactor = new Redactor()
  const transport = new LocalTransport(redactor)
  const inputs = dockerInputs({
    provider: 'compose',
    environment: 'production',
    composeFile,
    secretEnv: `APP_TOKEN=${SECRET}`,
    hostPort,
    healthTimeoutMs: 60_000,
    tempDir: root
  })
  provider = buildComposeProvider(inputs, {
    hosts: [{ name: 'local', address: '127.0.0.1' }],
    router,
    transportFor: () => transport,
    redactor,
    commandTimeoutMs: 120_000,
    projectRoot: join(root, 'projects')
  })
}, DEADLINE_MS)

afterAll(async () => {
  await provider?.close()
  await haproxy?.stop()
  await d?.stop()
  if (savedDockerHost === undefined) delete process.env.DOCKER_HOST
  else process.env.DOCKER_HOST = savedDockerHost
  if (root) await rm(root, { recursive: true, force: true })
}, DEADLINE_MS)

describe('compose provider on docker-compose v1', () => {
  test('this machine has Compose v1 only: detected as v1, check() passes', async () => {
    expect(await detectCompose(new LocalTransport(), 30_000)).toBe('v1')
    await provider.check()
  })

  test(
    'blue-green of a 2-service project: versions from labels, old project stopped and kept, rollback starts it',
    async () => {
      const first = await deploy('1.0.0')
      expect(first.error).toBeUndefined()
      expect(first.status).toBe('success')
      expect(await answering()).toBe('1.0.0')

      const second = await deploy('2.0.0')
      expect(second.error).toBeUndefined()
      expect(second.status).toBe('success')
      expect(await answering()).toBe('2.0.0')
      // a container of the docker provider for the same app and slot is not Compose's: ignored
      const stray = (
        await d.docker([
          'run',
          '-d',
          '--label',
          'slipway.app=shop',
          '--label',
          'slipway.slot=green',
          '--label',
          'slipway.version=9.9.9',
          'slipway-test/app:1.0.0'
        ])
      ).trim()
      expect(await provider.current()).toEqual({
        blue: { weight: 0 },
        green: { version: '2.0.0', weight: 100 }
      })
      await d.docker(['rm', '-f', stray])
      // the previous project is stopped, not removed: both services' containers are still there
      const kept = await containers('shop-blue')
      expect(kept.map(c => [c.service, c.version, c.state])).toEqual([
        ['web', '1.0.0', 'exited'],
        ['worker', '1.0.0', 'exited']
      ])
      expect((await containers('shop-green')).map(c => [c.service, c.state])).toEqual([
        ['web', 'running'],
        ['worker', 'running']
      ])
      // the secret reached the services and its file is gone from the host
      const env = await d.docker(['inspect', '--format', '{{json .Config.Env}}', kept[0].id])
      expect(env).toContain(`APP_TOKEN=${SECRET}`)
      expect(readdirSync(root).filter(name => name.startsWith('slipway-env-'))).toEqual([])
      expect(readdirSync(join(root, 'projects', 'shop-green')).sort()).toEqual([
        '.env',
        'compose.yml',
        'slipway.labels.yml'
      ])

      // rollback: the same containers of 1.0.0 start again (no new container, no pull)
      const back = await deploy('1.0.0')
      expect(back.error).toBeUndefined()
      expect(back.status).toBe('success')
      expect(await answering()).toBe('1.0.0')
      const restarted = await containers('shop-blue')
      expect(restarted.map(c => c.id)).toEqual(kept.map(c => c.id))
      expect(restarted.map(c => c.state)).toEqual(['running', 'running'])
      expect((await containers('shop-green')).map(c => c.state)).toEqual(['exited', 'exited'])
      expect(await provider.current()).toEqual({
        blue: { version: '1.0.0', weight: 100 },
        green: { weight: 0 }
      })
    },
    DEADLINE_MS
  )

  test(
    'a release whose services exit at start fails the gate at once, logs as evidence, traffic stays',
    async () => {
      const failed = await deploy('3.0.0')
      expect(failed.status).toBe('failure')
      // the fatal verdict ended the gate, not its deadline
      expect(failed.error).toMatch(
        /cannot become healthy\): compose on local: (web|worker): exited with code 3/
      )
      expect(failed.diagnostics?.map(x => x.text).join('\n')).toContain(
        'version 3.0.0 exits at start (MODE=exit)'
      )
      const evidence = await provider.diagnose(provider.targets[1], { version: '3.0.0' })
      expect(evidence).toContain('version 3.0.0 exits at start (MODE=exit)')
      expect(evidence).not.toContain(SECRET)
      expect(await answering()).toBe('1.0.0')
      expect((await provider.current()).blue).toEqual({ version: '1.0.0', weight: 100 })
    },
    DEADLINE_MS
  )
})
