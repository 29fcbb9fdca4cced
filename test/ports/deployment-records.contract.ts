import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import type { DeploymentRecords, DeploymentState, StartOptions } from '@slipway/deployments'
import { UserError } from '@slipway/kit'
import type { RecordsFixture } from './deployment-records.fixtures.js'

/**
 * What every implementation of the deployment-records port does, run against each of them by
 * deployment-records.test.ts: the stages and the rollback rely on exactly this.
 */
export function deploymentRecordsContract(name: string, setup: () => Promise<RecordsFixture>) {
  describe(`${name} keeps the deployment-records contract`, () => {
    let fixture: RecordsFixture
    beforeEach(async () => {
      fixture = await setup()
    })
    afterEach(async () => {
      await fixture.close()
    })

    const start = (
      records: DeploymentRecords,
      version: string,
      extra: Partial<StartOptions> = {},
      payload: Record<string, unknown> = {}
    ) =>
      records.start({
        environment: 'staging',
        version,
        payload: { version, strategy: 'blue-green', ...payload },
        productionEnvironment: false,
        ...extra
      })

    /** A whole deployment: created, in progress, then `final`. */
    async function deploy(
      runId: string,
      version: string,
      final: DeploymentState,
      payload: Record<string, unknown> = {},
      extra: Partial<StartOptions> = {}
    ): Promise<number> {
      const records = fixture.records(runId)
      const { deployment } = await start(records, version, extra, payload)
      await records.setStatus(deployment.id, 'in_progress', `deploying ${version}`)
      if (final !== 'in_progress')
        await records.setStatus(deployment.id, final, `${version} ${final}`, {
          environmentUrl: 'https://staging.example.com'
        })
      return deployment.id
    }

    test('start creates the deployment: ref, commit, environment and payload with the run', async () => {
      const { deployment, created } = await start(
        fixture.records('77'),
        'v1.1.0',
        {},
        { slot: 'green', backup_id: 'bk-1' }
      )
      expect(created).toBe(true)
      expect(deployment).toMatchObject({
        ref: 'v1.1.0',
        sha: fixture.commits['v1.1.0'],
        environment: 'staging',
        statuses: [],
        payload: {
          slipway: 1,
          version: 'v1.1.0',
          strategy: 'blue-green',
          slot: 'green',
          backup_id: 'bk-1',
          run_id: '77',
          run_attempt: '1'
        }
      })
      expect(deployment.state).toBeUndefined()
      expect(deployment.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      expect(fixture.deploymentCount()).toBe(1)
      const [listed] = await fixture.records('other').history('staging')
      expect(listed).toEqual(deployment)
    })

    test('statuses are kept in the order they were set, clipped, with their links', async () => {
      const records = fixture.records()
      const { deployment } = await start(records, 'v1.0.0')
      const first = await records.setStatus(
        deployment.id,
        'in_progress',
        `step\n${'x'.repeat(300)}`
      )
      expect(first).toMatchObject({ state: 'in_progress' })
      expect(first.description).toHaveLength(140)
      expect(first.description).toMatch(/^step x+…$/)
      await records.setStatus(deployment.id, 'pending', 'waiting')
      const last = await records.setStatus(deployment.id, 'success', 'live', {
        environmentUrl: 'https://app.example.com'
      })
      expect(last).toMatchObject({
        state: 'success',
        description: 'live',
        environmentUrl: 'https://app.example.com',
        logUrl: records.logUrl
      })
      const [read] = await records.history('staging')
      expect(read.statuses.map(s => s.state)).toEqual(['in_progress', 'pending', 'success'])
      expect(read.statuses.map(s => s.id)).toEqual(
        [...read.statuses.map(s => s.id)].sort((a, b) => a - b)
      )
      expect(read.statuses[2]).toEqual(last)
      expect(read.state).toBe('success')
    })

    test("auto_inactive: a success retires the environment's earlier non-production successes", async () => {
      const production = await deploy('1', 'v1.0.0', 'success', {}, { productionEnvironment: true })
      const plain = await deploy('2', 'v1.1.0', 'success')
      const kept = await deploy('3', 'v1.2.0', 'success') // retires `plain`
      const elsewhere = await deploy('4', 'v1.0.0', 'success', {}, { environment: 'qa' })
      const records = fixture.records()
      const { deployment: latest } = await start(fixture.records('5'), 'v1.1.0')
      await records.setStatus(latest.id, 'success', 'no retiring', { autoInactive: false })
      const states = async (environment = 'staging') =>
        Object.fromEntries(
          (await records.history(environment)).map(d => [d.id, d.statuses.map(s => s.state)])
        )
      expect(await states()).toEqual({
        [production]: ['in_progress', 'success'],
        [plain]: ['in_progress', 'success', 'inactive'],
        [kept]: ['in_progress', 'success'],
        [latest.id]: ['success']
      })
      expect(await states('qa')).toEqual({ [elsewhere]: ['in_progress', 'success'] })
    })

    test("history: the environment's deployments newest first, as many as asked", async () => {
      const ids = []
      for (const [run, version] of [
        ['1', 'v1.0.0'],
        ['2', 'v1.1.0'],
        ['3', 'v1.2.0']
      ])
        ids.push((await start(fixture.records(run), version)).deployment.id)
      await start(fixture.records('4'), 'v1.2.0', { environment: 'production' })
      const records = fixture.records()
      expect((await records.history('staging')).map(d => d.id)).toEqual([...ids].reverse())
      expect((await records.history('staging', { limit: 2 })).map(d => d.id)).toEqual([
        ids[2],
        ids[1]
      ])
      expect((await records.history('production')).map(d => d.payload.version)).toEqual(['v1.2.0'])
      expect(await records.history('nowhere')).toEqual([])
    })

    test('lastGood skips failed, never-successful and rolled-back deployments, and honours before and limit', async () => {
      const records = fixture.records()
      const d1 = await deploy('1', 'v1.0.0', 'success')
      const d2 = await deploy('2', 'v1.1.0', 'success') // d1 becomes inactive, still good
      const d3 = await deploy('3', 'v1.2.0', 'failure')
      const d4 = await deploy('4', 'v1.2.0', 'in_progress')
      // the two newest: one failed, one never got further than in_progress
      expect((await records.history('staging', { limit: 2 })).map(d => d.id)).toEqual([d4, d3])
      expect((await records.lastGood('staging'))?.id).toBe(d2)
      expect((await records.lastGood('staging', { before: d2 }))?.id).toBe(d1)
      expect(await records.lastGood('staging', { before: d1 })).toBeUndefined()
      // d2 lies beyond the two newest deployments
      expect(await records.lastGood('staging', { limit: 2 })).toBeUndefined()

      // a rollback of d2 (its own deployment says rollback_of) makes d1 the last good one before it
      const d5 = await deploy('5', 'v1.0.0', 'success', { rollback_of: d2 })
      expect((await records.lastGood('staging', { before: d5 }))?.id).toBe(d1)
      // a deployment marked rolled_back in its payload is not good either
      const d6 = await deploy('6', 'v1.2.0', 'success', { rolled_back: true })
      expect((await records.lastGood('staging'))?.id).toBe(d5)
      expect((await records.lastGood('staging', { before: d6 }))?.id).toBe(d5)
    })

    test('markRolledBack records an inactive status saying so; lastGood skips the deployment', async () => {
      const records = fixture.records()
      const d1 = await deploy('1', 'v1.0.0', 'success')
      const d2 = await deploy('2', 'v1.1.0', 'success', {}, { productionEnvironment: true })
      const rollback = await deploy('3', 'v1.0.0', 'success')
      const marked = await records.markRolledBack(d2, rollback)
      expect(marked).toMatchObject({
        state: 'inactive',
        description: `rolled back by deployment ${rollback}`
      })
      expect((await records.markRolledBack(rollback)).description).toBe('rolled back')
      const history = await records.history('staging')
      expect(history.find(d => d.id === d2)?.state).toBe('inactive')
      expect(history.find(d => d.id === d2)?.statuses.at(-1)).toEqual(marked)
      expect((await records.lastGood('staging'))?.id).toBe(d1)
    })

    test('a re-run of the same job converges on its deployment; another run creates its own', async () => {
      const first = await start(fixture.records('500'), 'v1.1.0')
      const again = await start(fixture.records('500'), 'v1.1.0')
      expect(again).toEqual({ created: false, deployment: first.deployment })
      const otherEnv = await start(fixture.records('500'), 'v1.1.0', { environment: 'qa' })
      const otherRun = await start(fixture.records('501'), 'v1.1.0')
      expect(otherRun.created).toBe(true)
      expect(otherEnv.created).toBe(true)
      expect(fixture.deploymentCount()).toBe(3)
    })

    test('a version that is not a ref is recorded against the fallback commit; a re-run finds it', async () => {
      const fallbackRef = fixture.commits['v1.0.0']
      const options = { fallbackRef }
      const { deployment, created } = await start(fixture.records('9'), 'build-4711', options)
      expect(created).toBe(true)
      expect(deployment.sha).toBe(fallbackRef)
      expect(deployment.payload.version).toBe('build-4711')
      const again = await start(fixture.records('9'), 'build-4711', options)
      expect(again).toMatchObject({ created: false, deployment: { id: deployment.id } })
      expect(fixture.deploymentCount()).toBe(1)
    })

    test('start adopts a given deployment id, with its statuses', async () => {
      const id = await deploy('1', 'v1.0.0', 'success')
      const adopted = await start(fixture.records('2'), 'v1.0.0', { deploymentId: id })
      expect(adopted.created).toBe(false)
      expect(adopted.deployment).toMatchObject({ id, ref: 'v1.0.0', payload: { run_id: '1' } })
      expect(adopted.deployment.statuses.map(s => s.state)).toEqual(['in_progress', 'success'])
      expect(fixture.deploymentCount()).toBe(1)
    })

    test('adopting an id that does not exist is a UserError naming it', async () => {
      await deploy('1', 'v1.0.0', 'success')
      const adopting = start(fixture.records('2'), 'v1.0.0', { deploymentId: 987654 })
      await expect(adopting).rejects.toBeInstanceOf(UserError)
      await expect(adopting).rejects.toThrow(/Deployment 987654 does not exist/)
      expect(fixture.deploymentCount()).toBe(1)
    })
  })
}
