// Debian's Prometheus for tests: started on a free loopback port with its TSDB in a temp dir,
// scraping the given /metrics targets. Smoke-test's watch window and deploy-strategy's canary
// analysis both query it.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './process.js'

export interface PrometheusServer {
  url: string
  close(): Promise<void>
}

export interface PrometheusOptions {
  /** How often targets are scraped (Prometheus duration text). */
  scrapeInterval?: string
  /**
   * Resolve only once a target has been scraped (`up{job="app"}` is 1). Off when the targets
   * start later than Prometheus (a canary slot that does not exist yet).
   */
  waitForScrape?: boolean
  deadlineMs?: number
}

/**
 * Starts the Debian `prometheus` binary on a free loopback port (a few ports are tried: one
 * taken between freePort() and bind makes Prometheus exit), scraping `targets` under job `app`.
 */
export async function startPrometheus(
  targets: string | string[],
  options: PrometheusOptions = {}
): Promise<PrometheusServer> {
  const list = Array.isArray(targets) ? targets : [targets]
  const interval = options.scrapeInterval ?? '1s'
  const deadlineMs = options.deadlineMs ?? 20_000
  const dir = mkdtempSync(join(tmpdir(), 'slipway-prometheus-'))
  const config = join(dir, 'prometheus.yml')
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  scrape_timeout: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'scrape_configs:',
      '  - job_name: app',
      '    static_configs:',
      `      - targets: [${list.map(t => `'${t}'`).join(', ')}]`,
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
    const scraped =
      !(options.waitForScrape ?? true) ||
      (await waitFor(
        async () => {
          const body = (await (
            await fetch(`${url}/api/v1/query?query=${encodeURIComponent('up{job="app"}')}`)
          ).json()) as {
            data: { result: Array<{ value: [number, string] }> }
          }
          return body.data.result.some(series => series.value[1] === '1')
        },
        deadlineMs,
        () => child!.exitCode !== null
      ))
    if (!scraped)
      throw new Error(`prometheus did not scrape ${list.join(', ')} within ${deadlineMs}ms: ${log}`)
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
