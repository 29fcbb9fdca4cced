import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A /metrics endpoint whose gauge values the test sets. */
export interface MetricsServer {
  url: string
  /** Gauge values keyed by the full series text, e.g. `app_error_ratio{route="/"}`. */
  values: Map<string, number>
  close(): Promise<void>
}

export async function startMetricsServer(
  initial: Record<string, number> = {}
): Promise<MetricsServer> {
  const values = new Map(Object.entries(initial))
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.statusCode = 404
      res.end()
      return
    }
    res.setHeader('content-type', 'text/plain; version=0.0.4')
    res.end([...values].map(([series, value]) => `${series} ${value}`).join('\n') + '\n')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `127.0.0.1:${port}`,
    values,
    close: async () => {
      server.closeAllConnections()
      await new Promise(resolve => server.close(resolve))
    }
  }
}

export interface PrometheusServer {
  url: string
  close(): Promise<void>
}

/** A free loopback port: bind to 0, read it, release it (Prometheus takes a listen address, not a socket). */
export async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise(resolve => server.close(resolve))
  return port
}

/**
 * Starts the Debian `prometheus` binary on a free loopback port, scraping `target` every
 * second, with its TSDB in a temp dir. Resolves once `up{job="app"}` is 1 (deadline 20 s).
 */
export async function startPrometheus(
  target: string,
  deadlineMs = 20_000
): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-prometheus-'))
  const config = join(dir, 'prometheus.yml')
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: app',
      '    static_configs:',
      `      - targets: ['${target}']`,
      ''
    ].join('\n')
  )
  let child: ChildProcess | undefined
  let log = ''
  let url = ''
  const stop = async (): Promise<void> => {
    if (child && child.exitCode === null) {
      const exited = new Promise(resolve => child!.once('exit', resolve))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child!.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    // A port taken between freePort() and bind makes Prometheus exit: try a few ports.
    for (let attempt = 0; attempt < 3 && !url; attempt++) {
      const port = await freePort()
      child = spawn(
        'prometheus',
        [
          `--config.file=${config}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn'
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] }
      )
      child.stderr!.on('data', chunk => (log = (log + chunk).slice(-4000)))
      const candidate = `http://127.0.0.1:${port}`
      if (
        await waitFor(
          async () => (await fetch(`${candidate}/-/ready`)).ok,
          5000,
          () => child!.exitCode !== null
        )
      )
        url = candidate
    }
    if (!url) throw new Error(`prometheus did not become ready: ${log}`)
    const scraped = await waitFor(
      async () => {
        const body = (await (
          await fetch(`${url}/api/v1/query?query=${encodeURIComponent('up{job="app"}')}`)
        ).json()) as {
          data: { result: Array<{ value: [number, string] }> }
        }
        return body.data.result[0]?.value[1] === '1'
      },
      deadlineMs,
      () => child!.exitCode !== null
    )
    if (!scraped)
      throw new Error(`prometheus did not scrape ${target} within ${deadlineMs}ms: ${log}`)
  } catch (error) {
    await stop()
    throw error
  }
  return { url, close: stop }
}

/** Polls `condition` every 100 ms until it is true, the deadline passes, or `gaveUp` says stop. */
export async function waitFor(
  condition: () => Promise<boolean>,
  deadlineMs: number,
  gaveUp: () => boolean = () => false
): Promise<boolean> {
  const deadline = Date.now() + deadlineMs
  while (Date.now() < deadline && !gaveUp()) {
    try {
      if (await condition()) return true
    } catch {
      // not up yet
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return false
}

/** Waits until Prometheus returns `expected` for `query` (after a scrape of new values). */
export async function waitForValue(
  prometheusUrl: string,
  query: string,
  expected: string,
  deadlineMs = 10_000
): Promise<boolean> {
  return waitFor(async () => {
    const body = (await (
      await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`)
    ).json()) as {
      data: { result: Array<{ value: [number, string] }> }
    }
    return body.data.result[0]?.value[1] === expected
  }, deadlineMs)
}
