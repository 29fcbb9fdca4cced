import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { InputError, UserError, parseDuration, type Redactor } from '@slipway/kit'
import { yamlParse as parse } from '@slipway/kit'
import { parseImageReference } from '../../docker/image-reference.js'
import { openCluster } from '../kubeconfig.js'
import type { HelmContext, HelmInputs, HelmProviderOptions } from './options.js'
import { HelmProvider } from './provider.js'

/** Helm's own rule for release names (a DNS subdomain of at most 53 characters). */
const RELEASE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
/** A values path `--set-string` takes without escaping: dot-separated keys, no `,` `=` `[`. */
const VALUES_KEY = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/
const DEFAULT_TIMEOUT_S = 300

function isChart(path: string): boolean {
  if (!existsSync(path)) return false
  const stat = statSync(path)
  if (stat.isDirectory()) return existsSync(join(path, 'Chart.yaml'))
  return stat.isFile() && /\.(tgz|tar\.gz)$/.test(path)
}

/**
 * helm runs with a minimal environment of its own: an `exec` credential plugin (aws, gcloud,
 * kubelogin) would not find the job's cloud credentials there and fail half-way. Refused here,
 * before anything runs.
 */
function refuseCredentialPlugins(text: string, contextName: string): void {
  type Doc = {
    contexts?: { name?: string; context?: { user?: string } }[]
    users?: { name?: string; user?: Record<string, unknown> }[]
  }
  const doc = (parse(text) ?? {}) as Doc
  const userName = doc.contexts?.find(c => c.name === contextName)?.context?.user
  const user = doc.users?.find(u => u.name === userName)?.user ?? {}
  const plugin = user.exec ? 'exec' : user['auth-provider'] ? 'auth-provider' : undefined
  if (plugin)
    throw new InputError(
      'kubeconfig',
      'with helm-chart, a kubeconfig whose user has a token or a client certificate (helm runs without the job’s environment, so a credential plugin cannot reach the cloud credentials)',
      `context ${contextName}: user ${userName} uses ${plugin}`
    )
}

/** The `helm` on PATH, as an absolute path; a UserError saying how to get it otherwise. */
export function findHelm(path: string | undefined): string {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, 'helm')
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  throw new UserError(
    'helm-chart needs the helm program, and it is not on PATH',
    'GitHub-hosted runners have helm; on another runner add a setup step (azure/setup-helm) before this one'
  )
}

/**
 * Validates the Helm inputs and builds the provider, touching nothing: the chart, the values
 * files and the kubeconfig are read from disk, helm is found on PATH, and every refusal is an
 * InputError naming the input before any request reaches the cluster.
 */
export function buildHelmProvider(
  helm: HelmInputs,
  context: HelmContext,
  deps: { redactor?: Redactor; log?: (line: string) => void } = {}
): HelmProvider {
  if (context.strategy !== 'rolling')
    throw new InputError(
      'strategy',
      'rolling with helm-chart (the chart’s own objects roll out as they are written; blue-green and canary need Slipway’s slots, which a chart does not have)',
      context.strategy
    )
  if (!isChart(helm.chart))
    throw new InputError(
      'helm-chart',
      'the path of a chart directory (holding Chart.yaml) or of a packaged chart (.tgz)',
      existsSync(helm.chart) ? `${helm.chart} (not a chart)` : `${helm.chart} (no such file)`
    )
  for (const file of helm.values)
    if (!existsSync(file) || !statSync(file).isFile())
      throw new InputError('helm-values', 'values files (YAML) that exist, one per line', file)
  // An explicit release is taken as written; the app's or repository's name is lower-cased.
  const release =
    helm.release || (context.app || context.repository?.split('/').pop() || '').toLowerCase()
  if (!RELEASE.test(release) || release.length > 53)
    throw new InputError(
      helm.release ? 'helm-release' : 'app',
      'a Helm release name: lower-case letters, digits, - and ., at most 53 characters',
      release || undefined
    )
  const imageKey = helm.imageKey || 'image'
  if (!VALUES_KEY.test(imageKey))
    throw new InputError('helm-image-key', 'a values key such as image or app.image', imageKey)
  let image: HelmProviderOptions['image']
  if (context.image) {
    const ref = parseImageReference(context.image)
    if (!ref)
      throw new InputError(
        'image',
        'an image reference ([registry/]name[:tag][@sha256:…])',
        context.image
      )
    image = { repository: ref.name, tag: ref.tag, digest: ref.digest, reference: context.image }
  }
  const timeoutMs = helm.timeout ? parseDuration(helm.timeout) : DEFAULT_TIMEOUT_S * 1000
  if (timeoutMs === undefined || timeoutMs < 1000 || timeoutMs > 6 * 3_600_000)
    throw new InputError('helm-timeout', 'a duration from 1s to 6h, such as 5m', helm.timeout)
  const redactor = deps.redactor
  const { connection, namespace } = openCluster(context, redactor)
  refuseCredentialPlugins(connection.text, connection.context)
  const binary = findHelm(context.path)
  return new HelmProvider({
    release,
    namespace,
    context: connection.context,
    connection,
    helm: binary,
    path: context.path ?? '',
    chart: helm.chart,
    values: helm.values,
    imageKey,
    image,
    timeoutSeconds: Math.ceil(timeoutMs / 1000),
    test: helm.test,
    version: context.version,
    // A record's revision that is no revision number counts as none: the history is searched.
    recordedRevision:
      helm.revision !== undefined && Number.isSafeInteger(helm.revision) && helm.revision > 0
        ? helm.revision
        : undefined,
    dryRun: context.dryRun,
    redactor,
    log: deps.log
  })
}
