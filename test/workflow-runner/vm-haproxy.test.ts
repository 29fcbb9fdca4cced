/**
 * The VM starter (workflows-templates/vm-haproxy.yml) run as GitHub would run it: one job, the
 * all-in-one action with the repository's slipway.yml (examples/vm-haproxy/slipway.yml with this
 * machine's addresses), a real HAProxy moved through its runtime API and a real PostgreSQL backed
 * up (encrypted with age) before each deploy. One story: a good push goes live; a broken push
 * passes the health gate, takes traffic, damages data in its migration and fails the smoke test;
 * the same step routes traffic back to the previous version and restores the data.
 * No SSH here (router-host and targets are local): the SSH path is tested in test/deploy.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { generateIdentity, identityToRecipient } from 'age-encryption'
import { parse, stringify } from 'yaml'
import { withHealthCheck } from '@slipway/haproxy'
import { repoRoot } from '../helpers/run-bundle.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'
import { startPostgres, type PostgresServer } from '../services/postgres.js'
import { killApps, RELEASE_START_HOOK, RELEASE_STOP_HOOK } from '../services/sample-app.js'
import { freePort, ownedTempDir, tempDir } from '../services/process.js'
import { failedSteps, results, startHarness, type Harness } from './harness.js'

const TEMPLATE = 'workflows-templates/vm-haproxy.yml'

// The app: `/ready` for the health gate; `/health` (the smoke test) fails in a broken build.
const APP = String.raw`import http from 'node:http'
const build = process.env.VERSION_BUILD
const broken = process.env.VERSION_BROKEN === '1'
http.createServer((req, res) => {
  const path = (req.url || '/').split('?')[0]
  const code = path === '/health' && broken ? 500 : 200
  res.writeHead(code, { 'x-build': build }).end((code === 200 ? 'build ' : 'broken ') + build + '\n')
}).listen(Number(process.env.PORT), '127.0.0.1')
`

let haproxy: HaproxyInstance
let pg: PostgresServer
let h: Harness
// afterAll stops the apps by their pid files here, so it removes this dir itself
const releases = ownedTempDir('vm-haproxy-releases')
const backups = tempDir('vm-haproxy-backups')
const slots: Record<string, string> = {}

beforeAll(async () => {
  for (const name of ['blue', 'green']) slots[name] = `127.0.0.1:${await freePort()}`
  ;[haproxy, pg] = await Promise.all([
    startHaproxy({
      name: 'slipway',
      servers: Object.entries(slots).map(([name, address]) => ({
        name,
        address,
        weight: 0,
        options: withHealthCheck(undefined)
      }))
    }),
    startPostgres()
  ])
  await pg.createDatabase('shop')
  await pg.sql(
    "CREATE TABLE orders (id serial PRIMARY KEY, item text); INSERT INTO orders (item) VALUES ('tea'), ('coffee');",
    'shop'
  )
  const identity = await generateIdentity()
  h = await startHarness({
    environments: {
      production: {
        vars: { SLIPWAY_KNOWN_HOSTS: '' },
        secrets: { DATABASE_URL: pg.url('shop'), BACKUP_AGE_IDENTITY: identity }
      }
    },
    machineEnv: { PATH: `${process.env.PATH}` }
  })
  h.repository.write({ 'slipway.yml': await localConfig(identity) })
}, 120_000)

afterAll(async () => {
  killApps(releases, ['blue', 'green'])
  rmSync(releases, { recursive: true, force: true })
  await haproxy?.stop()
  await pg?.stop()
  await h?.close()
})

/** examples/vm-haproxy/slipway.yml with this machine's router, slots, store and key. */
async function localConfig(identity: string): Promise<string> {
  const config = parse(readFileSync(join(repoRoot, 'examples/vm-haproxy/slipway.yml'), 'utf8'))
  const { backup, deploy, smoke } = config.defaults
  backup.path = backups
  backup['encrypt-recipients'] = await identityToRecipient(identity)
  Object.assign(deploy, {
    // the sample release hook runs the artifact with node: one .mjs file, not a tarball
    artifact: 'build/app.mjs',
    'release-dir': releases,
    'start-command': RELEASE_START_HOOK,
    'stop-command': RELEASE_STOP_HOOK,
    'health-path': '/ready',
    'router-host': 'local',
    'haproxy-socket': haproxy.socket,
    'haproxy-config': haproxy.mainConfig,
    'haproxy-backend-file': haproxy.backendFile,
    'haproxy-state-file': haproxy.stateFile,
    targets: Object.entries(slots).map(([name, address]) => `${name}=${address}`),
    'environment-url': haproxy.url,
    // the broken build's migration destroys a row the previous version needs
    'migrate-command': `if [ -f build/broken ]; then psql "${pg.url('shop')}" -c "DELETE FROM orders WHERE item = 'tea'"; fi`,
    'health-timeout': '20s'
  })
  smoke.url = new URL('/health', haproxy.url).toString()
  smoke.timeout = '3s'
  return stringify(config)
}

