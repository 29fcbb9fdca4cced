import type { Redactor } from '@slipway/kit'
import type { Connection } from '../kubeconfig.js'
import type { ClusterAccess } from '../options.js'

/** The Helm inputs as read (paths already resolved against the workspace). */
export interface HelmInputs {
  /** `helm-chart`: a chart directory (with Chart.yaml) or a packaged chart (`.tgz`). */
  chart: string
  /** `helm-release`; unset: the app's name. */
  release?: string
  /** `helm-values`: values files, applied in order (`-f`). */
  values: string[]
  /** `helm-image-key`: the values key of the image (default `image`). */
  imageKey?: string
  /** `helm-timeout`: how long `--wait` may take (default 5m). */
  timeout?: string
  /** `helm-test`: run the chart's tests (`helm test`) as part of the gate. */
  test: boolean
  /**
   * Not an input: the revision the version's Deployment record names (`helm_revision`), set by
   * a rollback. A return to the version rolls back to exactly it.
   */
  revision?: number
}

/** What Helm mode needs besides the Helm inputs, from the kubernetes inputs and the deploy. */
export interface HelmContext extends ClusterAccess {
  strategy: string
  environment: string
  /** The version this run deploys: a prepare of another version returns to its recorded revision. */
  version: string
  app?: string
  repository?: string
  image?: string
  dryRun: boolean
  /** The PATH helm is looked up on (the runner's). */
  path?: string
}

export interface HelmProviderOptions {
  release: string
  namespace: string
  context: string
  connection: Connection
  /** The `helm` binary, found on PATH at settings time. */
  helm: string
  /** The PATH the child gets (so the chart's plugins or post-renderers find nothing else). */
  path: string
  chart: string
  values: string[]
  imageKey: string
  image?: { repository: string; tag?: string; digest?: string; reference: string }
  timeoutSeconds: number
  test: boolean
  version: string
  /** The revision recorded for `version`: what a return to it rolls back to. */
  recordedRevision?: number
  dryRun: boolean
  redactor?: Redactor
  log?: (line: string) => void
}
