// The compose provider on a host reached over SSH (a network namespace with its own sshd and
// dockerd): the compose file and override shipped by SFTP, docker-compose run by the fixed
// command with its arguments as data, the gate's HTTP probe made ON the host (bash /dev/tcp),
// versions read back from labels over SSH — a rolling update behind HAProxy, two versions.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SshTransport, type Transport } from '@slipway/providers'
import type { DeployRequest } from '@slipway/strategies'
import {
  buildComposeProvider,
  type ComposeProvider
} from '../../packages/providers/src/docker-compose/index.js'
import { buildAppImage } from '../services/docker.js'
import { type HaproxyInstance } from '../services/haproxy.js'
import { freePorts } from '../services/process.js'
import { startHosts, type NetnsHosts } from '../services/netns-hosts.js'
import { deployPlan, dockerInputs, startAppHaproxy, versionBody } from './helpers.js'

const DEADLINE_MS = 180_000

/** Published on every interface of the host: HAProxy reaches it over the bridge. */
const COMPOSE_FILE = `services:
  web:
    image: "slipway-test/app:\${SLIPWAY_VERSION}"
    ports:
      - "\${SLIPWAY_HOST_PORT}:8080"
`

let set: NetnsHosts
let haproxy: HaproxyInstance
let provider: ComposeProvider
let root: string
const transports: Transport[] = []

const request = (version: string): DeployRequest => ({
  version,
  options: { strategy: 'rolling', batchSize: 1, maxUnavailable: 1 },
  healthTimeoutMs: 60_000,
  healthIntervalMs: 200
})

const deploy = (version: string) => deployPlan(provider, request(version))
const answering = (): Promise<string> => versionBody(haproxy.url)

beforeAll(async () => {
  set = await startHosts(1)
  const host = set.hosts[0]
  await buildAppImage(host.dockerd, { version: '2.0.0' })
  root = await mkdtemp(join(tmpdir(), 'slipway-compose-ssh-'))
  const composeFile = join(root, 'compose.yml')
  await writeFile(composeFile, COMPOSE_FILE)
  const hostPort = await freePorts(2)
  const targets = [{ name: host.name, address: `${host.address}:${hostPort}` }]
  const started = await startAppHaproxy(targets, 1)
  haproxy = started.haproxy
  const router = started.router
  const inputs = dockerInputs({
    provider: 'compose',
    strategy: 'rolling',
    composeFile,
    secretEnv: 'APP_TOKEN=ssh-secret-value-0815',
    hostPort,
    publishAddress: 'host',
    healthTimeoutMs: 60_000
  })
  provider = buildComposeProvider(inputs, {
    hosts: [{ name: host.name, ssh: host.ssh.destination, address: host.address }],
    router,
    transportFor: destination => {
      const transport = new SshTransport({
        destination: destination!,
        knownHosts: set.knownHosts,
        privateKey: set.privateKey
      })
      transports.push(transport)
      return transport
    },
    commandTimeoutMs: 120_000,
    // every namespace host shares this machine's file system: a directory of the test's own
    projectRoot: join(root, 'projects')
  })
}, DEADLINE_MS)

afterAll(async () => {
  await provider?.close()
  await haproxy?.stop()
  await set?.stop()
  if (root) await rm(root, { recursive: true, force: true })
}, DEADLINE_MS)

describe('compose provider over SSH', () => {
  test(
    'rolling deploy on a namespace host: shipped by SFTP, gated on the host, versions from labels',
    async () => {
      await provider.check()
      const result = await deploy('2.0.0')
      expect(result.error).toBeUndefined()
      expect(await answering()).toBe('2.0.0')
      const host = set.hosts[0]
      expect(await provider.current()).toEqual({ [host.name]: { version: '2.0.0', weight: 1 } })
      // the gate probed the published port on the host itself, over SSH
      const health = result.timeline.find(event => event.step === 'health')
      expect(health?.detail).toMatch(
        new RegExp(
          `http GET 127\\.0\\.0\\.1:\\d+/health on root@${host.address.replace(/\./g, '\\.')}:22 → 200`
        )
      )
      // rolling: one project per host, named by the app, labelled with the host as its slot
      const labels = await host.docker([
        'ps',
        '--filter',
        'label=com.docker.compose.project=shop',
        '--format',
        '{{.Label "slipway.version"}} {{.Label "slipway.slot"}}'
      ])
      expect(labels.trim()).toBe(`2.0.0 ${host.name}`)
    },
    DEADLINE_MS
  )
})
