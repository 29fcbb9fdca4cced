import {
  SummaryBuilder,
  errorMessage,
  formatDuration,
  link,
  systemClock,
  type Clock,
  type Redactor
} from '@slipway/kit'
import type { DeploymentRecord, DeploymentRecords } from '@slipway/deployments'
import type { LiveState } from '@slipway/providers'
import type { DeployConfig } from './config.js'
import { describeCanaryProgress, type CanaryProgress } from './canary-progress.js'
import { executePlan } from './execute.js'
import { describeFailureStep, describeStep, makePlan } from './plan.js'
import type { AnalysisRun } from './analysis.js'
import type { DeployResult, Diagnostic, Plan, TimelineEvent } from './types.js'

export interface RecordOptions {
  records: DeploymentRecords
  deploymentId?: number
  backupId?: string
  environmentUrl?: string
  productionEnvironment?: boolean
  transientEnvironment?: boolean
  /** The commit to record against when `version` is not a ref (GITHUB_SHA). */
  fallbackRef?: string
}

/**
 * Work that must pass before the deploy changes anything (the migration rehearsal): run after
 * the hosts are checked and before staging. A refusal ends the deploy with nothing changed; a
 * pass may add fields to the Deployment's payload.
 */
export interface DeployGate {
  name: string
  run(): Promise<{ ok: boolean; detail: string; payload?: Record<string, unknown> }>
}

export interface DeployOutcome {
  result: DeployResult & { analyses: AnalysisRun[] }
  plan: Plan
  live: LiveState
  deployment?: DeploymentRecord
  outputs: Record<string, string | undefined>
  /** What the provider staged before the Deployment (docker: `image`, `image_id`). */
  staged?: Record<string, string>
}

/**
 * The whole deploy-strategy step: read what is live, plan, (dry-run stops here), record the
 * Deployment as in_progress, execute, record success or failure. The provider is always closed.
 */
