import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, tempDir, waitFor } from './helpers.js'

export interface PrometheusInstance {
  url: string
  stop(): Promise<void>
}

/** Debian's Prometheus on a free loopback port, scraping `targets`' /metrics every 500 ms. */
export async function startPrometheus(targets: string[]): Promise<PrometheusInstance> {
  const dir = tempDir('prometheus')
  const port = await freePort()
  const config = join(dir, 'prometheus.yml')
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 500ms',
      '  scrape_timeout: 400ms',
      'scrape_configs:',
      '  - job_name: app',
      '    static_configs:',
      `      - targets: [${targets.map(t => `'${t}'`).join(', ')}]`
    ].join('\n') + '\n'
  )
  let log = ''
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn'
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  )
  child.stderr?.on('data', chunk => (log = (log + chunk).slice(-4000)))
  const url = `http://127.0.0.1:${port}`
  await waitFor(
    'prometheus ready',
    async () => (await fetch(`${url}/-/ready`)).ok || undefined,
    20_000
  ).catch(error => {
    child.kill('SIGKILL')
    throw new Error(`${(error as Error).message}: ${log}`)
  })
  return {
    url,
    async stop() {
      child.kill('SIGTERM')
      await new Promise(resolve => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          resolve(undefined)
        }, 5000)
        child.once('close', () => {
          clearTimeout(timer)
          resolve(undefined)
        })
      })
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
