import { readFileSync } from 'node:fs'
import { InputError, type Redactor } from '@slipway/kit'
import {
  LocalTransport,
  NginxProvider,
  ScriptProvider,
  SshTransport,
  haproxyRouterFromInputs,
  hookEnv,
  withHaproxy,
  runHook,
  type Provider,
  type Target,
  type Transport
} from '@slipway/providers'
import type { Metric } from './analysis.js'
import { buildAnalysis } from './analysis-config.js'
import { resolveHealthCheck, type ResolvedHealthCheck } from './health-check.js'
import { checkVersion } from './version.js'
import { haproxyInputs, type HaproxyDeployInputs } from './haproxy-inputs.js'
import { need } from './required-input.js'
import { parseCanarySteps, parseHostCount } from './parse.js'
import { parseTargets } from './targets.js'
import {
  buildContainerProvider,
  isContainerProvider,
  refuseContainerInputs,
  resolveContainerHealthCheck,
  type ContainerInputs
} from './docker-config.js'
import {
  STRATEGIES,
  type AnalysisPolicy,
  type DeployRequest,
  type StrategyName,
  type StrategyOptions
} from './types.js'

/** The action's inputs as read (strings, already-typed where the kit reader did it). */
export interface DeployInputs extends HaproxyDeployInputs {
  strategy: string | undefined
  version: string
  environment: string
  artifact?: string
  /** script, nginx, or docker/compose (containers on Docker hosts: see docker-config.ts). */
  provider: 'script' | 'nginx' | 'docker' | 'compose'
  dryRun: boolean
  targets: string[]
  switchTraffic: boolean
  keepPreviousMs: number
  steps?: string
  intervalMs: number
  measureEveryMs?: number
  failureLimit: number
  consecutiveSuccesses: number
  analysisUrl?: string
  analysisRequests: number
  maxErrorRate?: string
  maxLatencyMs?: number
  prometheusUrl?: string
  prometheusQuery?: string
  prometheusMin?: string
  prometheusMax?: string
  batchSize: string
  maxUnavailable?: string
  healthUrl?: string
  healthCommand?: string
  healthPath: string
  /** `health-check`: auto (default), http, tcp, command or none. */
  healthCheck?: string
  healthTimeoutMs: number
  healthIntervalMs: number
  hookTimeoutMs: number
  drainDelayMs: number
  /** Whether the Deployment history is available to tell what is live. */
  recordDeployment: boolean
  migrateCommand?: string
  prepareCommand?: string
  routeCommand?: string
  retireCommand?: string
  currentCommand?: string
  upstreamFile?: string
  upstreamName: string
  nginxTestCommand: string
  nginxReloadCommand: string
  nginxPidFile?: string
  routerHost?: string
  releaseDir: string
  startCommand?: string
  stopCommand?: string
  knownHosts?: string
  sshPrivateKey?: string
  /**
   * `haproxy`: traffic moves through HAProxy's runtime API instead of the provider's own router.
   * `nginx`: docker/compose only. Unset: `provider` for script/nginx, `haproxy` for docker/compose.
   */
  router?: 'provider' | 'haproxy' | 'nginx'
  /** The docker/compose provider's own inputs (image, hosts, port …). */
  container?: Partial<ContainerInputs>
}

export interface DeployConfig {
  strategy: StrategyName
  /** Shown in outputs even when no Deployment is recorded. */
  environmentUrl?: string
  version: string
  environment: string
  artifact?: string
  dryRun: boolean
  provider: Provider
  request: DeployRequest
  analysis?: { policy: AnalysisPolicy; metrics: (canary: Target) => Metric[] }
  describeAnalysis: string[]
  /** The health gate's probe and what it proves, for the summary. */
  health: ResolvedHealthCheck
  /** Masks secrets in what providers report (container logs) before it reaches the summary. */
  redactor?: Redactor
}

/**
 * Validates every input and builds the provider and request. Throws InputError before
 * anything is touched: bad input never changes a host, a router or GitHub.
 */
