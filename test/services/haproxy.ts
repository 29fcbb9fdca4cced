// A real HAProxy for tests and bench, driven by its runtime API: a frontend on a free loopback
// port, one backend rendered the way Slipway renders it, and a router that persists into its
// files so that a restart keeps what the runtime API set.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  HaproxyRouter,
  LocalHost,
  UnixSocketChannel,
  renderBackend,
  type BackendSpec
} from '@slipway/haproxy'
import { freePort, stopProcess, tail, tcpOpen, waitFor } from './process.js'

export interface HaproxyInstance {
  dir: string
  port: number
  url: string
  socket: string
  mainConfig: string
  backendFile: string
  stateFile: string
  /** A router on the admin socket that persists into the backend and state files. */
  router: HaproxyRouter
  /** Stops HAProxy and starts it again from the files on disk. */
  restart(): Promise<void>
  stop(): Promise<void>
}

export async function startHaproxy(backend: BackendSpec): Promise<HaproxyInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-haproxy-'))
  const port = await freePort()
  const socket = join(dir, 'admin.sock')
  const mainConfig = join(dir, 'haproxy.cfg')
  const backendFile = join(dir, 'slipway-backend.cfg')
  const stateFile = join(dir, 'server-state')
  await writeFile(
    mainConfig,
    [
      'global',
      `    stats socket ${socket} mode 600 level admin`,
      '    maxconn 4096',
      'defaults',
      '    mode http',
      '    timeout connect 2s',
      '    timeout client 30s',
      '    timeout server 30s',
      '    timeout http-keep-alive 30s',
      'frontend web',
      `    bind 127.0.0.1:${port}`,
      `    default_backend ${backend.name}`,
      ''
    ].join('\n')
  )
  await writeFile(backendFile, renderBackend(backend, {}, stateFile))
  let child: ChildProcess | undefined
  let output: () => string = () => ''
  const start = async (): Promise<void> => {
    await rm(socket, { force: true })
    child = spawn('haproxy', ['-db', '-f', mainConfig, '-f', backendFile], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    output = tail(child)
    const started = child
    await waitFor(
      `HAProxy on 127.0.0.1:${port}`,
      async () => {
        if (started.exitCode !== null) throw new Error(`haproxy exited: ${output()}`)
        return existsSync(socket) && (await tcpOpen(port))
      },
      10_000
    )
  }
  await start()
  const router = new HaproxyRouter({
    channel: new UnixSocketChannel(socket),
    backend,
    persist: { host: new LocalHost(), mainConfig, backendFile, stateFile }
  })
  const stop = async (): Promise<void> => {
    if (child) await stopProcess(child, 'SIGTERM', 5000)
    child = undefined
  }
  return {
    dir,
    port,
    url: `http://127.0.0.1:${port}/`,
    socket,
    mainConfig,
    backendFile,
    stateFile,
    router,
    restart: async () => {
      await stop()
      await start()
    },
    stop: async () => {
      await stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
