// A rollback after a failed deploy that was undone automatically: v3 never became ready, traffic
// stayed on v2, and a later rollback to v1 moves traffic away from v2, not from v3. The stage
// reads the environment's history from the ledger file and the cluster through the provider.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs, LedgerFile } from '@slipway/kit'
import {
  FileDeploymentRecords,
  type DeploymentRecord,
  type DeploymentState
} from '@slipway/deployments'
import { parseDeploySettings, runDeployStage } from '@slipway/strategies'
import {
  chooseRollback,
  parseRollbackSettings,
  rollbackOutputs,
  runRollbackStage
} from '@slipway/rollback'
import { fromWhatIsLive } from '../../packages/rollback/src/target.js'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { onRealCluster, startCluster } from './cluster.js'
import { APP, appManifests, deploymentOf, kubeconfigOf, manifestDir, serviceOf } from './helpers.js'

jest.setTimeout(180_000)

let k8s: KubernetesEmulator
let root: string
let records: FileDeploymentRecords
const progress = { info: () => undefined, warning: () => undefined }

beforeAll(async () => {
  k8s = await startCluster()
  k8s.setPodBehaviour('registry.example/web:v3-never', 'never-ready')
  root = mkdtempSync(join(tmpdir(), 'slipway-k8s-rollback-'))
  execFileSync('git', ['init', '-q', root])
  execFileSync('git', [
    ...['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@t'],
    ...['commit', '-q', '--allow-empty', '-m', 'init']
  ])
  records = new FileDeploymentRecords(new LedgerFile(join(root, 'ledger.json')), { cwd: root })
})
afterAll(async () => {
  await k8s?.close()
  if (root) rmSync(root, { recursive: true, force: true })
})

const runnerEnv = () => ({ workspace: root, runnerTemp: root, repository: 'acme/web', sha: 'HEAD' })
const inputsOf = (values: Record<string, string>): Inputs => {
  const all: Record<string, string> = {
    provider: 'kubernetes',
    kubeconfig: kubeconfigOf(k8s),
    manifests: manifestDir({ 'app.yaml': appManifests() }),
    container: 'app',
    environment: 'production',
    'github-token': 'unused-by-file-records',
    ...values
  }
  return new Inputs(name => all[name])
}

const deploy = (version: string, image: string, healthTimeout = '60s') =>
  runDeployStage(
    parseDeploySettings(
      inputsOf({ strategy: 'blue-green', version, image, 'health-timeout': healthTimeout }),
      runnerEnv()
    ),
    { progress, records }
  )

const liveVersion = (): string | undefined => {
  const slot = serviceOf(k8s, APP)?.spec.selector?.['slipway.dev/slot']
  return slot
    ? deploymentOf(k8s, `${APP}-${slot}`)?.metadata.annotations?.['slipway.dev/version']
    : undefined
}

describe('kubernetes: rollback after a failed v3 that was undone', () => {
  test('rolled-back-from names v2, the version that was live, and v2 is marked rolled back', async () => {
    expect((await deploy('v1', 'registry.example/web:v1')).result.status).toBe('success')
    const v2 = await deploy('v2', 'registry.example/web:v2')
    expect(v2.result.status).toBe('success')
    const v3 = await deploy('v3', 'registry.example/web:v3-never', onRealCluster ? '45s' : '3s')
    expect(v3.result.status).toBe('failure')
    expect(liveVersion()).toBe('v2')

    const result = await runRollbackStage(
      parseRollbackSettings(inputsOf({ version: 'v1', 'health-timeout': '60s' }), runnerEnv()),
      { records, progress }
    )
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('success')
    expect(liveVersion()).toBe('v1')
    const outputs = rollbackOutputs(result)
    expect(outputs['rolled-back-to']).toBe('v1')
    expect(outputs['rolled-back-from']).toBe('v2')
    // The rollback's own record says the same, and v2 will not be chosen as a target again.
    expect(result.deployment?.payload.rolled_back_from).toBe('v2')
    const v2Id = v2.deployment!.id
    expect(result.marked).toContain(v2Id)
    const history = await records.history('production', { limit: 10 })
    const v2Record = history.find(d => d.id === v2Id)!
    const latest = v2Record.statuses[v2Record.statuses.length - 1]
    expect(latest.state).toBe('inactive')
    expect(latest.description).toMatch(/rolled back to v1/)
  })

  test('without a version: the failed v4 is what is rolled back, and v1 (live) stays', async () => {
    const v4 = await deploy('v4', 'registry.example/web:v3-never', onRealCluster ? '45s' : '3s')
    expect(v4.result.status).toBe('failure')
    expect(liveVersion()).toBe('v1')
    const result = await runRollbackStage(
      parseRollbackSettings(inputsOf({ 'health-timeout': '60s' }), runnerEnv()),
      { records, progress }
    )
    expect(result.error).toBeUndefined()
    expect(result.status).toBe('success')
    expect(rollbackOutputs(result)['rolled-back-from']).toBe('v4')
    expect(rollbackOutputs(result)['rolled-back-to']).toBe('v1')
    expect(result.plan.steps.some(s => s.kind === 'already-live')).toBe(true)
    expect(liveVersion()).toBe('v1')
  })
})

// The same rule on records alone, for every provider: what current() reports serving decides.
describe('fromWhatIsLive', () => {
  let nextId = 1
  const record = (version: string, states: [DeploymentState, string?][]): DeploymentRecord => {
    const id = nextId++
    const statuses = states.map(([state, description = ''], i) => ({
      id: id * 100 + i,
      state,
      description,
      createdAt: `2026-01-01T00:00:0${i}Z`
    }))
    return {
      id,
      ref: version,
      sha: 'abc',
      environment: 'prod',
      createdAt: '2026-01-01T00:00:00Z',
      payload: { version, strategy: 'blue-green' },
      statuses,
      state: statuses.at(-1)?.state
    }
  }
  const v1 = record('v1', [['in_progress'], ['success']])
  const v2 = record('v2', [['in_progress'], ['success']])
  const v3 = record('v3', [['in_progress'], ['failure', 'failed, traffic on v2: health gate']])
  const history = [v3, v2, v1]

  test('v2 serving after a failed v3: from moves to v2, both are marked', () => {
    const choice = fromWhatIsLive(chooseRollback('prod', history, { version: 'v1' }), history, 'v2')
    expect(choice.from.id).toBe(v2.id)
    expect(choice.target.id).toBe(v1.id)
    expect(choice.bad.map(d => d.id).sort()).toEqual([v2.id, v3.id].sort())
  })

  test('kept when what serves is the target, the chosen one, unknown or not recorded between', () => {
    const chosen = chooseRollback('prod', history, { version: 'v1' })
    expect(fromWhatIsLive(chooseRollback('prod', history), history, 'v2').from.id).toBe(v3.id)
    expect(fromWhatIsLive(chosen, history, 'v3')).toBe(chosen)
    expect(fromWhatIsLive(chosen, history, undefined)).toBe(chosen)
    expect(fromWhatIsLive(chosen, history, 'v9')).toBe(chosen)
  })
})
