// The strategies' use of the provider's optional hooks (issue #13): a target that cannot become
// healthy by waiting (its container exited or restarted) ends the health gate at once with the
// provider's reason; the provider's evidence (the container's last log lines) reaches the result
// and the summary, redacted; `stage` runs before the Deployment is recorded (its fields go into
// the payload, its failure changes nothing); `describe` puts the per-host plan in the dry run.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { DeploymentLedger } from '@slipway/deployments'
import { createGitHubClient } from '@slipway/github'
import { startEmulator, type Emulator } from '../github-emulator/index.js'
import type { ProbeOutcome } from '@slipway/probes'
import type { HookContext, LiveState, Provider, Target, Weights } from '@slipway/providers'
import { Redactor, SummaryBuilder } from '@slipway/kit'
import {
  executePlan,
  healthGate,
  makePlan,
  renderSummary,
  runDeploy,
  type DeployConfig,
  type DeployRequest
} from '@slipway/strategies'

/**
 * A provider whose health answers come from a script of outcomes (the last one repeats); it
 * records every call so the test judges from events, not from time.
 */
class ScriptedProvider implements Provider {
  readonly name = 'scripted'
  readonly targets: Target[] = [{ name: 'blue' }, { name: 'green' }]
  readonly events: string[] = []
  readonly router = {
    name: 'scripted-router',
    dropsConnectionsOnChange: false,
    setWeights: async (weights: Weights): Promise<void> => {
      this.events.push(`route ${JSON.stringify(weights)}`)
    }
  }
  constructor(
    private readonly outcomes: ProbeOutcome[],
    private readonly logs?: string,
    readonly hooks: {
      stage?: () => Promise<Record<string, string>>
      describe?: (context: HookContext & { targets: string[] }) => string[]
    } = {}
  ) {
    if (hooks.stage) this.stage = async () => (this.events.push('stage'), hooks.stage!())
    if (hooks.describe) this.describe = hooks.describe
  }
  stage?: (context: HookContext) => Promise<Record<string, string>>
  describe?: (context: HookContext & { targets: string[] }) => string[]
  async check(): Promise<void> {}
  async current(): Promise<LiveState> {
    return {}
  }
  async prepare(target: Target, context: HookContext): Promise<void> {
    this.events.push(`prepare ${target.name} ${context.version}`)
  }
  async health(target: Target): Promise<ProbeOutcome> {
    const count = this.events.filter(e => e.startsWith('health')).length
    this.events.push(`health ${target.name}`)
    return this.outcomes[Math.min(count, this.outcomes.length - 1)]
  }
  async retire(target: Target, context: HookContext): Promise<void> {
    this.events.push(`retire ${target.name} ${context.version}`)
  }
  async close(): Promise<void> {}
  async diagnose(target: Target, context: HookContext): Promise<string | undefined> {
    this.events.push(`diagnose ${target.name} ${context.version}`)
    return this.logs
  }
}

const request: DeployRequest = {
  version: 'v2',
  options: { strategy: 'blue-green', switchTraffic: true, keepPreviousMs: 0 },
  // A deadline far beyond the test's own: only a fatal outcome can end the gate in time.
  healthTimeoutMs: 600_000,
  healthIntervalMs: 20
}

describe('a fatal health outcome', () => {
  test('stops polling at once and fails the gate with its message', async () => {
    const provider = new ScriptedProvider([
      { ok: false, message: 'GET /health: connection refused' },
      { ok: false, fatal: true, message: 'web1: container exited (code 3)' },
      { ok: true, message: 'never reached' }
    ])
    const events: string[] = []
    await expect(
      healthGate(provider, [provider.targets[0]], request, (step, detail) =>
        events.push(`${step}: ${detail}`)
      )
    ).rejects.toThrow(/health gate failed.*blue.*web1: container exited \(code 3\)/)
    // one ordinary failure, then the fatal one: exactly two probes, no third
    expect(provider.events.filter(e => e.startsWith('health'))).toHaveLength(2)
    expect(events).toEqual([])
  })

  test('a deploy whose new slot dies never routes, tears the slot down and keeps its logs', async () => {
    const provider = new ScriptedProvider(
      [{ ok: false, fatal: true, message: 'blue: container exited (code 3)' }],
      'starting app\nDATABASE_PASSWORD=hunter2 rejected\nexit 3'
    )
    const plan = makePlan(provider.targets, {}, request)
    const result = await executePlan({ provider, plan, request, live: {} })
    expect(result.status).toBe('failure')
    expect(result.error).toContain('blue: container exited (code 3)')
    expect(provider.events.filter(e => e.startsWith('route'))).toEqual([])
    expect(provider.events.filter(e => e.startsWith('health'))).toHaveLength(1)
    expect(provider.events).toContain('diagnose blue v2')
    expect(provider.events).toContain('retire blue v2')
    expect(result.diagnostics).toEqual([
      { target: 'blue', text: 'starting app\nDATABASE_PASSWORD=hunter2 rejected\nexit 3' }
    ])

    const redactor = new Redactor()
    redactor.add('hunter2')
    const summary = new SummaryBuilder()
    const config = {
      strategy: 'blue-green',
      version: 'v2',
      environment: 'test',
      dryRun: false,
      provider,
      request,
      describeAnalysis: [],
      health: { kind: 'http', describe: 'http' },
      redactor
    } as DeployConfig
    renderSummary(summary, config, { result, plan, live: {}, outputs: {} })
    const text = summary.toString()
    expect(text).toContain('<details><summary>Container logs: blue</summary>')
    expect(text).toContain('DATABASE_PASSWORD=*** rejected')
    expect(text).not.toContain('hunter2')
    // the logs come after the timeline
    expect(text.indexOf('Container logs')).toBeGreaterThan(text.indexOf('Timeline'))
  })
})

