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
  /** Runs once after the new version is prepared and before any traffic moves. */
  migrate?: () => Promise<void>
  /** Canary: run analysis after every partial weight when the steps list no `analysis` of their own. */
  analysisConfigured?: boolean
}

/** A step of the plan, shown in the summary and `plan` output, and executed in order. */
export type PlanStep =
  | { kind: 'prepare'; targets: string[]; version: string }
  | { kind: 'health'; targets: string[] }
  | { kind: 'migrate' }
  | { kind: 'route'; weights: Record<string, number>; label: string }
  | { kind: 'pause'; ms: number }
  | { kind: 'analysis'; weight: number }
  | { kind: 'retire'; targets: string[]; version?: string }
  | { kind: 'batch'; index: number; hosts: string[] }

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
  /** Set when failed: the reason; traffic was returned to the stable version before returning. */
  error?: string
  durationMs: number
  /** When the previous slot should be retired (blue-green / canary with keep-previous). */
  warmUntil?: string
  /** Evidence for the targets whose prepare, health gate or analysis failed. */
  diagnostics?: Diagnostic[]
}
