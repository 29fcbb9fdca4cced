import { join } from 'node:path'
import type { Inputs, Redactor } from '@slipway/kit'
import { InputError, ParserNotLoadedError, parseYaml } from '@slipway/kit'
import { LocalTransport, buildKubernetesProvider, type KubernetesInputs } from '@slipway/providers'
import { buildAnalysis } from './analysis-config.js'
import { assembleDeployConfig } from './assemble-config.js'
import type { DeployConfig } from './config.js'
import { parseStrategy, type DeployInputs } from './deploy-inputs.js'
import type { ResolvedHealthCheck } from './health-check.js'
import { strategyOptions } from './strategy-options.js'
import { inWorkspace as resolveIn, variablesOf, type ProviderRunnerEnv } from './runner-env.js'
import { checkVersion } from './version.js'
import type { StrategyOptions } from './types.js'

/** Helm mode's inputs as read (paths resolved against the workspace). */
export interface HelmDeployInputs {
  chart: string
  release?: string
  values: string[]
  imageKey?: string
  timeout?: string
  test: boolean
  /** Not an input: the revision a rollback returns to (the version's recorded `helm_revision`). */
  revision?: number
}

/** The kubernetes provider's own inputs, as read (validated by buildKubernetesProvider). */
export type KubernetesDeployInputs = Omit<KubernetesInputs, 'strategy' | 'environment'> & {
  /** Set by `helm-chart`: the release is deployed with helm instead of the manifests. */
  helm?: HelmDeployInputs
  /** The PATH helm is looked up on (the runner's). */
  path?: string
}

export interface KubernetesSettings {
  inputs: KubernetesDeployInputs
  /** The kubeconfig's content: masked before anything is logged. */
  readonly secrets: string[]
}

/**
 * Reads the kubernetes inputs. The kubeconfig comes from the `kubeconfig` input (its content,
 * from a secret) or the file KUBECONFIG names (azure/k8s-set-context and aws eks
 * update-kubeconfig set it) in the front end's environment; relative manifest paths resolve
 * against the workspace.
 */
export function parseKubernetesSettings(
  inputs: Inputs,
  runnerEnv: ProviderRunnerEnv,
  env: NodeJS.ProcessEnv = variablesOf(runnerEnv)
): KubernetesSettings {
  const kubeconfig = inputs.string('kubeconfig')
  const inWorkspace = (path: string): string => resolveIn(path, runnerEnv.workspace)
  const chart = inputs.string('helm-chart')
  const helm: HelmDeployInputs | undefined = chart
    ? {
        chart: inWorkspace(chart),
        release: inputs.string('helm-release'),
        values: inputs.list('helm-values').map(inWorkspace),
        imageKey: inputs.string('helm-image-key'),
        timeout: inputs.string('helm-timeout'),
        test: inputs.bool('helm-test')
      }
    : undefined
  // Without a chart, the helm inputs would be silently ignored: refuse them instead.
  if (!helm)
    for (const name of [
      'helm-release',
      'helm-values',
      'helm-image-key',
      'helm-timeout',
      'helm-test'
    ])
      if (inputs.string(name) !== undefined)
        throw new InputError(
          name,
          'nothing without helm-chart (it selects Helm mode)',
          inputs.string(name)
        )
  return {
    inputs: {
      app: inputs.string('app'),
      repository: runnerEnv.repository,
      kubeconfig,
      // As kubectl: KUBECONFIG, else ~/.kube/config (aws eks update-kubeconfig writes there).
      kubeconfigPath: env.KUBECONFIG || (env.HOME ? join(env.HOME, '.kube', 'config') : undefined),
      context: inputs.string('kube-context'),
      namespace: inputs.string('namespace'),
      manifests: inputs.list('manifests').map(inWorkspace),
      containers: inputs.list('container'),
      image: inputs.string('image'),
      replicas: inputs.int('replicas', { min: 1, max: 1000 }),
      maxSurge: inputs.string('max-surge'),
      maxUnavailable: inputs.string('max-unavailable'),
      gatewayRoute: inputs.string('gateway-route'),
      ...(helm ? { helm, path: env.PATH } : {})
    },
    secrets: kubeconfig ? [kubeconfig, ...kubeconfigCredentials(kubeconfig)] : []
  }
}