/** The repository's build: the app with its build name in front; `build/broken` marks a bad one. */
function appFiles(build: string, broken: boolean): Record<string, string> {
  return {
    'src/app.mjs': APP,
    'release.env': `VERSION_BUILD=${build}\nVERSION_BROKEN=${broken ? 1 : 0}\n`,
    'deploy/build.sh': [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      'mkdir -p build && rm -f build/broken',
      'grep -q "VERSION_BROKEN=1" release.env && touch build/broken',
      // the sample release hook runs `node $SLIPWAY_ARTIFACT`: one file, its settings in front
      `{ sed 's/^\\(.*\\)=\\(.*\\)$/process.env.\\1 = "\\2"/' release.env; cat src/app.mjs; } > build/app.mjs`,
      ''
    ].join('\n')
  }
}

async function probe(): Promise<{ status: number; build: string | null }> {
  const response = await fetch(new URL('/health', haproxy.url))
  return { status: response.status, build: response.headers.get('x-build') }
}

const orders = () => pg.sql("SELECT string_agg(item, ',' ORDER BY id) FROM orders", 'shop')

describe(TEMPLATE, () => {
  it('deploys a good push behind HAProxy with a verified backup', async () => {
    h.repository.write(appFiles('one', false))
    h.repository.commit('feat: the shop')
    const run = await h.run({ workflow: TEMPLATE, event: 'push' })
    expect(failedSteps(run)).toEqual([])
    expect(results(run)).toEqual({ production: 'success' })
    expect(run.approvals).toEqual([{ job: 'production', environment: 'production' }])
    expect(await probe()).toEqual({ status: 200, build: 'one' })
    expect(await orders()).toBe('tea,coffee')
  }, 240_000)

  it('rolls a broken push back: traffic to the previous version, the data restored', async () => {
    h.repository.write(appFiles('two', true))
    h.repository.commit('feat: a broken shop')
    const run = await h.run({ workflow: TEMPLATE, event: 'push' })
    expect(results(run)).toEqual({ production: 'failure' })
    const step = run.jobs.production.steps.find(s => s.outputs.status !== undefined)
    expect(step?.outputs).toMatchObject({ status: 'rolled-back', 'failed-stage': 'smoke' })
    expect(await probe()).toEqual({ status: 200, build: 'one' })
    expect(await orders()).toBe('tea,coffee')
    // the database password never reaches the log (the runner hides its `add-mask` commands)
    const log = run.jobs.production.steps
      .flatMap(s => s.log.split('\n'))
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    expect(log).toContain('restored')
    expect(log).not.toContain(pg.password)
    // the pipeline's stage table shows the restore on the rollback's row
    expect(step?.summary ?? '').toMatch(/\| rollback \|.*data restored from \S+/)
  }, 240_000)
})
