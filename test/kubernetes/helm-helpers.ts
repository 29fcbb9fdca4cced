// Helm mode against the emulator (HTTPS: helm sends its token only over TLS) with the real helm
// binary (helm-binary.ts). What a release holds is read back from the Secrets helm keeps it in.
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redactor } from '@slipway/kit'
import { runDeploy } from '@slipway/strategies'
import { buildKubernetesDeployConfig } from '../../packages/strategies/src/kubernetes-config.js'
import type { KubernetesEmulator } from '../kubernetes-emulator/index.js'
import { helmBinary, pathWithHelm } from './helm-binary.js'
import { inputsFor, kubeconfigOf, type Run, type RunOptions } from './helpers.js'

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
export const CHART = join(FIXTURES, 'helm-chart')
export const FAILING_TEST_VALUES = join(FIXTURES, 'helm-values-failing-test.yaml')
export const REPLICAS_VALUES = join(FIXTURES, 'helm-values-replicas.yaml')

/** Test-hook images: how their pods end in the emulator. */
export function helmPodBehaviours(k8s: KubernetesEmulator): void {
  k8s.setPodBehaviour(/web-test:pass$/, 'succeed')
  k8s.setPodBehaviour(/web-test:fail$/, 'fail')
  k8s.setPodBehaviour(/:stuck$/, 'never-ready')
}

export interface HelmRunOptions extends Omit<RunOptions, 'strategy'> {
  strategy?: RunOptions['strategy']
  helm?: Partial<{
    chart: string
    release: string
    values: string[]
    imageKey: string
    timeout: string
    test: boolean
  }>
}

/** The deploy inputs of a Helm-mode run: the chart fixture, helm on PATH, no manifests. */
export function helmInputs(k8s: KubernetesEmulator, options: HelmRunOptions) {
  const { deploy, kubernetes } = inputsFor(k8s, {
    ...options,
    strategy: options.strategy ?? 'rolling'
  })
  return {
    deploy,
    kubernetes: {
      ...kubernetes,
      app: 'web',
      manifests: [],
      containers: [],
      helm: { chart: CHART, values: [], test: false, timeout: '2m', ...options.helm },
      path: pathWithHelm(),
      ...options.kubernetes
    }
  }
}

/** One deploy-strategy run in Helm mode, as the stage runs it (no records). */
export async function helmDeploy(k8s: KubernetesEmulator, options: HelmRunOptions): Promise<Run> {
  const { deploy, kubernetes } = helmInputs(k8s, options)
  const redactor = new Redactor()
  const log: string[] = []
  const config = buildKubernetesDeployConfig(deploy, kubernetes, redactor, line => log.push(line))
  try {
    const outcome = await runDeploy(config, undefined, line => log.push(line))
    return { config, outcome, log, redactor }
  } finally {
    await config.provider.close()
  }
}

export interface StoredRelease {
  revision: number
  status: string
  description: string
  config: Record<string, unknown>
}

/** The release's revisions as helm stored them (Secret data: base64 of gzipped JSON), oldest first. */
export function storedReleases(k8s: KubernetesEmulator, name = 'web'): StoredRelease[] {
  return (
    k8s.list('Secret', 'default', `owner=helm,name=${name}`) as {
      data: { release: string }
    }[]
  )
    .map(secret => {
      const encoded = Buffer.from(secret.data.release, 'base64').toString('utf8')
      const release = JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')) as {
        version: number
        info: { status: string; description: string }
        config?: Record<string, unknown>
      }
      return {
        revision: release.version,
        status: release.info.status,
        description: release.info.description,
        config: release.config ?? {}
      }
    })
    .sort((a, b) => a.revision - b.revision)
}

/** The image the emulator's Deployment of the release runs. */
export function deployedImage(k8s: KubernetesEmulator, name = 'web'): string | undefined {
  return (
    k8s.get('Deployment', 'default', name) as
      { spec: { template: { spec: { containers: { image: string }[] } } } } | undefined
  )?.spec.template.spec.containers[0].image
}

/**
 * An upgrade made by hand, outside Slipway, whose description claims a version: the history
 * search takes it for that version's newest revision, though it runs another image. `dir`
 * holds its kubeconfig and is helm's HOME.
 */
// Asynchronous: the emulator answers helm from this very process.
export async function handMadeUpgrade(
  k8s: KubernetesEmulator,
  dir: string,
  tag: string,
  description: string
): Promise<void> {
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(kubeconfig, kubeconfigOf(k8s), { mode: 0o600 })
  await promisify(execFile)(
    helmBinary(),
    [
      'upgrade',
      'web',
      CHART,
      '--set-string',
      'image.repository=registry.example/web',
      '--set-string',
      `image.tag=${tag}`,
      '--description',
      description,
      '--wait',
      '--timeout',
      '60s',
      '--namespace',
      'default',
      '--kube-context',
      'emulator',
      '--kubeconfig',
      kubeconfig
    ],
    { env: { PATH: process.env.PATH, HOME: dir } }
  )
}
