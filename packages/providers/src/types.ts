import type { ProbeOutcome } from '@slipway/probes'

/**
 * Slipway separates two jobs that real platforms also separate:
 *
 * - a **Provider** runs versions on targets (a blue/green slot, or a host for rolling):
 *   prepare, health, retire, and reports what runs where;
 * - a **Router** moves traffic between targets by weight, atomically.
 *
 * The strategies only speak to these two interfaces, so a new router (HAProxy's runtime API)
 * or a new platform is one more implementation, not a change to blue-green/canary/rolling.
 */

/** A place a version runs: a slot (`blue`, `green`) or a host (`web1`). */
export interface Target {
  name: string
  /** `host:port` the router sends traffic to (nginx `server`, HAProxy server address). */
  address?: string
  /** Where the target's files and processes live: `local` or `user@host[:port]` reached over SSH. */
  ssh?: string
}

/** Traffic share per target name. 0 means drained (no new requests). Shares need not sum to 100. */
export type Weights = Record<string, number>

export interface TargetState {
  version?: string
  weight?: number
}

/** What is live now, per target. Targets the provider knows nothing about are absent. */
export type LiveState = Record<string, TargetState>

export interface Router {
  readonly name: string
  /**
   * Applies all weights in one atomic change: either every weight takes effect or none does
   * (the previous routing stays). Throws with a clear message when it refuses.
   */
  setWeights(weights: Weights): Promise<void>
  /** True when changing weights can drop in-flight requests (nginx reload); reported in summaries. */
  readonly dropsConnectionsOnChange: boolean
  /**
   * For routers that health-check their servers themselves (HAProxy `check`): waits until the
   * router reports the target up, or the deadline (epoch ms) passes. Part of the health gate:
   * traffic moves to a target only once the router agrees it can serve. A router that does not
   * check a target says so in an ok outcome (the provider's own probe is then the only gate).
   */
  waitReady?(target: Target, deadline: number): Promise<ProbeOutcome>
}

export interface HookContext {
  version: string
  /** The version the target ran before, when known (for retire/restore hooks). */
  previousVersion?: string
}

export interface Provider {
  readonly name: string
  readonly router: Router
  /** The targets this provider manages (slots or hosts), in order. */
  readonly targets: Target[]
  /**
   * Read-only reachability check of every host and the router (SSH connects, host keys
   * verified), run before anything changes so that an unreachable host fails with nothing touched.
   */
  check(): Promise<void>
  /** What runs where and with which weight. Never throws for "nothing deployed yet": returns {}. */
  current(): Promise<LiveState>
  /** Ships and starts `version` on the target. Idempotent: preparing the same version twice is harmless. */
  prepare(target: Target, context: HookContext): Promise<void>
  /**
   * One health observation of the target, by a probe that really reached it: never ok unless a
   * probe succeeded. The message names the probe (`tcp 127.0.0.1:8082 …`, `GET … → 200`).
   * `context.version` is the version expected there (health hooks get it as SLIPWAY_VERSION).
   * The strategy polls it with a deadline.
   */
  health(target: Target, context?: HookContext): Promise<ProbeOutcome>
  /** Stops the version on the target (after traffic has left it). */
  retire(target: Target, context: HookContext): Promise<void>
  /** Releases connections (SSH sessions). */
  close(): Promise<void>
  /**
   * Optional: work that touches neither traffic nor a running version, done once after
   * `check()` and before the Deployment is recorded — the docker provider pulls or loads the
   * image on every host and resolves its digest. Returns fields for the Deployment payload
   * (`image`, `image_id`), so a rollback runs exactly what ran. A throw fails the deploy with
   * nothing changed.
   */
  stage?(context: HookContext): Promise<Record<string, string>>
  /**
   * Optional: evidence for a target that failed its gate or its start (the docker provider's
   * last container log lines per host), already redacted. Shown in the summary.
   */
  diagnose?(target: Target, context: HookContext): Promise<string | undefined>
  /** Optional: what the provider will do per host, one line each, for the dry-run plan. */
  describe?(context: HookContext & { targets: string[] }): string[]
  /**
   * Optional, dry run only: the target's own check of what the run would apply, one line per
   * object (kubernetes: a server-side apply with dryRun=All, created/configured/unchanged).
   * Throws a UserError when the target refuses an object; changes nothing.
   */
  dryRun?(context: HookContext & { targets: string[] }): Promise<string[]>
  /**
   * Optional: what the last prepare(target) did on each host, one phrase per host (`started kept
   * container …`, `ran <image> as …`, `loaded and ran …`, `already running …`); undefined
   * before any prepare of that target. The rollback summary and the deploy timeline show it.
   */
  prepared?(target: Target): string | undefined
}