export function buildDeployConfig(inputs: DeployInputs, redactor?: Redactor): DeployConfig {
  if (!inputs.strategy || !(STRATEGIES as readonly string[]).includes(inputs.strategy)) {
    throw new InputError('strategy', `one of ${STRATEGIES.join(', ')}`, inputs.strategy)
  }
  const strategy = inputs.strategy as StrategyName
  checkVersion(inputs.version)
  const containers = isContainerProvider(inputs.provider)
  if (!containers) {
    refuseContainerInputs(inputs.provider, inputs.container)
    if (inputs.router === 'nginx')
      throw new InputError(
        'router',
        `provider or haproxy for the ${inputs.provider} provider (router nginx is for docker and compose; provider nginx routes through nginx itself)`,
        inputs.router
      )
  }
  const local = new LocalTransport(redactor)
  // The docker provider names its own targets: the slots, or its hosts for rolling.
  const container = containers
    ? buildContainerProvider(inputs, strategy, local, redactor)
    : undefined
  const slotDefault = strategy === 'rolling' ? [] : ['blue', 'green']
  const targets =
    container?.targets ?? parseTargets(inputs.targets.length ? inputs.targets : slotDefault)
  if (!container && strategy !== 'rolling' && targets.length !== 2) {
    throw new InputError(
      'targets',
      `exactly two slots for ${strategy} (such as blue=127.0.0.1:8081, green=127.0.0.1:8082)`,
      inputs.targets.join(',')
    )
  }
  if (strategy === 'rolling' && targets.length === 0)
    throw new InputError('targets', 'the hosts to roll over, one per line', undefined)

  let options: StrategyOptions
  if (strategy === 'blue-green')
    options = {
      strategy,
      switchTraffic: inputs.switchTraffic,
      keepPreviousMs: inputs.keepPreviousMs
    }
  else if (strategy === 'canary')
    options = {
      strategy,
      steps: parseCanarySteps(inputs.steps ?? '5,25,50,100'),
      keepPreviousMs: inputs.keepPreviousMs
    }
  else {
    const batchSize = parseHostCount(inputs.batchSize, targets.length, 'batch-size')
    const maxUnavailable = inputs.maxUnavailable
      ? parseHostCount(inputs.maxUnavailable, targets.length, 'max-unavailable')
      : batchSize
    options = { strategy, batchSize, maxUnavailable }
  }

  const health = containers
    ? resolveContainerHealthCheck(inputs)
    : resolveHealthCheck(
        { ...inputs, provider: inputs.provider as 'script' | 'nginx', router: inputs.router },
        targets
      )
  const analysis = buildAnalysis(inputs, targets)
  const migrateCommand = inputs.migrateCommand
  const request: DeployRequest = {
    version: inputs.version,
    options,
    healthTimeoutMs: inputs.healthTimeoutMs,
    healthIntervalMs: inputs.healthIntervalMs,
    healthCheck: health.kind,
    drainDelayMs: inputs.drainDelayMs,
    analysisConfigured: analysis !== undefined,
    migrate: migrateCommand
      ? async () => {
          await runHook(
            local,
            'migrate-command',
            migrateCommand,
            hookEnv({
              VERSION: inputs.version,
              ENVIRONMENT: inputs.environment,
              ARTIFACT: inputs.artifact,
              STRATEGY: strategy
            }),
            inputs.hookTimeoutMs
          )
        }
      : undefined
  }
  const base =
    container ??
    (inputs.provider === 'nginx'
      ? nginxProvider(inputs, targets, local, health)
      : scriptProvider(inputs, targets, strategy, local, health))
  const provider =
    !container && inputs.router === 'haproxy' ? haproxyRouted(inputs, targets, base, local) : base
  return {
    strategy,
    version: inputs.version,
    environment: inputs.environment,
    artifact: inputs.artifact,
    dryRun: inputs.dryRun,
    provider,
    request,
    analysis: analysis?.config,
    describeAnalysis: analysis?.describe ?? [],
    health,
    redactor
  }
}

function scriptProvider(
  inputs: DeployInputs,
  targets: Target[],
  strategy: StrategyName,
  transport: Transport,
  health: ResolvedHealthCheck
): Provider {
  if (
    strategy !== 'rolling' &&
    !inputs.currentCommand &&
    !inputs.recordDeployment &&
    !inputs.dryRun
  ) {
    // Without either, we cannot know which slot is live and could prepare over it.
    throw new InputError(
      'current-command',
      `a command printing the live slots (or record-deployment: true, so the Deployment history tells) for ${strategy}`,
      undefined
    )
  }
  return new ScriptProvider({
    targets,
    environment: inputs.environment,
    artifact: inputs.artifact,
    prepareCommand: need(
      inputs.prepareCommand,
      'prepare-command',
      'the script provider starts a version with it'
    ),
    // With router: haproxy the script provider's route hook is never called.
    routeCommand:
      inputs.router === 'haproxy'
        ? 'exit 1'
        : need(inputs.routeCommand, 'route-command', 'the script provider moves traffic with it'),
    healthCommand: inputs.healthCommand,
    healthUrl: inputs.healthUrl,
    healthPath: inputs.healthPath,
    healthCheck: health.kind === 'none' ? undefined : health.kind,
    retireCommand: inputs.retireCommand,
    currentCommand: inputs.currentCommand,
    hookTimeoutMs: inputs.hookTimeoutMs,
    kind: strategy === 'rolling' ? 'host' : 'slot',
    transport
  })
}

