// A real image registry for tests: Debian's docker-registry (distribution 2.8) with filesystem
// storage in a temp dir and htpasswd (bcrypt) authentication, over plain HTTP on 127.0.0.1 or
// on a test bridge address. Test dockerds treat 127.0.0.0/8 and 10.231.0.0/16 as insecure
// (HTTP) registries, so both the local daemon and the hosts' daemons can push and pull.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DockerdInstance } from './docker.js'
import { exec, freePort, stopProcess, tail, waitFor } from './process.js'

export interface RegistryOptions {
  /** Listening address (default 127.0.0.1); a host set's bridgeAddress for netns hosts. */
  address?: string
  /** Default `slipway`. */
  username?: string
  /** Default: random. */
  password?: string
}

export interface PushedImage {
  /** `host:port/<repository>:<tag>` */
  ref: string
  /** The manifest digest (`sha256:…`). */
  digest: string
  /** `host:port/<repository>@sha256:…` */
  repoDigest: string
}

export interface RegistryInstance {
  /** `host:port` (what `docker login` and image references use). */
  url: string
  address: string
  port: number
  username: string
  password: string
  /**
   * Tags `ref` as `<url>/<repository>` (default: ref's own repository and tag) in `d`, logs in
   * with a throw-away CLI config and pushes.
   */
  push(d: DockerdInstance, ref: string, repository?: string): Promise<PushedImage>
  /** Stops the registry and removes its storage. Idempotent. */
  stop(): Promise<void>
}

/** Answers `GET /v2/` (401 without credentials is the expected "up" answer). */
async function answering(url: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${url}/v2/`, { signal: AbortSignal.timeout(2000) })
    await res.arrayBuffer()
    return res.status === 401 || res.status === 200
  } catch {
    return false
  }
}

export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryInstance> {
  const address = options.address ?? '127.0.0.1'
  const username = options.username ?? 'slipway'
  const password = options.password ?? randomBytes(12).toString('hex')
  const dir = await mkdtemp(join(tmpdir(), 'slipway-registry-'))
  // the password reaches htpasswd on stdin, never in an argument list
  const htpasswd = await exec('htpasswd', ['-B', '-C', '5', '-i', '-n', username], {
    input: password,
    timeoutMs: 20_000
  })
  await writeFile(join(dir, 'htpasswd'), htpasswd.trim() + '\n')
  const port = await freePort()
  const url = `${address}:${port}`
  const config = join(dir, 'config.yml')
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${url}`,
      `  secret: ${randomBytes(16).toString('hex')}`,
      'auth:',
      '  htpasswd:',
      '    realm: slipway-test',
      `    path: ${join(dir, 'htpasswd')}`,
      ''
    ].join('\n')
  )
  const child: ChildProcess = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const output = tail(child)
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await stopProcess(child, 'SIGTERM', 5000)
      await rm(dir, { recursive: true, force: true })
    })()
    return stopping
  }
  try {
    await waitFor(
      `docker-registry on ${url}`,
      () => {
        if (child.exitCode !== null) throw new Error(`docker-registry exited: ${output()}`)
        return answering(url)
      },
      15_000
    )
  } catch (error) {
    await stop()
    throw error
  }
  return {
    url,
    address,
    port,
    username,
    password,
    async push(d, ref, repository) {
      const target = `${url}/${repository ?? ref}`
      const config = await mkdtemp(join(d.dir, 'push-config-'))
      try {
        const env = { DOCKER_CONFIG: config }
        await d.docker(['tag', ref, target])
        await d.docker(['login', '--username', username, '--password-stdin', url], {
          input: password,
          env
        })
        await d.docker(['push', '-q', target], { env })
        const digests = await d.docker([
          'image',
          'inspect',
          '--format',
          '{{json .RepoDigests}}',
          target
        ])
        const name = target.slice(
          0,
          target.lastIndexOf(':') > target.lastIndexOf('/') ? target.lastIndexOf(':') : undefined
        )
        const repoDigest = (JSON.parse(digests) as string[]).find(entry =>
          entry.startsWith(`${name}@`)
        )
        if (!repoDigest) throw new Error(`pushed ${target} but found no digest in ${digests}`)
        return { ref: target, digest: repoDigest.slice(name.length + 1), repoDigest }
      } finally {
        await rm(config, { recursive: true, force: true })
      }
    },
    stop
  }
}
