import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redactor } from '@slipway/kit'
import { DEFAULT_SERVER_CHECK } from '@slipway/haproxy'
import {
  LocalTransport,
  buildDockerProvider,
  type DockerInputs,
  type Provider
} from '@slipway/providers'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import {
  BASE_IMAGE,
  buildAppImage,
  imageId,
  saveImage,
  startDockerd,
  type DockerdInstance
} from '../services/docker.js'
import { freePorts } from '../services/process.js'
import { dockerInputs, pollHealth, versionHeader } from './helpers.js'

// The docker provider on a real Docker Engine (a private dockerd) behind a real HAProxy: a
// blue-green deploy step by step, what `current()` reads from the containers' labels, a kept
// container started again without any image transfer, a container that dies at start failing
// the gate at once with its logs, and housekeeping that never removes the live or previous version.

const SECRET = 'sup3r-s3cret-token-value'
let d: DockerdInstance
let haproxy: HaproxyInstance
let hostPort: number
const work = mkdtempSync(join(tmpdir(), 'slipway-docker-provider-'))
const secretDir = mkdtempSync(join(tmpdir(), 'slipway-docker-secret-'))
const archives: Record<string, string> = {}
const logs: string[] = []

beforeAll(async () => {
  d = await startDockerd({ name: 'provider-local' })
  process.env.DOCKER_HOST = d.host
  for (const [version, options] of [
    ['1.0.0', {}],
    ['2.0.0', { healthcheck: true }],
    ['3.0.0', { mode: 'exit' as const }]
  ] as const) {
    const ref = await buildAppImage(d, { version, ...options })
    archives[version] = join(work, `${version}.tar`)
    await saveImage(d, ref, archives[version])
  }
  hostPort = await freePorts(2)
  haproxy = await startHaproxy({
    name: 'slipway',
    servers: ['blue', 'green'].map((slot, i) => ({
      name: `local-${slot}`,
      address: `127.0.0.1:${hostPort + i}`,
      options: DEFAULT_SERVER_CHECK
    }))
  })
}, 120_000)

afterAll(async () => {
  await haproxy?.stop()
  await d?.stop()
  rmSync(work, { recursive: true, force: true })
  rmSync(secretDir, { recursive: true, force: true })
}, 60_000)

function provider(
  version: string,
  overrides: Partial<DockerInputs> = {},
  redactor?: Redactor
): Provider {
  return buildDockerProvider(
    dockerInputs({
      imageArchive: archives[version],
      hostPort,
      labels: ['team=web'],
      haproxy: { socket: haproxy.socket, backend: 'slipway' },
      tempDir: secretDir,
      ...overrides
    }),
    { local: new LocalTransport(redactor), redactor, log: line => logs.push(line) }
  )
}

const gate = pollHealth
const answer = (): Promise<string | null> => versionHeader(haproxy.url)

async function containers(): Promise<Record<string, string>> {
  const out = await d.docker([
    'ps',
    '-a',
    '--filter',
    'label=slipway.app=shop',
    '--format',
    '{{.Names}} {{.State}}'
  ])
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(line => line.split(' '))
  )
}