function nginxProvider(
  inputs: DeployInputs,
  targets: Target[],
  local: Transport,
  health: ResolvedHealthCheck
): Provider {
  for (const target of targets) {
    if (!target.address)
      throw new InputError(
        'targets',
        'every nginx target with an address (name=host:port), the upstream server',
        target.name
      )
  }
  const upstreamFile = need(
    inputs.upstreamFile,
    'nginx-upstream-file',
    'the upstream include Slipway writes'
  )
  if (!upstreamFile.startsWith('/'))
    throw new InputError('nginx-upstream-file', 'an absolute path', upstreamFile)
  if (!/^[A-Za-z0-9_]+$/.test(inputs.upstreamName))
    throw new InputError(
      'nginx-upstream-name',
      'an nginx upstream name ([A-Za-z0-9_])',
      inputs.upstreamName
    )
  const startCommand = need(
    inputs.startCommand,
    'start-command',
    'the nginx provider starts each release with it'
  )
  const usesSsh = targets.some(t => t.ssh) || (inputs.routerHost && inputs.routerHost !== 'local')
  if (usesSsh) {
    // Host keys are always verified: no known-hosts, no SSH.
    need(
      inputs.knownHosts,
      'known-hosts',
      'SSH targets need their host keys (ssh-keyscan output you trust)'
    )
    need(inputs.sshPrivateKey, 'ssh-private-key', 'SSH targets need a private key')
  }
  if (inputs.artifact) {
    try {
      readFileSync(inputs.artifact)
    } catch {
      throw new InputError('artifact', 'a readable file to ship to each host', inputs.artifact)
    }
  }
  const transports = new Map<string, Transport>()
  const transportFor = (destination: string | undefined): Transport => {
    if (!destination || destination === 'local') return local
    let transport = transports.get(destination)
    if (!transport) {
      transport = new SshTransport({
        destination,
        knownHosts: inputs.knownHosts!,
        privateKey: inputs.sshPrivateKey!
      })
      transports.set(destination, transport)
    }
    return transport
  }
  const provider = new NginxProvider({
    targets,
    environment: inputs.environment,
    transportFor,
    routerHost: inputs.routerHost,
    upstreamFile,
    upstreamName: inputs.upstreamName,
    testCommand: inputs.nginxTestCommand,
    reloadCommand: inputs.nginxReloadCommand,
    pidFile: inputs.nginxPidFile,
    releaseDir: inputs.releaseDir,
    artifact: inputs.artifact,
    startCommand,
    stopCommand: inputs.stopCommand,
    healthCommand: inputs.healthCommand,
    healthPath: inputs.healthPath,
    healthCheck: health.kind === 'none' ? undefined : health.kind,
    hookTimeoutMs: inputs.hookTimeoutMs
  })
  provider.close = async () => {
    for (const transport of transports.values()) await transport.close()
  }
  return provider
}

/** Any provider's hosts and hooks, HAProxy's runtime API moving the traffic (docs/routers.md). */
function haproxyRouted(
  inputs: DeployInputs,
  targets: Target[],
  base: Provider,
  local: Transport
): Provider {
  const remote = inputs.routerHost && inputs.routerHost !== 'local'
  if (remote) {
    need(
      inputs.knownHosts,
      'known-hosts',
      'the HAProxy host is reached over SSH and its host key must be verified'
    )
    need(inputs.sshPrivateKey, 'ssh-private-key', 'the HAProxy host is reached over SSH')
  }
  const router = haproxyRouterFromInputs(haproxyInputs(inputs), targets, destination =>
    destination
      ? new SshTransport({
          destination,
          knownHosts: inputs.knownHosts!,
          privateKey: inputs.sshPrivateKey!
        })
      : local
  )
  return withHaproxy(base, router)
}