export async function runDeploy(
  config: DeployConfig,
  record?: RecordOptions,
  log: (line: string) => void = () => undefined,
  clock: Clock = systemClock,
  gate?: DeployGate
): Promise<DeployOutcome> {
  const { provider } = config
  let gateEvent: TimelineEvent | undefined
  try {
    let live = await provider.current()
    if (Object.keys(live).length === 0 && record) live = await liveFromLedger(record, config)
    const plan = makePlan(provider.targets, live, config.request)
    const planned = {
      version: plan.version,
      previousVersion: plan.previousVersion,
      targets: plan.batches ? plan.batches.flat() : plan.slot ? [plan.slot] : []
    }
    const perHost = provider.describe?.(planned)
    if (perHost?.length) plan.perHost = perHost
    // The target's own check of what the run would apply (kubernetes: a server-side dry run).
    const checked = config.dryRun ? await provider.dryRun?.(planned) : undefined
    if (checked?.length) plan.perHost = [...(plan.perHost ?? []), ...checked]
    log(
      `Plan (${plan.strategy} ${plan.version}):\n${plan.steps.map((s, i) => `  ${i + 1}. ${describeStep(s)}`).join('\n')}`
    )
    const outputsFor = (
      deployment?: DeploymentRecord,
      result?: DeployResult
    ): Record<string, string | undefined> => ({
      'deployment-id': deployment ? String(deployment.id) : undefined,
      version: plan.version,
      'previous-version': plan.previousVersion ?? '',
      strategy: plan.strategy,
      slot: plan.slot ?? '',
      'environment-url': record?.environmentUrl ?? config.environmentUrl ?? '',
      status: result?.status ?? 'dry-run',
      'rollback-target': plan.rollbackTarget,
      plan: JSON.stringify(plan)
    })
    if (config.dryRun) {
      const result = { plan, status: 'dry-run' as const, timeline: [], durationMs: 0, analyses: [] }
      return { result, plan, live, outputs: outputsFor(undefined, result) }
    }
    // Every host reachable (and verified) before the first change.
    await provider.check()
    let gatePayload: Record<string, unknown> = {}
    if (gate) {
      const started = clock.now()
      const passed = await gate.run()
      const event = {
        atMs: 0,
        step: gate.name,
        detail: passed.detail,
        ok: passed.ok
      }
      if (!passed.ok) {
        const reason = `${passed.detail} (nothing was changed: no target prepared, no traffic moved, no Deployment recorded)`
        log(`✗ ${gate.name}: ${reason}`)
        const result = {
          plan,
          status: 'failure' as const,
          timeline: [{ ...event, detail: reason }],
          error: reason,
          durationMs: clock.now() - started,
          analyses: []
        }
        return { result, plan, live, outputs: outputsFor(undefined, result) }
      }
      log(`✓ ${gate.name}: ${passed.detail}`)
      gatePayload = passed.payload ?? {}
      gateEvent = event
    }
    // Work that touches nothing running (the docker provider pulls or loads the image on every
    // host): a failure here ends the deploy with nothing changed and no Deployment recorded.
    let staged: Record<string, string> = {}
    if (provider.stage) {
      const started = clock.now()
      try {
        staged = await provider.stage({
          version: plan.version,
          previousVersion: plan.previousVersion
        })
      } catch (error) {
        const reason = `staging ${plan.version} failed (nothing was changed: no container started, no traffic moved, no Deployment recorded): ${errorMessage(error)}`
        log(`✗ stage: ${reason}`)
        const result = {
          plan,
          status: 'failure' as const,
          timeline: [{ atMs: clock.now() - started, step: 'stage', detail: reason, ok: false }],
          error: reason,
          durationMs: clock.now() - started,
          analyses: []
        }
        return { result, plan, live, outputs: outputsFor(undefined, result) }
      }
    }
    let deployment: DeploymentRecord | undefined
    if (record) {
      const started = await record.records.start({
        environment: config.environment,
        version: config.version,
        deploymentId: record.deploymentId,
        productionEnvironment: record.productionEnvironment,
        transientEnvironment: record.transientEnvironment,
        fallbackRef: record.fallbackRef,
        payload: {
          version: config.version,
          artifact: config.artifact,
          strategy: config.strategy,
          slot: plan.slot,
          previous_slot: plan.previousSlot,
          hosts: plan.batches?.flat(),
          previous_version: plan.previousVersion,
          backup_id: record.backupId,
          // The image as staged (`repo@sha256:…`) and its id: a rollback runs exactly this.
          ...staged,
          keep_previous_ms:
            'keepPreviousMs' in config.request.options
              ? config.request.options.keepPreviousMs
              : undefined,
          ...gatePayload
        }
      })
      deployment = started.deployment
      log(
        `${started.created ? 'Created' : 'Continuing'} deployment ${deployment.id} for ${config.environment}`
      )
      await record.records.setStatus(
        deployment.id,
        'in_progress',
        `${plan.strategy} of ${plan.version} started`,
        { environmentUrl: record.environmentUrl }
      )
    }
    const result = await executePlan({
      provider,
      plan,
      request: config.request,
      live,
      analysis: config.analysis,
      log,
      clock,
      // One in_progress status per canary weight step: `slipway status` reads the step, the
      // weights and the last analysis from it. Blue-green and rolling record no more than before.
      onCanaryStep: record && deployment ? canaryStatus(record, deployment.id) : undefined
    })
    if (
      result.status === 'success' &&
      plan.previousSlot &&
      config.request.options.strategy !== 'rolling'
    ) {
      const keep =
        'keepPreviousMs' in config.request.options ? config.request.options.keepPreviousMs : 0
      if (keep > 0) result.warmUntil = new Date(clock.now() + keep).toISOString()
    }
    if (record && deployment) {
      const description =
        result.status === 'success'
          ? `${plan.version} live via ${plan.strategy}${plan.slot ? ` on ${plan.slot}` : ''}`
          : result.status === 'prepared'
            ? `${plan.version} prepared on ${plan.slot}; waiting for the switch`
            : result.undoFailed
              ? `failed and NOT undone, traffic may not be on ${plan.previousVersion ?? 'previous'}: ${result.error ?? ''}`
              : `failed, traffic on ${plan.previousVersion ?? 'previous'}: ${result.error ?? ''}`
      const state =
        result.status === 'success'
          ? 'success'
          : result.status === 'prepared'
            ? 'queued'
            : 'failure'
      try {
        await record.records.setStatus(deployment.id, state, description, {
          environmentUrl: record.environmentUrl
        })
      } catch (error) {
        log(
          `Could not record the ${state} status on deployment ${deployment.id}: ${errorMessage(error)}`
        )
        if (result.status !== 'failure') throw error
      }
    }
    if (staged.image)
      result.timeline.unshift({
        atMs: 0,
        step: 'stage',
        detail: `image ${staged.image}${staged.image_id ? ` (${staged.image_id})` : ''} on every host`,
        ok: true
      })
    if (gateEvent) result.timeline.unshift(gateEvent)
    return { result, plan, live, deployment, outputs: outputsFor(deployment, result), staged }
  } finally {
    await provider.close().catch(() => undefined)
  }
}

/** Records a canary's weight step as its Deployment's in_progress status. */
function canaryStatus(
  record: RecordOptions,
  deploymentId: number
): (progress: CanaryProgress) => Promise<void> {
  return async progress => {
    await record.records.setStatus(deploymentId, 'in_progress', describeCanaryProgress(progress), {
      environmentUrl: record.environmentUrl
    })
  }
}

