/**
 * What the starter pipeline deploys to here: a small app repository whose `npm test` / `npm run
 * build` produce one file, the hooks the templates name (`./deploy/prepare.sh`, `route.sh`,
 * `current.sh`, `health.sh`: the sample app's hooks, examples/sample-app/hooks.mjs, with the artifact
 * unpacked first), and per Environment two slots on 127.0.0.1 behind the sample app's router
 * (examples/sample-app/router.mjs). The Environments' variables point the workflows at them.
 *
 * A build marked broken answers `/health` with 500 while `/ready` (what the health hook
 * probes) stays 200: the new version passes the health gate, takes traffic, and fails the
 * smoke test, which is the failure path the deploy workflow's rollback step exists for.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../helpers/run-bundle.js'
import { freePort, isAlive, ownedTempDir, stopProcess, waitFor } from '../services/process.js'
import type { Values } from './types.js'

const APP = String.raw`import http from 'node:http'
const release = globalThis.__release
http
  .createServer((req, res) => {
    const path = (req.url || '/').split('?')[0]
    if (path === '/ready') return res.writeHead(200).end('ready\n')
    const code = path === '/health' && release.broken ? 500 : 200
    res.writeHead(code, { 'content-type': 'text/plain', 'x-build': release.build })
    res.end(code === 200 ? 'build ' + release.build + '\n' : 'broken ' + release.build + '\n')
  })
  .listen(Number(process.env.PORT), '127.0.0.1')
`

const BUILD = `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
const release = readFileSync('release.json', 'utf8').trim()
mkdirSync('dist', { recursive: true })
writeFileSync('dist/app.mjs', 'globalThis.__release = ' + release + '\\n' + readFileSync('src/app.mjs', 'utf8'))
`

// What `gh release download <tag> -p <asset>` does, with GH_TOKEN against GITHUB_API_URL.
const FETCH_RELEASE = `import { writeFileSync } from 'node:fs'
const [tag, name, out] = process.argv.slice(2)
const api = process.env.GITHUB_API_URL + '/repos/' + process.env.GITHUB_REPOSITORY
const headers = { authorization: 'Bearer ' + process.env.GH_TOKEN }
const release = await fetch(api + '/releases/tags/' + encodeURIComponent(tag), { headers })
if (!release.ok) throw new Error('release ' + tag + ': ' + release.status)
const asset = (await release.json()).assets.find(a => a.name === name)
if (!asset) throw new Error('release ' + tag + ' has no ' + name)
const bytes = await fetch(api + '/releases/assets/' + asset.id, {
  headers: { ...headers, accept: 'application/octet-stream' }
})
if (!bytes.ok) throw new Error('asset ' + name + ': ' + bytes.status)
writeFileSync(out, Buffer.from(await bytes.arrayBuffer()))
`

const hook = (command: string) => `#!/usr/bin/env bash
# The sample app's ${command} hook, with this Environment's state directory.
set -euo pipefail
export DEMO_STATE="$FIXTURE_STATE/$SLIPWAY_ENVIRONMENT"
exec node "$(dirname "$0")/hooks.mjs" ${command}
`

/** The app repository's files; `build` names the build, `broken` makes its /health fail. */
export function appFiles(build: string, broken = false): Record<string, string> {
  return {
    'package.json': JSON.stringify(
      {
        name: 'fixture-app',
        version: '0.0.0',
        private: true,
        scripts: { test: 'node test.mjs', build: 'node build.mjs' }
      },
      null,
      2
    ),
    'package-lock.json': JSON.stringify({
      name: 'fixture-app',
      version: '0.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'fixture-app', version: '0.0.0' } }
    }),
    // npm stays on this machine: no registry, audit or update check.
    '.npmrc': 'offline=true\naudit=false\nfund=false\nupdate-notifier=false\n',
    'test.mjs': "import assert from 'node:assert'\nassert.ok(true)\n",
    'build.mjs': BUILD,
    'release.json': JSON.stringify({ build, broken }),
    'src/app.mjs': APP,
    'deploy/hooks.mjs': readFileSync(join(repoRoot, 'examples/sample-app/hooks.mjs'), 'utf8'),
    'deploy/prepare.sh': `#!/usr/bin/env bash
# Unpacks the build into the slot's own directory, then the sample app's prepare starts it.
set -euo pipefail
export DEMO_STATE="$FIXTURE_STATE/$SLIPWAY_ENVIRONMENT"
release="$DEMO_STATE/$SLIPWAY_SLOT.release"
rm -rf "$release" && mkdir -p "$release"
artifact="$SLIPWAY_ARTIFACT"
if [ ! -f "$artifact" ]; then
  # A rollback redeploys a version whose job (and its artifact) is gone: the release has it.
  artifact="$release.tar.gz"
  node "$(dirname "$0")/fetch-release.mjs" "$SLIPWAY_VERSION" app.tar.gz "$artifact"
fi
tar -xzf "$artifact" -C "$release"
SLIPWAY_ARTIFACT="$release/app.mjs" exec node "$(dirname "$0")/hooks.mjs" prepare
`,
    'deploy/fetch-release.mjs': FETCH_RELEASE,
    'deploy/route.sh': hook('route'),
    // Says which slot is live and what each runs, so a rollback can route back to a warm slot.
    'deploy/current.sh': hook('current'),
    'deploy/health.sh': `#!/usr/bin/env bash
# Healthy when the slot's process answers /ready.
set -euo pipefail
exec node -e 'fetch("http://" + process.env.SLIPWAY_ADDRESS + "/ready", { signal: AbortSignal.timeout(1000) }).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))'
`
  }
}