describe('docker provider on the local engine', () => {
  let blueId = ''

  test('blue-green: stage, prepare, health, route, retire; current() from labels', async () => {
    const redactor = new Redactor()
    const first = provider('1.0.0', { secretEnv: `API_TOKEN=${SECRET}` }, redactor)
    await first.check()
    expect(await first.current()).toEqual({ blue: { weight: 0 }, green: { weight: 0 } })
    const payload = await first.stage!({ version: '1.0.0' })
    expect(payload).toEqual({
      image: 'slipway-test/app:1.0.0',
      image_id: await imageId(d, 'slipway-test/app:1.0.0')
    })
    await first.prepare({ name: 'blue' }, { version: '1.0.0' })
    const outcomes = await gate(first, 'blue', '1.0.0')
    expect(outcomes.at(-1)).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^http GET http:\/\/127\.0\.0\.1:\d+\/health → 200/)
    })
    await first.router.setWeights({ blue: 100, green: 0 })
    expect(await answer()).toBe('1.0.0')
    expect(await first.current()).toEqual({
      blue: { version: '1.0.0', weight: 100 },
      green: { weight: 0 }
    })

    // the secret reached the container only through a file, which is gone
    const [inspect] = JSON.parse(await d.docker(['inspect', 'shop-blue-1.0.0']))
    expect(inspect.Config.Env).toContain(`API_TOKEN=${SECRET}`)
    expect(JSON.stringify([inspect.Args, inspect.Config.Cmd, inspect.Path])).not.toContain(SECRET)
    expect(inspect.Config.Labels).toMatchObject({
      'slipway.app': 'shop',
      'slipway.version': '1.0.0',
      'slipway.slot': 'blue',
      'slipway.environment': 'staging',
      'slipway.image-id': payload.image_id,
      team: 'web'
    })
    expect(readdirSync(secretDir)).toEqual([])
    expect(logs.join('\n')).not.toContain(SECRET)
    blueId = inspect.Id
    await first.close()

    const second = provider('2.0.0')
    await second.stage!({ version: '2.0.0' })
    await second.prepare({ name: 'green' }, { version: '2.0.0' })
    const gated = await gate(second, 'green', '2.0.0')
    expect(gated.at(-1)).toMatchObject({
      ok: true,
      message: 'HEALTHCHECK of shop-green-2.0.0: healthy'
    })
    const ready = await second.router.waitReady!({ name: 'green' }, Date.now() + 20_000)
    expect(ready.ok).toBe(true)
    await second.router.setWeights({ blue: 0, green: 100 })
    expect(await answer()).toBe('2.0.0')
    await second.retire({ name: 'blue' }, { version: '1.0.0' })
    expect(await containers()).toEqual({
      'shop-blue-1.0.0': 'exited',
      'shop-green-2.0.0': 'running'
    })
    expect(await second.current()).toEqual({
      blue: { weight: 0 },
      green: { version: '2.0.0', weight: 100 }
    })
    await second.close()
  }, 120_000)

  test('a kept container starts again without a pull or load', async () => {
    // Untag the image (the stopped container keeps it) and remove the archive: any pull or load
    // would fail or bring the tag back.
    await d.docker(['rmi', '-f', 'slipway-test/app:1.0.0'])
    const p = provider('1.0.0')
    rmSync(archives['1.0.0'])
    await p.prepare({ name: 'blue' }, { version: '1.0.0', previousVersion: '1.0.0' })
    expect((await gate(p, 'blue', '1.0.0')).at(-1)?.ok).toBe(true)
    const [inspect] = JSON.parse(await d.docker(['inspect', 'shop-blue-1.0.0']))
    expect(inspect.Id).toBe(blueId)
    expect(inspect.State.Running).toBe(true)
    const tags = await d.docker(['images', '--format', '{{.Repository}}:{{.Tag}}'])
    expect(tags).not.toContain('slipway-test/app:1.0.0')
    expect(logs.some(line => /started the kept container shop-blue-1\.0\.0/.test(line))).toBe(true)
    await p.close()
  }, 60_000)

  test('a container that exits at start fails the gate at once (fatal) and diagnose shows its logs', async () => {
    const p = provider('3.0.0')
    await p.stage!({ version: '3.0.0' })
    await p.prepare({ name: 'blue' }, { version: '3.0.0', previousVersion: '1.0.0' })
    const outcomes = await gate(p, 'blue', '3.0.0')
    expect(outcomes.at(-1)).toMatchObject({ ok: false, fatal: true })
    expect(outcomes.length).toBeLessThanOrEqual(10)
    expect(outcomes.at(-1)!.message).toMatch(
      /shop-blue-3\.0\.0 (is restarting|is exited|restarted)/
    )
    const evidence = await p.diagnose!({ name: 'blue' }, { version: '3.0.0' })
    expect(evidence).toMatch(/local shop-blue-3\.0\.0 \(.*\):\n.*version 3\.0\.0 exits at start/)
    // the live slot was never touched
    expect(await answer()).toBe('2.0.0')
    await p.retire({ name: 'blue' }, { version: '3.0.0' })
    expect((await containers())['shop-blue-3.0.0']).toBe('exited')
    await p.close()
  }, 60_000)

  test('housekeeping keeps keep-versions stopped containers, never the live or previous version', async () => {
    // An image only the oldest prunable container uses: it goes with it.
    const context = mkdtempSync(join(work, 'hk-'))
    writeFileSync(join(context, 'Dockerfile'), `FROM ${BASE_IMAGE}\nLABEL only=h2\n`)
    await d.docker(['build', '-q', '-t', 'slipway-test/hk:h2', context], {
      env: { DOCKER_BUILDKIT: '0' }
    })
    const h2Image = await imageId(d, 'slipway-test/hk:h2')
    const labels = (version: string, slot: string): string[] =>
      ['slipway.app=hk', `slipway.version=${version}`, `slipway.slot=${slot}`].flatMap(l => [
        '--label',
        l
      ])
    for (const version of ['h1', 'h2', 'h3', 'h4']) {
      const image = version === 'h2' ? h2Image : BASE_IMAGE
      await d.docker([
        'create',
        '--name',
        `hk-blue-${version}`,
        ...labels(version, 'blue'),
        image,
        'sleep',
        '300'
      ])
    }
    // untagged: only the h2 container keeps its image
    await d.docker(['rmi', '-f', 'slipway-test/hk:h2'])
    await d.docker([
      'run',
      '-d',
      '--name',
      'hk-green-h5',
      ...labels('h5', 'green'),
      BASE_IMAGE,
      'sleep',
      '300'
    ])
    const p = provider('2.0.0', { app: 'hk', keepVersions: 2 })
    // retiring blue (nothing of version h0 runs there) runs housekeeping with h1 as the previous version
    await p.retire({ name: 'blue' }, { version: 'h0', previousVersion: 'h1' })
    const names = (
      await d.docker(['ps', '-a', '--filter', 'label=slipway.app=hk', '--format', '{{.Names}}'])
    )
      .trim()
      .split('\n')
      .sort()
    expect(names).toEqual(['hk-blue-h1', 'hk-blue-h3', 'hk-blue-h4', 'hk-green-h5'])
    await expect(d.docker(['image', 'inspect', h2Image])).rejects.toThrow()
    await expect(imageId(d, BASE_IMAGE)).resolves.toMatch(/^sha256:/)
    expect(logs).toContain(`local: removed old container hk-blue-h2`)
    expect(logs).toContain(`local: removed unused image ${h2Image}`)
    await d.docker(['rm', '-f', 'hk-green-h5'])
    await p.close()
  }, 60_000)

  test('rolling: the host is the target; a failed version is replaced by the kept previous one', async () => {
    const port = await freePorts(1)
    const proxy = await startHaproxy({
      name: 'slipway',
      servers: [{ name: 'local', address: `127.0.0.1:${port}`, options: DEFAULT_SERVER_CHECK }]
    })
    try {
      const rolling = (version: string): Provider =>
        provider(version, {
          app: 'roll',
          strategy: 'rolling',
          hostPort: port,
          haproxy: { socket: proxy.socket, backend: 'slipway' }
        })
      const good = rolling('2.0.0')
      expect(good.targets).toEqual([
        { name: 'local', address: `127.0.0.1:${port}`, ssh: undefined }
      ])
      await good.prepare({ name: 'local' }, { version: '2.0.0' })
      expect((await gate(good, 'local', '2.0.0')).at(-1)?.ok).toBe(true)
      await good.router.setWeights({ local: 1 })
      expect(await good.current()).toEqual({ local: { version: '2.0.0', weight: 1 } })

      // the strategy drains the host, then prepares the new version: the old container stops
      await good.router.setWeights({ local: 0 })
      const bad = rolling('3.0.0')
      await bad.prepare({ name: 'local' }, { version: '3.0.0', previousVersion: '2.0.0' })
      expect((await gate(bad, 'local', '3.0.0')).at(-1)).toMatchObject({ ok: false, fatal: true })
      // putting the host back starts the kept container of the previous version
      await bad.prepare({ name: 'local' }, { version: '2.0.0', previousVersion: '3.0.0' })
      expect((await gate(bad, 'local', '2.0.0')).at(-1)?.ok).toBe(true)
      await bad.router.setWeights({ local: 1 })
      expect(await bad.current()).toEqual({ local: { version: '2.0.0', weight: 1 } })
      const states = await d.docker([
        'ps',
        '-a',
        '--filter',
        'label=slipway.app=roll',
        '--format',
        '{{.Names}} {{.State}}'
      ])
      expect(states.trim().split('\n').sort()).toEqual([
        'roll-local-2.0.0 running',
        'roll-local-3.0.0 exited'
      ])
      await good.close()
      await bad.close()
    } finally {
      await proxy.stop()
    }
  }, 90_000)
})