/** The job summary: what was planned, what happened when, and where to look. */
export function renderSummary(
  summary: SummaryBuilder,
  config: DeployConfig,
  outcome: DeployOutcome,
  links: { logUrl?: string } = {}
): void {
  const { plan, result } = outcome
  const icon = { success: '✅', failure: '❌', prepared: '⏸️', 'dry-run': '📝' }[result.status]
  summary.heading(
    `${icon} deploy-strategy: ${plan.strategy} ${plan.version} → ${config.environment}${result.status === 'dry-run' ? ' (dry run)' : ''}`
  )
  if (result.error) summary.paragraph(`**Failed:** ${result.error}`)
  if (result.undoFailed)
    summary.paragraph(
      `> ⚠️ **Undoing the deploy failed too**: traffic may NOT be on ${plan.previousVersion ?? 'the previous version'}. ${result.undoFailed.join('; ')}`
    )
  if (config.health.kind === 'none')
    summary.paragraph(
      '> ⚠️ **The health gate is off** (`health-check: none`): no probe reached the new version before traffic moved to it.'
    )
  summary.table(
    ['', ''],
    [
      ['Version', plan.version],
      ['Previous version', plan.previousVersion ?? '—'],
      ['Strategy', plan.strategy],
      ['Provider / router', `${config.provider.name} / ${config.provider.router.name}`],
      ...(plan.slot
        ? [['Slot', `${plan.slot}${plan.previousSlot ? ` (previous: ${plan.previousSlot})` : ''}`]]
        : []),
      ...(plan.weights?.length
        ? [['Canary weights', plan.weights.map(w => `${w}%`).join(' → ')]]
        : []),
      ...(plan.batches
        ? [['Batches', plan.batches.map((b, i) => `${i + 1}: ${b.join(', ')}`).join('; ')]]
        : []),
      ...(outcome.staged?.image ? [['Image', outcome.staged.image]] : []),
      ['Health check', config.health.describe],
      ['Rollback target', plan.rollbackTarget],
      ...(outcome.deployment ? [['Deployment', `#${outcome.deployment.id}`]] : []),
      ...(result.warmUntil ? [['Previous slot warm until', result.warmUntil]] : []),
      ['Duration', formatDuration(result.durationMs)]
    ]
  )
  if (config.provider.router.dropsConnectionsOnChange && result.status !== 'dry-run') {
    summary.paragraph(
      `> ${config.provider.router.name} applies weights by reloading; clients reusing idle keep-alive connections at that moment can see a reset.`
    )
  }
  summary.heading('Plan', 3)
  summary.list(
    plan.steps
      .map((step, index) => `${index + 1}. ${describeStep(step)}`)
      .concat(plan.notes.map(n => `_${n}_`))
  )
  if (plan.onFailure.length) {
    summary.heading('On failure', 3)
    summary.list(plan.onFailure.map((step, index) => `${index + 1}. ${describeFailureStep(step)}`))
  }
  if (plan.perHost?.length) {
    summary.heading('Per host', 3)
    summary.list(plan.perHost)
  }
  if (config.describeAnalysis.length) {
    summary.heading('Analysis', 3)
    summary.list(config.describeAnalysis)
  }
  renderTimeline(summary, result.timeline)
  renderDiagnostics(summary, result.diagnostics ?? [], config.redactor)
  if (links.logUrl) summary.paragraph(link('Workflow run', links.logUrl))
}

/** The provider's evidence for each failed target, folded away under the timeline, redacted. */
export function renderDiagnostics(
  summary: SummaryBuilder,
  diagnostics: Diagnostic[],
  redactor?: Redactor
): void {
  for (const { target, text } of diagnostics) {
    const clean = redactor ? redactor.redact(text) : text
    const fence = clean.includes('```') ? '````' : '```'
    summary.details(`Container logs: ${target}`, `${fence}text\n${clean}\n${fence}`)
  }
}

/**
 * When the provider cannot tell what runs where (a script provider without current-command),
 * the environment's Deployment history can: the last good deployment's payload names the
 * version and the slot or hosts serving it.
 */
async function liveFromLedger(record: RecordOptions, config: DeployConfig): Promise<LiveState> {
  const last = await record.records.lastGood(config.environment)
  const version = last?.payload.version
  if (!last || !version) return {}
  const names = new Set(config.provider.targets.map(t => t.name))
  if (config.strategy !== 'rolling' && last.payload.slot && names.has(last.payload.slot)) {
    return { [last.payload.slot]: { version, weight: 100 } }
  }
  if (config.strategy === 'rolling' && last.payload.hosts) {
    return Object.fromEntries(
      last.payload.hosts.filter(h => names.has(h)).map(h => [h, { version, weight: 1 }])
    )
  }
  return {}
}

/** The timeline table shared by the deploy and rollback summaries. */
export function renderTimeline(summary: SummaryBuilder, timeline: TimelineEvent[]): void {
  if (timeline.length === 0) return
  summary.heading('Timeline', 3)
  summary.table(
    ['At', 'Step', 'Detail'],
    timeline.map(e => [`+${formatDuration(e.atMs)}`, `${e.ok ? '✓' : '✗'} ${e.step}`, e.detail])
  )
}
