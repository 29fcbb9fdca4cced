import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Redactor, SummaryBuilder } from '@slipway/kit'
import type { DeployInputs } from '@slipway/strategies'
import {
  buildKubernetesDeployConfig,
  type KubernetesDeployInputs
} from '../../packages/strategies/src/kubernetes-config.js'
import {
  renderSummary,
  runDeploy,
  type DeployConfig,
  type DeployOutcome
} from '@slipway/strategies'
import { testDeploySettings } from '../deploy/helpers.js'
import { tempDir } from '../services/process.js'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'

export const APP = 'web'

/** The app's manifests as a user writes them: a Deployment with a readiness probe and its Service. */
export function appManifests(options: { replicas?: number; image?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${APP}
spec:
  replicas: ${options.replicas ?? 2}
  progressDeadlineSeconds: 30
  selector:
    matchLabels:
      app: ${APP}
  template:
    metadata:
      labels:
        app: ${APP}
    spec:
      containers:
        - name: app
          image: ${options.image ?? 'registry.example/web:placeholder'}
          ports:
            - containerPort: 8080
          readinessProbe:
            httpGet:
              path: /health
              port: 8080
          # The pod serves a moment after it left the Service's endpoints (as on a real cluster,
          # where endpoint changes reach every node's proxy a little later).
          lifecycle:
            preStop:
              sleep:
                seconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: ${APP}
spec:
  selector:
    app: ${APP}
  ports:
    - name: http
      port: 80
      targetPort: 8080
`
}

/** A directory holding `files` (name → content): the `manifests` input. */
export function manifestDir(files: Record<string, string>): string {
  const dir = tempDir('k8s-manifests')
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}

/** The emulator's kubeconfig for the default namespace (its token is what must never be shown). */
export function kubeconfigOf(k8s: KubernetesEmulator, options?: { contexts?: string[] }): string {
  return k8s.kubeconfig({ namespace: 'default', ...options })
}

export interface RunOptions {
  strategy: 'blue-green' | 'canary' | 'rolling'
  version: string
  image: string
  manifests?: string[]
  deploy?: Partial<DeployInputs>
  kubernetes?: Partial<KubernetesDeployInputs>
}

/** The deploy inputs of one run against the emulator (the kubeconfig's token is a secret). */
export function inputsFor(k8s: KubernetesEmulator, options: RunOptions) {
  const deploy: DeployInputs = {
    ...testDeploySettings,
    healthTimeoutMs: 60_000,
    healthIntervalMs: 50,
    recordDeployment: false,
    strategy: options.strategy,
    version: options.version,
    environment: 'production',
    provider: 'script',
    targets: [],
    ...options.deploy
  } as DeployInputs
  const kubernetes: KubernetesDeployInputs = {
    kubeconfig: kubeconfigOf(k8s),
    manifests: options.manifests ?? [manifestDir({ 'app.yaml': appManifests() })],
    containers: ['app'],
    image: options.image,
    ...options.kubernetes
  }
  return { deploy, kubernetes }
}

export interface Run {
  config: DeployConfig
  outcome: DeployOutcome
  log: string[]
  redactor: Redactor
}

/** One deploy-strategy run of the kubernetes provider, as the stage runs it (no records). */
export async function deploy(k8s: KubernetesEmulator, options: RunOptions): Promise<Run> {
  const { deploy, kubernetes } = inputsFor(k8s, options)
  const redactor = new Redactor()
  const log: string[] = []
  const config = buildKubernetesDeployConfig(deploy, kubernetes, redactor, line => log.push(line))
  const outcome = await runDeploy(config, undefined, line => log.push(line))
  return { config, outcome, log, redactor }
}

/** Writes seen by the emulator (anything but GET/LIST/WATCH). */
export function writes(k8s: KubernetesEmulator): unknown[] {
  return k8s.requests.filter(r => !['GET', 'HEAD'].includes(r.method))
}

/** Everything a run shows the world: its log, outputs, summary and diagnostics. */
export function everythingShown(run: Run): string {
  const summary = new SummaryBuilder()
  renderSummary(summary, run.config, run.outcome)
  return [
    ...run.log,
    JSON.stringify(run.outcome.outputs),
    JSON.stringify(run.outcome.result),
    summary.toString()
  ].join('\n')
}

interface Obj {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  spec: {
    replicas?: number
    selector?: Record<string, string>
    template?: { spec: { containers: { image: string }[] } }
  }
}

export function deploymentOf(k8s: KubernetesEmulator, name: string): Obj | undefined {
  return k8s.get('Deployment', 'default', name) as Obj | undefined
}

export function serviceOf(k8s: KubernetesEmulator, name: string): Obj | undefined {
  return k8s.get('Service', 'default', name) as Obj | undefined
}