export interface DeployFixture {
  /** Per Environment: SLIPWAY_TARGETS, SLIPWAY_ENVIRONMENT_URL. */
  environments: Record<string, { vars: Values }>
  /** The runner machine's variable the hooks find their state under. */
  machineEnv: Values
  /** What the Environment's router answers on `path`: the status and the serving build. */
  probe(environment: string, path?: string): Promise<{ status: number; build: string | null }>
  stop(): Promise<void>
}

export async function startDeployFixture(names: string[]): Promise<DeployFixture> {
  // stop() finds the apps by their pid files here, so it removes this dir itself
  const state = ownedTempDir('wfr-deploy')
  const routers: ChildProcess[] = []
  const environments: DeployFixture['environments'] = {}
  const urls: Record<string, string> = {}
  for (const name of names) {
    const dir = join(state, name)
    mkdirSync(dir)
    const slots = { blue: `127.0.0.1:${await freePort()}`, green: `127.0.0.1:${await freePort()}` }
    writeFileSync(join(dir, 'slots.json'), JSON.stringify(slots))
    const port = await freePort()
    const router = spawn(process.execPath, [join(repoRoot, 'examples/sample-app/router.mjs')], {
      env: { PATH: process.env.PATH, DEMO_STATE: dir, PORT: String(port) },
      stdio: 'ignore'
    })
    routers.push(router)
    urls[name] = `http://127.0.0.1:${port}`
    environments[name] = {
      vars: {
        SLIPWAY_TARGETS: Object.entries(slots)
          .map(([slot, address]) => `${slot}=${address}`)
          .join('\n'),
        SLIPWAY_ENVIRONMENT_URL: urls[name]
      }
    }
    await waitFor(
      `the ${name} router`,
      async () => {
        if (router.exitCode !== null) throw new Error(`the ${name} router exited`)
        return fetch(urls[name], { signal: AbortSignal.timeout(1000) }).then(
          () => true,
          () => false
        )
      },
      30_000
    )
  }
  return {
    environments,
    machineEnv: { FIXTURE_STATE: state },
    async probe(environment, path = '/') {
      const response = await fetch(`${urls[environment]}${path}`, {
        signal: AbortSignal.timeout(5000)
      })
      await response.text()
      return { status: response.status, build: response.headers.get('x-build') }
    },
    async stop() {
      await Promise.all(routers.map(router => stopProcess(router, 'SIGTERM')))
      // The apps the hooks started, by the pids the hooks recorded.
      for (const name of names) {
        const dir = join(state, name)
        for (const file of readdirSync(dir).filter(f => f.endsWith('.pid'))) {
          const pid = Number(readFileSync(join(dir, file), 'utf8'))
          if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGTERM')
        }
      }
      if (existsSync(state)) rmSync(state, { recursive: true, force: true })
    }
  }
}
