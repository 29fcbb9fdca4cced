import { expect } from '@jest/globals'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import { runBundle, type BundleOptions } from '../helpers/run-bundle.js'
import { emulatorJobEnv } from '../services/job-env.js'
import { killApps, writeSampleApp } from '../services/sample-app.js'
import { freePort, ownedTempDir, tempDir } from '../services/process.js'
import {
  scriptProxyInputs,
  startWeightedProxy,
  type WeightedProxy
} from '../services/weighted-proxy.js'

/**
 * One environment for rollback and pipeline tests: the GitHub emulator, two slots of the
 * sample app behind a weight-switching proxy driven by the script provider's hooks.
 */
export interface Harness {
  gh: Emulator
  proxy: WeightedProxy
  stateDir: string
  slots: Record<string, string>
  /** Inputs deploy-strategy and rollback share (provider, targets, hooks). */
  providerInputs: Record<string, string>
  env(extra?: Record<string, string>): Record<string, string>
  run(
    name: string,
    inputs: BundleOptions['inputs'],
    extra?: Record<string, string>
  ): ReturnType<typeof runBundle>
  /** The version a slot runs (its version file), undefined when retired. */
  version(slot: string): string | undefined
  /** The version the proxy answers with now. */
  live(): Promise<string>
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  // close() stops the apps by their pid files here, so it removes this dir itself
  const stateDir = ownedTempDir('rollback-state')
  const app = writeSampleApp(tempDir('rollback-app'))
  const slots: Record<string, string> = {}
  for (const name of ['blue', 'green']) slots[name] = `127.0.0.1:${await freePort()}`
  const proxy = await startWeightedProxy(slots, stateDir)
  const gh = await startEmulator()
  const sha = gh.state.addCommit({ message: 'feat: the app' })
  const providerInputs = {
    ...scriptProxyInputs(slots),
    'health-timeout': '5s'
  }
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    STATE_DIR: stateDir,
    APP: app,
    PROXY_CONTROL: proxy.controlUrl,
    ...emulatorJobEnv(gh, sha),
    ...extra
  })
  return {
    gh,
    proxy,
    stateDir,
    slots,
    providerInputs,
    env,
    run: (name, inputs, extra) =>
      runBundle(name, {
        inputs: { 'github-token': gh.token, ...inputs },
        env: env(extra),
        timeoutMs: 90_000
      }),
    version(slot) {
      const file = join(stateDir, `${slot}.version`)
      return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
    },
    async live() {
      const response = await fetch(proxy.url)
      return (await response.text()).trim()
    },
    async close() {
      killApps(stateDir, Object.keys(slots))
      rmSync(stateDir, { recursive: true, force: true })
      await proxy.close()
      await gh.close()
    }
  }
}

/** The statuses of a deployment, oldest first, as `state: description`. */
export function statusesOf(gh: Emulator, id: number): string[] {
  return gh.state
    .deploymentStatuses(id)
    .slice()
    .reverse()
    .map(s => `${String(s.state)}: ${String(s.description ?? '')}`)
}

/** Deploys a version blue-green to staging with the deploy-strategy bundle; its Deployment id. */
export async function deployBlueGreen(h: Harness, version: string): Promise<number> {
  const run = await h.run('deploy-strategy', {
    ...h.providerInputs,
    strategy: 'blue-green',
    version,
    environment: 'staging',
    'keep-previous': '10m'
  })
  expect(run.annotations.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  return Number(run.outputs['deployment-id'])
}
