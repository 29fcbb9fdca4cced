import type { ProbeOutcome } from '@slipway/probes'
import { formatWeights, hookEnv } from './env.js'
import {
  hookHealth,
  httpHealth,
  parseCurrent,
  runHook,
  tcpHealth,
  type HealthProbeKind
} from './hooks.js'
import { LocalTransport, type Transport } from './transport.js'
import type { HookContext, LiveState, Provider, Router, Target, Weights } from './types.js'

export interface ScriptProviderOptions {
  targets: Target[]
  environment: string
  artifact?: string
  prepareCommand: string
  routeCommand: string
  healthCommand?: string
  /** `{target}` is replaced by the target name (URL text, never a shell). */
  healthUrl?: string
  /** `http` without a health-url probes `http://<address><healthPath>` (default /health). */
  healthPath?: string
  /**
   * The probe the health gate runs. Left out: the command when there is one, else the URL,
   * else a TCP connection to the target's address. Never "healthy" without a probe.
   */
  healthCheck?: HealthProbeKind
  retireCommand?: string
  currentCommand?: string
  hookTimeoutMs: number
  transport?: Transport
  /** Whether targets are slots (SLIPWAY_SLOT) or hosts (SLIPWAY_HOST). */
  kind: 'slot' | 'host'
}

/**
 * The provider for any platform: every action is a user hook run under `bash -c`, with our
 * values only in SLIPWAY_* variables. Its router is the user's `route-command`; whether a
 * weight change drops requests depends on what that command drives, so we do not claim it does.
 */
export class ScriptProvider implements Provider {
  readonly name = 'script'
  readonly router: Router
  readonly targets: Target[]
  private readonly transport: Transport

  constructor(private readonly options: ScriptProviderOptions) {
    this.targets = options.targets
    this.transport = options.transport ?? new LocalTransport()
    const transport = this.transport
    this.router = {
      name: 'route-command',
      dropsConnectionsOnChange: false,
      async setWeights(weights: Weights) {
        await runHook(
          transport,
          'route-command',
          options.routeCommand,
          {
            ...hookEnv({
              WEIGHTS: formatWeights(weights),
              WEIGHTS_JSON: JSON.stringify(weights),
              ENVIRONMENT: options.environment
            }),
            ...Object.fromEntries(
              Object.entries(weights).map(([name, weight]) => [
                `SLIPWAY_WEIGHT_${envName(name)}`,
                String(weight)
              ])
            )
          },
          options.hookTimeoutMs
        )
      }
    }
  }

  private env(
    target: Target,
    extra: Record<string, string | undefined> = {}
  ): Record<string, string> {
    return hookEnv({
      TARGET: target.name,
      [this.options.kind === 'slot' ? 'SLOT' : 'HOST']: target.name,
      ADDRESS: target.address,
      ENVIRONMENT: this.options.environment,
      ARTIFACT: this.options.artifact,
      ...extra
    })
  }

  async check(): Promise<void> {}

  async current(): Promise<LiveState> {
    if (!this.options.currentCommand) return {}
    const out = await runHook(
      this.transport,
      'current-command',
      this.options.currentCommand,
      hookEnv({ ENVIRONMENT: this.options.environment }),
      this.options.hookTimeoutMs
    )
    return parseCurrent(out)
  }

  async prepare(target: Target, context: HookContext): Promise<void> {
    await runHook(
      this.transport,
      'prepare-command',
      this.options.prepareCommand,
      this.env(target, { VERSION: context.version, PREVIOUS_VERSION: context.previousVersion }),
      this.options.hookTimeoutMs
    )
  }

  /** The probe `health` runs: the configured one, else command, else URL, else TCP. */
  get healthCheck(): HealthProbeKind {
    const { healthCheck, healthCommand, healthUrl } = this.options
    return healthCheck ?? (healthCommand ? 'command' : healthUrl ? 'http' : 'tcp')
  }

  async health(target: Target, context?: HookContext): Promise<ProbeOutcome> {
    const timeout = Math.min(this.options.hookTimeoutMs, 10_000)
    const kind = this.healthCheck
    if (kind === 'command') {
      if (!this.options.healthCommand)
        return { ok: false, message: 'health-check is command but no health-command is set' }
      return hookHealth(
        this.transport,
        this.options.healthCommand,
        this.env(target, { VERSION: context?.version }),
        timeout
      )
    }
    if (kind === 'http') {
      const url = this.options.healthUrl
        ? this.options.healthUrl.replace(/\{target\}/g, encodeURIComponent(target.name))
        : target.address
          ? `http://${target.address}${this.options.healthPath ?? '/health'}`
          : undefined
      if (!url)
        return {
          ok: false,
          message: `http: target ${target.name} has no address and there is no health-url to probe`
        }
      return httpHealth(url, timeout)
    }
    return tcpHealth(target, timeout)
  }

  async retire(target: Target, context: HookContext): Promise<void> {
    if (!this.options.retireCommand) return
    await runHook(
      this.transport,
      'retire-command',
      this.options.retireCommand,
      this.env(target, { VERSION: context.version }),
      this.options.hookTimeoutMs
    )
  }

  async close(): Promise<void> {
    await this.transport.close()
  }
}

/** `web-1` → `WEB_1`, for per-target weight variables. */
export function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_')
}
