// A container rollback runs exactly what ran before (issue #13): the target deployment's recorded
// image (its digest) is what the provider is configured with — not what `image` or
// `image-archive` name in the rollback job — and it is carried into the rollback's own
// Deployment, so a later rollback to the same version has it too. The provider here is a
// recording stand-in: what is under test is the rollback's choice and wiring, not Docker.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { SummaryBuilder } from '@slipway/kit'
import type { HookContext, LiveState, Provider, Target, Weights } from '@slipway/providers'
import { renderRollbackSummary, rollback, withRecordedImage } from '@slipway/rollback'
import type { DeployConfig, DeployInputs } from '@slipway/strategies'
import { startEmulator, type Emulator } from '../github-emulator/index.js'

const GOOD = `registry.test/team/app@sha256:${'a'.repeat(64)}`
const BAD = `registry.test/team/app@sha256:${'b'.repeat(64)}`

/** Two slots; green runs the bad version; blue's container is gone (no warm slot). */
class RecordingProvider implements Provider {
  readonly name = 'recording'
  readonly targets: Target[] = [{ name: 'blue' }, { name: 'green' }]
  readonly events: string[] = []
  readonly router = {
    name: 'recording-router',
    dropsConnectionsOnChange: false,
    setWeights: async (weights: Weights): Promise<void> => {
      this.events.push(`route ${JSON.stringify(weights)}`)
    }
  }
  async check(): Promise<void> {}
  async current(): Promise<LiveState> {
    return { green: { version: 'v2', weight: 100 } }
  }
  async prepare(target: Target, context: HookContext): Promise<void> {
    this.events.push(`prepare ${target.name} ${context.version}`)
  }
  async health(): Promise<{ ok: boolean; message: string }> {
    return { ok: true, message: 'GET /health → 200' }
  }
  async retire(target: Target, context: HookContext): Promise<void> {
    this.events.push(`retire ${target.name} ${context.version}`)
  }
  async close(): Promise<void> {}
}

let gh: Emulator
let ledger: DeploymentLedger
beforeEach(async () => {
  gh = await startEmulator()
  ledger = new DeploymentLedger(
    createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 2 }),
    { owner: gh.owner, repo: gh.repo },
    {}
  )
  for (const [version, image, slot] of [
    ['v1', GOOD, 'blue'],
    ['v2', BAD, 'green']
  ]) {
    gh.state.setRef(`refs/tags/${version}`, gh.state.addCommit({ message: `feat: ${version}` }))
    const { deployment } = await ledger.start({
      environment: 'staging',
      version,
      payload: {
        version,
        strategy: 'blue-green',
        slot,
        image,
        image_id: `sha256:${(version === 'v1' ? 'c' : 'd').repeat(64)}`
      }
    })
    await ledger.setStatus(deployment.id, 'success', `${version} live`)
  }
})
afterEach(async () => {
  await gh.close()
})

describe('rollback of a container deployment', () => {
  test('configures the provider with the target deployment’s recorded image and records it again', async () => {
    const requests: { version: string; image?: string }[] = []
    const provider = new RecordingProvider()
    const result = await rollback({
      environment: 'staging',
      dryRun: false,
      ledger,
      deployConfig: request => {
        requests.push(request)
        return {
          strategy: request.strategy,
          version: request.version,
          environment: 'staging',
          dryRun: false,
          provider,
          request: {
            version: request.version,
            options: { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 },
            healthTimeoutMs: 1000,
            healthIntervalMs: 10
          },
          describeAnalysis: [],
          health: { kind: 'http', describe: 'http' }
        } satisfies DeployConfig
      }
    })
    expect(result.status).toBe('success')
    expect(requests).toEqual([expect.objectContaining({ version: 'v1', image: GOOD })])
    expect(provider.events).toContain('prepare blue v1')
    expect(result.deployment?.payload).toMatchObject({ version: 'v1', image: GOOD })
    const summary = new SummaryBuilder()
    renderRollbackSummary(summary, 'staging', result)
    expect(summary.toString()).toContain(`else a run of the recorded image ${GOOD}`)
  })

  test('the summary and the timeline say what the provider did on each host', async () => {
    // what the docker provider answers after starting its kept container (test/docker/prepared.test.ts)
    class ReportingProvider extends RecordingProvider {
      prepared(target: Target): string | undefined {
        return this.events.includes(`prepare ${target.name} v1`)
          ? `local: started kept container app-${target.name}-v1`
          : undefined
      }
    }
    const provider = new ReportingProvider()
    const result = await rollback({
      environment: 'staging',
      dryRun: false,
      ledger,
      deployConfig: request => ({
        strategy: request.strategy,
        version: request.version,
        environment: 'staging',
        dryRun: false,
        provider,
        request: {
          version: request.version,
          options: { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 },
          healthTimeoutMs: 1000,
          healthIntervalMs: 10
        },
        describeAnalysis: [],
        health: { kind: 'http', describe: 'http' }
      })
    })
    expect(result.status).toBe('success')
    expect(result.prepared).toBe('local: started kept container app-blue-v1')
    expect(result.timeline).toContainEqual(
      expect.objectContaining({
        step: 'prepare',
        detail: 'v1 on blue: local: started kept container app-blue-v1'
      })
    )
    const summary = new SummaryBuilder()
    renderRollbackSummary(summary, 'staging', result)
    expect(summary.toString()).toContain(
      'redeploy: local: started kept container app-blue-v1, blue-green'
    )
    expect(summary.toString()).not.toContain('else a run of the recorded image')
  })

  test('the recorded image replaces the job’s image and image-archive; an id-only record does not', () => {
    const inputs = {
      provider: 'docker',
      container: { image: BAD, imageArchive: '/tmp/app-v2.tar', port: 3000 }
    } as unknown as Omit<
      DeployInputs,
      'strategy' | 'version' | 'artifact' | 'environment' | 'dryRun'
    >
    expect(withRecordedImage(inputs, GOOD).container).toEqual({
      image: GOOD,
      imageArchive: undefined,
      port: 3000
    })
    expect(withRecordedImage(inputs, `sha256:${'e'.repeat(64)}`)).toBe(inputs)
    expect(withRecordedImage(inputs, undefined)).toBe(inputs)
  })
})