/**
 * The credentials inside a kubeconfig (tokens, passwords, client keys), masked on their own: a
 * log line can hold one without the rest of the file. A kubeconfig that is not YAML yields none
 * here; building the provider refuses it.
 */
function kubeconfigCredentials(text: string): string[] {
  try {
    const doc = parseYaml(text) as { users?: { user?: Record<string, unknown> }[] } | null
    return (doc?.users ?? []).flatMap(u =>
      ['token', 'password', 'client-key-data', 'client-certificate-data']
        .map(key => u.user?.[key])
        .filter((v): v is string => typeof v === 'string' && v !== '')
    )
  } catch (error) {
    if (error instanceof ParserNotLoadedError) throw error
    return []
  }
}

/** Helm mode's gate: the revision in service runs the version (and the chart's tests pass). */
const HELM_GATE: ResolvedHealthCheck = {
  kind: 'command',
  describe:
    'helm: the release’s revision in service runs the version (helm --wait saw its resources ready; a rollout that did not complete is rolled back by helm); with helm-test, the chart’s tests pass'
}

/** The health gate of the kubernetes provider: the Deployment's rollout, as the API reports it. */
// `kind` only tells the executor the gate is on: the provider's health() is the rollout check.
const ROLLOUT_GATE: ResolvedHealthCheck = {
  kind: 'command',
  describe:
    'rollout: the Deployment’s observedGeneration ≥ generation, updated = ready = available = desired replicas, Progressing NewReplicaSetAvailable (readiness probes included); ProgressDeadlineExceeded or a crash-looping pod fails at once'
}

/**
 * buildDeployConfig for `provider: kubernetes`: the provider (slots blue/green, or the app's
 * Deployment for rolling), the plan's request and the analysis. Every problem is an InputError
 * naming the input, thrown before any request reaches the cluster.
 */
export function buildKubernetesDeployConfig(
  inputs: DeployInputs,
  kubernetes: KubernetesDeployInputs,
  redactor?: Redactor,
  log?: (line: string) => void
): DeployConfig {
  const strategy = parseStrategy(inputs.strategy)
  checkVersion(inputs.version)
  if (inputs.targets.length > 0)
    throw new InputError(
      'targets',
      'nothing with provider kubernetes (the slots are its Deployments <app>-blue and <app>-green; rolling updates the app’s Deployment)',
      inputs.targets.join(', ')
    )
  if (inputs.healthCheck && inputs.healthCheck !== 'auto')
    throw new InputError(
      'health-check',
      'auto with provider kubernetes (the gate is the Deployment’s rollout and its readiness probes)',
      inputs.healthCheck
    )
  for (const [name, value] of [
    ['health-command', inputs.healthCommand],
    ['health-url', inputs.healthUrl]
  ] as const)
    if (value)
      throw new InputError(
        name,
        'nothing with provider kubernetes (the gate is the Deployment’s rollout and its readiness probes)',
        value
      )
  const provider = kubernetes.helm
    ? buildKubernetesProvider(
        {
          ...kubernetes,
          helm: kubernetes.helm,
          strategy,
          environment: inputs.environment,
          version: inputs.version,
          dryRun: inputs.dryRun
        },
        { redactor, log }
      )
    : buildKubernetesProvider(
        { ...kubernetes, strategy, environment: inputs.environment },
        { redactor, log, dryRun: inputs.dryRun }
      )
  const targets = provider.targets
  const options: StrategyOptions =
    strategy === 'rolling'
      ? { strategy, batchSize: 1, maxUnavailable: 1 }
      : strategyOptions(strategy, inputs, targets.length)
  const analysis = buildAnalysis(inputs, targets)
  return assembleDeployConfig(
    inputs,
    {
      strategy,
      provider,
      options,
      health: kubernetes.helm ? HELM_GATE : ROLLOUT_GATE,
      analysis,
      drainDelayMs: strategy === 'rolling' ? 0 : inputs.drainDelayMs,
      transport: new LocalTransport(redactor)
    },
    redactor
  )
}
