// Debian's Alertmanager for tests, and a Prometheus that evaluates alert rules every second and
// sends its alerts there: the team's monitoring as the deploy stages see it. Each on a free
// loopback port with its own data directory, stopped by close().
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, ownedTempDir, stopProcess, waitFor } from './process.js'

export interface AlertmanagerServer {
  url: string
  close(): Promise<void>
}

export interface AlertingPrometheus {
  url: string
  close(): Promise<void>
}

/** One process on a free port, retried when another process took the port first. */
async function startOnFreePort(
  what: string,
  args: (port: number) => string[],
  command: string,
  ready: (url: string) => Promise<boolean>,
  dir: string
): Promise<{ url: string; close(): Promise<void> }> {
  let log = ''
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const child: ChildProcess = spawn(command, args(port), { stdio: ['ignore', 'ignore', 'pipe'] })
    child.stderr!.on('data', chunk => (log = (log + chunk).slice(-4000)))
    const url = `http://127.0.0.1:${port}`
    try {
      await waitFor(
        what,
        async () => {
          if (child.exitCode !== null) throw new Error(`${what} exited: ${log}`)
          return ready(url).catch(() => false)
        },
        15_000
      )
    } catch {
      await stopProcess(child, 'SIGKILL', 1000)
      continue
    }
    return {
      url,
      close: async () => {
        await stopProcess(child, 'SIGTERM', 5000)
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
  rmSync(dir, { recursive: true, force: true })
  throw new Error(`${what} did not start: ${log}`)
}

/** Starts `prometheus-alertmanager` with a null receiver and clustering off. */
export async function startAlertmanager(): Promise<AlertmanagerServer> {
  const dir = ownedTempDir('alertmanager')
  const config = join(dir, 'alertmanager.yml')
  writeFileSync(
    config,
    ['route:', '  receiver: none', '  group_wait: 1s', 'receivers:', '  - name: none', ''].join(
      '\n'
    )
  )
  return startOnFreePort(
    'alertmanager',
    port => [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn'
    ],
    'prometheus-alertmanager',
    async url => (await fetch(`${url}/-/ready`)).ok,
    dir
  )
}

/**
 * Starts `prometheus` scraping `targets` (job `app`) and, when given, a Pushgateway (job
 * `pushgateway`, its pushed labels kept), evaluating `rules` (a rule file's YAML text) every
 * second and sending alerts to `alertmanagerUrl`.
 */
export async function startAlertingPrometheus(options: {
  targets: string[]
  rules: string
  alertmanagerUrl: string
  pushgateway?: string
}): Promise<AlertingPrometheus> {
  const dir = ownedTempDir('prometheus-alerting')
  writeFileSync(join(dir, 'rules.yml'), options.rules)
  const alertmanager = new URL(options.alertmanagerUrl).host
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'rule_files: [rules.yml]',
      'alerting:',
      '  alertmanagers:',
      `    - static_configs: [{ targets: ['${alertmanager}'] }]`,
      'scrape_configs:',
      '  - job_name: app',
      `    static_configs: [{ targets: [${options.targets.map(t => `'${t}'`).join(', ')}] }]`,
      ...(options.pushgateway
        ? [
            '  - job_name: pushgateway',
            '    honor_labels: true',
            `    static_configs: [{ targets: ['${new URL(options.pushgateway).host}'] }]`
          ]
        : []),
      ''
    ].join('\n')
  )
  return startOnFreePort(
    'prometheus',
    port => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn'
    ],
    'prometheus',
    async url => (await fetch(`${url}/-/ready`)).ok,
    dir
  )
}

/** The alerts Alertmanager holds now, as its API lists them (for assertions). */
export async function alertmanagerAlerts(
  url: string
): Promise<Array<{ labels: Record<string, string>; status: { state: string } }>> {
  return (await (await fetch(`${url}/api/v2/alerts`)).json()) as Array<{
    labels: Record<string, string>
    status: { state: string }
  }>
}

/** The silences Alertmanager holds (active and expired), for assertions. */
export async function alertmanagerSilences(
  url: string
): Promise<Array<{ id: string; comment: string; status: { state: string } }>> {
  return (await (await fetch(`${url}/api/v2/silences`)).json()) as Array<{
    id: string
    comment: string
    status: { state: string }
  }>
}

/** Posts an alert straight to Alertmanager (an alert of another team, already firing …). */
export async function postAlert(
  url: string,
  labels: Record<string, string>,
  startsAt: Date = new Date()
): Promise<void> {
  const response = await fetch(`${url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        labels,
        annotations: { summary: `${labels.alertname} (posted by the test)` },
        startsAt: startsAt.toISOString(),
        endsAt: new Date(Date.now() + 10 * 60_000).toISOString()
      }
    ])
  })
  if (!response.ok) throw new Error(`alertmanager refused the alert: ${await response.text()}`)
}
