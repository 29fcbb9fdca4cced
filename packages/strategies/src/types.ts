import type { Weights } from '@slipway/providers'
import type { HealthCheck } from './health-check.js'

export type StrategyName = 'blue-green' | 'canary' | 'rolling'
export const STRATEGIES: readonly StrategyName[] = ['blue-green', 'canary', 'rolling']

/** One canary step, in Argo Rollouts' vocabulary. */
export type CanaryStep = { setWeight: number } | { pause: number } | { analysis: true }

/** Argo Rollouts semantics: fail when failures exceed `failureLimit`; pass after `consecutiveSuccesses` in a row. */
export interface AnalysisPolicy {
  /** How long one analysis run may last (ms). */
  intervalMs: number
  /** Time between measurements (ms). */
  sampleEveryMs: number
  failureLimit: number
  consecutiveSuccesses: number
}

export interface BlueGreenOptions {
  strategy: 'blue-green'
  /** Move traffic now (false: prepare and health-gate only; a later job switches). */
  switchTraffic: boolean
  /** How long the previous slot stays warm after the switch; 0 retires it at once. */
  keepPreviousMs: number
}

export interface CanaryOptions {
  strategy: 'canary'
  steps: CanaryStep[]
  keepPreviousMs: number
}

export interface RollingOptions {
  strategy: 'rolling'
  /** Hosts updated together. */
  batchSize: number
  /** Hosts that may be out of service at once; batches never exceed it. */
  maxUnavailable: number
}

export type StrategyOptions = BlueGreenOptions | CanaryOptions | RollingOptions

export interface DeployRequest {
  version: string
  options: StrategyOptions
  healthTimeoutMs: number
  /** Delay between health observations. */
  healthIntervalMs: number
  /** `none` skips the gate (said so in the timeline); any other value is the provider's probe. */
  healthCheck?: HealthCheck
  /**
   * Time given to requests already on their way to a target after traffic left it, before that
   * target is stopped (rolling update, retire, canary teardown). A request picked by the router
   * a moment before the change still reaches the old process; stopping it at once resets it.
   */
  drainDelayMs?: number
  /** Runs the migrate-command: once after the new version is prepared and before any traffic moves. */
  migrate?: () => Promise<void>
  /** The migrate-command's text, shown in the plan (the `migrate` step's data). */
  migrateCommand?: string
  /** Canary: run analysis after every partial weight when the steps list no `analysis` of their own. */
  analysisConfigured?: boolean
}

/** When the migrate-command runs: once the new version is up, before any traffic reaches it. */
export type MigrateWhen =
  /** blue-green / canary: after the new slot passed its health gate, before the first route. */
  | 'after-health'
  /** rolling: after the first batch is back in service, before the second batch is drained. */
  | 'after-first-batch'

/**
 * A step of the plan, shown in the summary and `plan` output, and executed in order. Every
 * action the executor takes is one step, with the data it acts on: what a reviewer approves in a
 * dry run is, call for call, what a real run does. `batch` (rolling) numbers the batch a step
 * belongs to, from 1.
 */
export type PlanStep =
  | { kind: 'prepare'; targets: string[]; version: string; batch?: number }
  | { kind: 'health'; targets: string[]; version: string; batch?: number }
  | { kind: 'migrate'; command?: string; when: MigrateWhen }
  | { kind: 'route'; weights: Weights; label: string }
  | { kind: 'pause'; ms: number }
  | { kind: 'analysis'; weight: number }
  | { kind: 'retire'; targets: string[]; version?: string }
  /** rolling: the router's weights with the batch taken out of service. */
  | { kind: 'drain'; batch: number; targets: string[]; weights: Weights }
  /** rolling: the router's weights with the batch back in service. */
  | { kind: 'enable'; batch: number; targets: string[]; weights: Weights }

/**
 * A step of the failure path, run in order once a plan step failed, before the result returns.
 * Each says when it applies, because what must be undone depends on how far the plan got.
 */
export type FailureStep =
  /** Traffic back to the stable slot; only when a route step had already run. */
  | { kind: 'route-back'; weights: Weights; slot: string; version?: string; when: 'traffic-moved' }
  /** The provider's evidence for the new slot; only when its prepare, health gate or analysis failed. */
  | { kind: 'diagnose'; targets: string[]; version: string; when: 'target-failed' }
  /**
   * Stop the new version. `traffic-not-moved`: a first deployment that already routed to it keeps
   * it (there is nothing else to serve).
   */
  | {
      kind: 'tear-down'
      targets: string[]
      version: string
      when: 'always' | 'traffic-not-moved'
    }
  /**
   * rolling: put a batch's hosts back on the version each ran before (`version` undefined: none).
   * A batch that failed while out of service is diagnosed, restored and re-enabled together; a
   * batch already back in service is drained and restored host by host, most recent first. A
   * batch the rollout never reached is left alone. Listed last batch first.
   */
  | {
      kind: 'restore'
      batch: number
      from: string
      hosts: { name: string; version?: string }[]
    }

export interface Plan {
  strategy: StrategyName
  version: string
  previousVersion?: string
  /** blue-green / canary: the slot receiving the new version, and the live one. */
  slot?: string
  previousSlot?: string
  /** rolling: hosts per batch. */
  batches?: string[][]
  /** Canary weights in order (ends at 100). */
  weights?: number[]
  /** What a failure (now) or a rollback (later) returns traffic to. */
  rollbackTarget: string
  steps: PlanStep[]
  /** What a failed step sets in motion, computed with the plan. */
  onFailure: FailureStep[]
  notes: string[]
  /** What the provider will do on each host (pull/load, run, gate, route, retire), one line each. */
  perHost?: string[]
}

export interface TimelineEvent {
  atMs: number
  step: string
  detail: string
  ok: boolean
}

/** A provider's evidence for a target that failed (its container's last log lines), redacted. */
export interface Diagnostic {
  target: string
  text: string
}

export interface DeployResult {
  plan: Plan
  status: 'success' | 'failure' | 'prepared' | 'dry-run'
  timeline: TimelineEvent[]
  /**
   * Set when failed: the reason. Traffic was returned to the stable version before returning,
   * unless `undoFailed` says otherwise.
   */
  error?: string
  durationMs: number
  /** When the previous slot should be retired (blue-green / canary with keep-previous). */
  warmUntil?: string
  /** Evidence for the targets whose prepare, health gate or analysis failed. */
  diagnostics?: Diagnostic[]
  /**
   * Set when the failure path itself failed (a route back, a tear down or a restore): one line
   * per step it could not undo. Traffic may then NOT be on the previous version.
   */
  undoFailed?: string[]
}
