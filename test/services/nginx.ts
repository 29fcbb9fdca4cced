import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exec, freePort, stopProcess, tail, tcpOpen, waitFor } from './process.js'

/**
 * A real nginx (Debian's) started by a test as root, in a temp prefix, listening on a free
 * loopback port, in the foreground (`daemon off`). Its `http` block includes the upstream file
 * Slipway owns; `testCommand`/`reloadCommand` are what the deploy-strategy inputs get.
 */
export interface NginxInstance {
  port: number
  url: string
  prefix: string
  conf: string
  upstreamFile: string
  upstreamName: string
  testCommand: string
  reloadCommand: string
  /** Worker pids now (a reload replaces them). */
  workers(): number[]
  errorLog(): string
  stop(): Promise<void>
}

export async function startNginx(
  options: { keepaliveTimeout?: string } = {}
): Promise<NginxInstance> {
  const prefix = mkdtempSync(join(tmpdir(), 'slipway-nginx-'))
  const port = await freePort()
  for (const dir of ['tmp', 'logs']) mkdirSync(join(prefix, dir))
  const upstreamFile = join(prefix, 'slipway-upstream.conf')
  // nginx needs an upstream to start; this placeholder (no Slipway target comments) means "nothing deployed".
  writeFileSync(
    upstreamFile,
    'upstream slipway {\n    server 127.0.0.1:9 down;\n    server 127.0.0.1:10;\n}\n'
  )
  const conf = join(prefix, 'nginx.conf')
  writeFileSync(
    conf,
    `user root;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log notice;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  keepalive_timeout ${options.keepaliveTimeout ?? '65s'};
  include ${upstreamFile};
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://slipway; }
  }
}
`
  )
  const args = ['-p', prefix, '-c', conf]
  const check = spawn('nginx', [...args, '-t', '-q'], { stdio: 'pipe' })
  let checkErr = ''
  check.stderr.on('data', c => (checkErr += c))
  const code = await new Promise<number | null>(r => check.on('close', r))
  if (code !== 0) throw new Error(`nginx -t failed: ${checkErr}`)
  const child: ChildProcess = spawn('nginx', [...args, '-g', 'daemon off;'], { stdio: 'ignore' })
  const deadline = Date.now() + 10_000
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false
    )
    if (ok) break
    if (Date.now() > deadline) throw new Error('nginx did not start within 10s')
    await new Promise(r => setTimeout(r, 50))
  }
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    prefix,
    conf,
    upstreamFile,
    upstreamName: 'slipway',
    testCommand: `nginx -t -q -p ${quote(prefix)} -c ${quote(conf)}`,
    reloadCommand: `nginx -s reload -p ${quote(prefix)} -c ${quote(conf)}`,
    workers() {
      const master = readFileSync(join(prefix, 'nginx.pid'), 'utf8').trim()
      try {
        return readFileSync(`/proc/${master}/task/${master}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number)
      } catch {
        return []
      }
    },
    errorLog: () => readFileSync(join(prefix, 'logs', 'error.log'), 'utf8'),
    async stop() {
      await stopProcess(child, 'SIGTERM', 5000)
      rmSync(prefix, { recursive: true, force: true })
    }
  }
}

export interface WeightedNginx {
  dir: string
  port: number
  url: string
  /** Renders the upstream with these weights (0 → `down`), `nginx -t`, reload (SIGHUP). */
  setWeights(weights: Record<string, number>): Promise<void>
  /** Points a server at another address (rolling update), same test + reload. */
  setAddress(server: string, address: string): Promise<void>
  stop(): Promise<void>
}

export interface WeightedNginxOptions {
  /** server name → address */
  servers: Record<string, string>
  weights: Record<string, number>
  /** Client-side keep-alive timeout; `0` closes each connection after its response. Default 75s. */
  keepaliveTimeout?: number
  /** Keep idle connections to the upstream servers (default 16). */
  upstreamKeepalive?: number
}

/**
 * nginx as a router of its own (bench and router comparison tests): an upstream of named servers
 * whose weights the test sets; every change is rendered, checked (`nginx -t`) and reloaded.
 */
export async function startWeightedNginx(options: WeightedNginxOptions): Promise<WeightedNginx> {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-nginx-'))
  const port = await freePort()
  const conf = join(dir, 'nginx.conf')
  const upstream = join(dir, 'upstream.conf')
  const servers = { ...options.servers }
  let weights = { ...options.weights }
  const renderUpstream = (): string =>
    [
      'upstream app {',
      ...Object.entries(servers).map(([name, address]) => {
        const weight = weights[name] ?? 0
        return `    server ${address}${weight > 0 ? ` weight=${weight}` : ' down'}; # ${name}`
      }),
      `    keepalive ${options.upstreamKeepalive ?? 16};`,
      '}',
      ''
    ].join('\n')
  await writeFile(upstream, renderUpstream())
  await writeFile(
    conf,
    [
      'daemon off;',
      'master_process on;',
      'worker_processes 2;',
      'user root;',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '    access_log off;',
      `    client_body_temp_path ${dir}/client_body;`,
      `    proxy_temp_path ${dir}/proxy;`,
      `    fastcgi_temp_path ${dir}/fastcgi;`,
      `    uwsgi_temp_path ${dir}/uwsgi;`,
      `    scgi_temp_path ${dir}/scgi;`,
      `    keepalive_timeout ${options.keepaliveTimeout ?? 75}s;`,
      `    include ${upstream};`,
      '    server {',
      `        listen 127.0.0.1:${port};`,
      '        location / {',
      '            proxy_pass http://app;',
      '            proxy_http_version 1.1;',
      '            proxy_set_header Connection "";',
      '        }',
      '    }',
      '}',
      ''
    ].join('\n')
  )
  const child = spawn('nginx', ['-p', dir, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
  const output = tail(child)
  await waitFor(
    `nginx on 127.0.0.1:${port}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${output()}`)
      return tcpOpen(port)
    },
    10_000
  )
  const reload = async (): Promise<void> => {
    await writeFile(upstream, renderUpstream())
    await exec('nginx', ['-t', '-q', '-p', dir, '-c', conf], { timeoutMs: 10_000 })
    child.kill('SIGHUP')
  }
  return {
    dir,
    port,
    url: `http://127.0.0.1:${port}/`,
    setWeights: async next => {
      weights = { ...weights, ...next }
      await reload()
    },
    setAddress: async (server, address) => {
      servers[server] = address
      await reload()
    },
    stop: async () => {
      await stopProcess(child, 'SIGTERM', 5000)
      await rm(dir, { recursive: true, force: true })
    }
  }
}
