// Debian's Pushgateway for tests: on a free loopback port, persisting nothing (Debian's default
// persistence file would carry one test's pushes into the next).
import { spawn, type ChildProcess } from 'node:child_process'
import { freePort, stopProcess, waitFor } from './process.js'

export interface PushgatewayServer {
  url: string
  close(): Promise<void>
}

/** Starts `prometheus-pushgateway` on 127.0.0.1 (a few ports tried if one is taken meanwhile). */
export async function startPushgateway(): Promise<PushgatewayServer> {
  let log = ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const child: ChildProcess = spawn(
      'prometheus-pushgateway',
      [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] }
    )
    child.stderr!.on('data', chunk => (log = (log + chunk).slice(-4000)))
    const url = `http://127.0.0.1:${port}`
    try {
      await waitFor(
        'pushgateway',
        async () => {
          if (child.exitCode !== null) throw new Error(`pushgateway exited: ${log}`)
          return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok
        },
        15_000
      )
    } catch {
      await stopProcess(child, 'SIGKILL', 1000)
      continue
    }
    return { url, close: () => stopProcess(child, 'SIGTERM', 5000) }
  }
  throw new Error(`pushgateway did not start: ${log}`)
}
