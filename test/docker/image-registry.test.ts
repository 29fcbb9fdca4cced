import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { Redactor } from '@slipway/kit'
import { LocalTransport, buildDockerProvider, type Provider } from '@slipway/providers'
import { buildAppImage, imageId, startDockerd, type DockerdInstance } from '../services/docker.js'
import { startRegistry, type RegistryInstance, type PushedImage } from '../services/registry.js'
import { dockerInputs } from './helpers.js'

// Pulling from a registry that needs a login: the password goes to `docker login` on standard
// input, in a throw-away config, so it is never on a process's command line, never in the
// user's ~/.docker, never in an error; the payload records the digest a rollback will run.

let d: DockerdInstance
let registry: RegistryInstance
let pushed: PushedImage

beforeAll(async () => {
  d = await startDockerd({ name: 'registry-pull' })
  process.env.DOCKER_HOST = d.host
  registry = await startRegistry()
  pushed = await registry.push(d, await buildAppImage(d, { version: '1.0.0' }))
  // only the registry has the reference now: staging must pull it
  await d.docker(['rmi', pushed.ref])
}, 120_000)

afterAll(async () => {
  await registry?.stop()
  await d?.stop()
}, 60_000)

function provider(password: string, redactor: Redactor): Provider {
  const inputs = dockerInputs({
    image: pushed.ref,
    registry: registry.url,
    registryUsername: registry.username,
    registryPassword: password,
    hostPort: 18080,
    haproxy: { socket: '/run/haproxy/admin.sock' }
  })
  return buildDockerProvider(inputs, { local: new LocalTransport(redactor), redactor })
}

/** Runs `work` while sampling every process's command line; resolves with those naming `secret`. */
async function watchProcesses<T>(
  secret: string,
  work: Promise<T>
): Promise<{ result: PromiseSettledResult<T>; seen: string[] }> {
  const seen: string[] = []
  let done = false
  const settled = work
    .then(
      value => ({ status: 'fulfilled', value }) as const,
      (reason: unknown) => ({ status: 'rejected', reason }) as const
    )
    .finally(() => (done = true))
  for (let i = 0; i < 10_000 && !done; i++) {
    for (const pid of readdirSync('/proc').filter(entry => /^\d+$/.test(entry))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        if (cmdline.includes(secret)) seen.push(cmdline.replace(/\0/g, ' '))
      } catch {
        // gone meanwhile
      }
    }
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return { result: await settled, seen }
}

describe('registry login and pull', () => {
  test('a wrong password fails stage with a redacted error and nothing touched', async () => {
    const wrong = 'wrong-Passw0rd-for-test'
    const redactor = new Redactor()
    const { result, seen } = await watchProcesses(
      wrong,
      provider(wrong, redactor).stage!({ version: '1.0.0' })
    )
    expect(seen).toEqual([])
    expect(result.status).toBe('rejected')
    const message = ((result as PromiseRejectedResult).reason as Error).message
    expect(message).toMatch(/docker login 127\.0\.0\.1:\d+ \+ pull .* exited with code 1/)
    expect(message).not.toContain(wrong)
    expect((await d.docker(['ps', '-aq'])).trim()).toBe('')
  }, 60_000)

  test('the right password pulls; the payload records the digest; no login is left behind', async () => {
    const redactor = new Redactor()
    const { result, seen } = await watchProcesses(
      registry.password,
      provider(registry.password, redactor).stage!({ version: '1.0.0' })
    )
    expect(seen).toEqual([])
    expect(result).toEqual({
      status: 'fulfilled',
      value: { image: pushed.repoDigest, image_id: await imageId(d, pushed.ref) }
    })
    const userConfig = join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json')
    if (existsSync(userConfig)) expect(readFileSync(userConfig, 'utf8')).not.toContain(registry.url)
  }, 60_000)
})
