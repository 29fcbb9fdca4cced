import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  LocalTransport,
  buildComposeProvider,
  buildDockerProvider,
  parseDockerHosts,
  type Provider
} from '@slipway/providers'
import {
  buildAppImage,
  loadImage,
  saveImage,
  startDockerd,
  type DockerdInstance
} from '../services/docker.js'
import { freePorts } from '../services/process.js'
import { dockerInputs } from './helpers.js'

// What the docker provider says it did on each host after prepare(target): the rollback summary
// and the deploy timeline show it, so a reader knows whether a kept container was started (no
// image transfer) or an image was loaded and run. Real Docker Engine; the router is never used.

let d: DockerdInstance
let hostPort: number
const work = mkdtempSync(join(tmpdir(), 'slipway-docker-prepared-'))
const archive = join(work, 'app-1.0.0.tar')

beforeAll(async () => {
  d = await startDockerd({ name: 'prepared' })
  process.env.DOCKER_HOST = d.host
  const ref = await buildAppImage(d, { version: '1.0.0' })
  await saveImage(d, ref, archive)
  // only the archive has it: the first prepare must load it
  await d.docker(['rmi', ref])
  hostPort = await freePorts(2)
}, 120_000)

afterAll(async () => {
  await d?.stop()
  rmSync(work, { recursive: true, force: true })
}, 60_000)

function provider(): Provider {
  return buildDockerProvider(
    dockerInputs({
      app: 'prep',
      imageArchive: archive,
      hostPort,
      haproxy: { socket: join(work, 'haproxy.sock'), backend: 'slipway' }
    }),
    { local: new LocalTransport() }
  )
}

describe('docker provider: prepared()', () => {
  test('says per host whether it loaded and ran, ran, started a kept container or found it running', async () => {
    const first = provider()
    expect(first.prepared!({ name: 'blue' })).toBeUndefined()

    await first.prepare({ name: 'blue' }, { version: '1.0.0' })
    expect(first.prepared!({ name: 'blue' })).toBe(
      'local: loaded and ran slipway-test/app:1.0.0 as prep-blue-1.0.0'
    )
    expect(first.prepared!({ name: 'green' })).toBeUndefined()

    await first.prepare({ name: 'blue' }, { version: '1.0.0' })
    expect(first.prepared!({ name: 'blue' })).toBe('local: already running prep-blue-1.0.0')

    await first.retire({ name: 'blue' }, { version: '1.0.0' })
    await first.prepare({ name: 'blue' }, { version: '1.0.0' })
    expect(first.prepared!({ name: 'blue' })).toBe('local: started kept container prep-blue-1.0.0')
    await first.close()

    // staged before prepare (the deploy's order): the image is there, prepare only runs it
    const second = provider()
    await second.stage!({ version: '1.0.0' })
    await second.prepare({ name: 'green' }, { version: '1.0.0' })
    expect(second.prepared!({ name: 'green' })).toBe(
      'local: ran slipway-test/app:1.0.0 as prep-green-1.0.0'
    )
    // the ports are the compose test's next
    for (const name of ['blue', 'green']) await second.retire({ name }, { version: '1.0.0' })
    await second.close()
  }, 120_000)

  test('compose: ran the project, found it running, started it kept', async () => {
    await loadImage(d, archive)
    const composeFile = join(work, 'compose.yml')
    // network_mode bridge: a Compose-made network would take a subnet other test daemons may hold
    writeFileSync(
      composeFile,
      [
        'version: "2.4"',
        'services:',
        '  web:',
        '    image: "slipway-test/app:${SLIPWAY_VERSION}"',
        '    network_mode: bridge',
        '    ports:',
        '      - "127.0.0.1:${SLIPWAY_HOST_PORT}:8080"',
        ''
      ].join('\n')
    )
    const local = new LocalTransport()
    // project directories under the test's own directory, not the home directory
    const compose = buildComposeProvider(
      dockerInputs({ provider: 'compose', app: 'prep', composeFile, hostPort }),
      {
        hosts: parseDockerHosts([]),
        router: {
          name: 'unused',
          dropsConnectionsOnChange: false,
          setWeights: () => Promise.reject(new Error('prepare moves no traffic'))
        },
        transportFor: () => local,
        projectRoot: join(work, 'compose')
      }
    )
    expect(compose.prepared!({ name: 'green' })).toBeUndefined()
    await compose.prepare({ name: 'green' }, { version: '1.0.0' })
    expect(compose.prepared!({ name: 'green' })).toBe(
      'local: ran compose project prep-green (up -d)'
    )
    await compose.prepare({ name: 'green' }, { version: '1.0.0' })
    expect(compose.prepared!({ name: 'green' })).toBe('local: already running project prep-green')
    await compose.retire({ name: 'green' })
    await compose.prepare({ name: 'green' }, { version: '1.0.0' })
    expect(compose.prepared!({ name: 'green' })).toBe('local: started kept project prep-green')
    await compose.retire({ name: 'green' })
    await compose.close()
  }, 120_000)
})