const configFor = (provider: Provider, dryRun = false): DeployConfig => ({
  strategy: 'blue-green',
  version: 'v2',
  environment: 'staging',
  dryRun,
  provider,
  request: { ...request, healthTimeoutMs: 1000 },
  describeAnalysis: [],
  health: { kind: 'http', describe: 'http' }
})

describe('the provider hooks around the plan', () => {
  let gh: Emulator
  let ledger: DeploymentLedger
  beforeEach(async () => {
    gh = await startEmulator()
    gh.state.setRef('refs/tags/v2', gh.state.addCommit({ message: 'feat: v2' }))
    ledger = new DeploymentLedger(
      createGitHubClient({ token: gh.token, baseUrl: gh.url, retries: 2 }),
      { owner: gh.owner, repo: gh.repo },
      { runId: '1', runAttempt: '1' }
    )
  })
  afterEach(async () => {
    await gh.close()
  })

  test('stage runs before the Deployment is recorded and its fields go into the payload', async () => {
    const image = 'registry.test/app@sha256:' + 'a'.repeat(64)
    const provider = new ScriptedProvider([{ ok: true, message: 'GET /health → 200' }], '', {
      stage: async () => ({ image, image_id: 'sha256:' + 'b'.repeat(64) })
    })
    const outcome = await runDeploy(configFor(provider), { records: ledger })
    expect(outcome.result.status).toBe('success')
    expect(provider.events[0]).toBe('stage')
    const recorded = await ledger.lastGood('staging')
    expect(recorded?.payload).toMatchObject({ image, image_id: 'sha256:' + 'b'.repeat(64) })
    expect(outcome.result.timeline[0]).toMatchObject({ step: 'stage', ok: true })
  })

  test('a stage failure is a failure with nothing touched and no Deployment recorded', async () => {
    const provider = new ScriptedProvider([{ ok: true, message: 'never asked' }], '', {
      stage: async () => {
        throw new Error('web1: pull access denied for registry.test/app')
      }
    })
    const outcome = await runDeploy(configFor(provider), { records: ledger })
    expect(outcome.result.status).toBe('failure')
    expect(outcome.result.error).toMatch(/nothing was changed.*pull access denied/)
    expect(provider.events).toEqual(['stage'])
    expect(outcome.deployment).toBeUndefined()
    expect(gh.state.deployments).toHaveLength(0)
  })

  test('dry-run puts the per-host plan in the plan output and the summary', async () => {
    const seen: string[][] = []
    const provider = new ScriptedProvider([{ ok: true, message: 'never asked' }], '', {
      stage: async () => ({}),
      describe: context => {
        seen.push(context.targets)
        return [`web1: pull registry.test/app:${context.version}, run app-${context.targets[0]}-v2`]
      }
    })
    const config = configFor(provider, true)
    const outcome = await runDeploy(config, { records: ledger })
    expect(outcome.result.status).toBe('dry-run')
    expect(provider.events).toEqual([])
    expect(seen).toEqual([['blue']])
    expect(JSON.parse(outcome.outputs.plan!).perHost).toEqual([
      'web1: pull registry.test/app:v2, run app-blue-v2'
    ])
    const summary = new SummaryBuilder()
    renderSummary(summary, config, outcome)
    expect(summary.toString()).toMatch(/### Per host\n\n- web1: pull registry.test\/app:v2/)
  })
})
