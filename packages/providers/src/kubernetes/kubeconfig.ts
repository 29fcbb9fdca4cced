import { existsSync, readFileSync } from 'node:fs'
import type { KubeConfig } from '@kubernetes/client-node'
import { InputError, ParserNotLoadedError, type Redactor } from '@slipway/kit'
import { yamlParse as parse } from '@slipway/kit'
import { checkDnsLabel } from './names.js'
import type { ClusterAccess } from './options.js'

/**
 * The kubeconfig as read and checked, without the client library: building the provider (at
 * settings time, in every bundle that includes it) must not load @kubernetes/client-node, whose
 * start-up cost and Node deprecation warnings belong to runs that talk to a cluster.
 */
export interface Connection {
  /** The kubeconfig's text, handed to the client library on the first request. */
  text: string
  /** Where it came from, for error messages: `the kubeconfig input` or the file. */
  source: string
  context: string
  /** The context's namespace, when it names one. */
  namespace?: string
}

type Entry = Record<string, unknown> & { name?: unknown }

function entries(doc: Record<string, unknown>, key: string): Entry[] {
  const list = doc[key]
  if (list === undefined || list === null) return []
  if (!Array.isArray(list)) throw new Error(`${key} is not a list`)
  return list.map(item => (item && typeof item === 'object' ? (item as Entry) : {}))
}

function section(entry: Entry, key: string): Record<string, unknown> | undefined {
  const value = entry[key]
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
}

/**
 * The entries the client library refuses when it loads the file (a cluster without a server, a
 * context without a cluster, an entry without a name), found here so the refusal is an
 * InputError at settings time rather than on the first request.
 */
function checkEntries(clusters: Entry[], contexts: Entry[], users: Entry[]): void {
  for (const [key, list, inner, field] of [
    ['clusters', clusters, 'cluster', 'server'],
    ['contexts', contexts, 'context', 'cluster'],
    ['users', users, undefined, undefined]
  ] as const)
    list.forEach((entry, i) => {
      if (!entry.name) throw new Error(`${key}[${i}].name is missing`)
      if (!inner) return
      const body = section(entry, inner)
      if (!body) throw new Error(`${key}[${i}].${inner} is missing`)
      if (!body[field]) throw new Error(`${key}[${i}].${inner}.${field} is missing`)
    })
}

/** Every credential a user entry carries, a token file's content included (the client reads it too). */
function credentials(users: Entry[]): string[] {
  return users.flatMap(entry => {
    const user = section(entry, 'user') ?? {}
    const found = ['token', 'password', 'client-key-data', 'client-certificate-data'].map(
      key => user[key]
    )
    if (!user.token && typeof user['token-file'] === 'string')
      found.push(readFileSync(user['token-file'], 'utf8'))
    return found.filter((v): v is string => typeof v === 'string' && v !== '')
  })
}

/**
 * Loads the kubeconfig from the `kubeconfig` input (its content) or the file KUBECONFIG names,
 * selects `kube-context` (default: the current context) and masks every credential in it.
 * Reads no cluster: a kubeconfig without the context is an InputError before any request.
 */
export function loadConnection(
  content: string | undefined,
  path: string | undefined,
  contextName: string | undefined,
  redactor?: Redactor
): Connection {
  const source = content ? 'the kubeconfig input' : path?.split(':')[0]
  let text: string
  let contexts: Entry[]
  let clusters: Entry[]
  let current: unknown
  try {
    if (content) text = content
    else if (source && existsSync(source)) text = readFileSync(source, 'utf8')
    else
      throw new InputError(
        'kubeconfig',
        'a kubeconfig (its content, from a secret), or KUBECONFIG (else ~/.kube/config) naming its file',
        source ? `no file at ${source}` : undefined
      )
    const parsed: unknown = parse(text)
    const doc =
      parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {}
    clusters = entries(doc, 'clusters')
    contexts = entries(doc, 'contexts')
    const users = entries(doc, 'users')
    for (const secret of credentials(users)) redactor?.add(secret)
    checkEntries(clusters, contexts, users)
    current = doc['current-context']
  } catch (error) {
    if (error instanceof InputError || error instanceof ParserNotLoadedError) throw error
    throw new InputError(
      'kubeconfig',
      'a kubeconfig in YAML',
      `${source}: ${(error as Error).message}`
    )
  }
  const names = contexts.map(c => String(c.name))
  const context = contextName || (typeof current === 'string' ? current : '')
  if (!context || !names.includes(context))
    throw new InputError(
      'kube-context',
      `a context of the kubeconfig (${names.join(', ') || 'it has none'})`,
      context || undefined
    )
  const object = section(
    contexts.find(c => c.name === context)!,
    'context'
  )!
  if (!clusters.some(c => c.name === object.cluster))
    throw new InputError('kube-context', `a context whose cluster is in the kubeconfig`, context)
  const namespace =
    typeof object.namespace === 'string' && object.namespace ? object.namespace : undefined
  return { text, source: source!, context, namespace }
}

/**
 * The client library's KubeConfig for the connection, loaded on first use (a dynamic import,
 * so the bundles carry it as a chunk that only a run reaching the cluster evaluates).
 */
export async function kubeConfigOf(connection: Connection): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node')
  const kubeConfig = new KubeConfig()
  try {
    kubeConfig.loadFromString(connection.text)
  } catch (error) {
    // loadConnection checked what the library checks; this is the library disagreeing on YAML.
    throw new InputError(
      'kubeconfig',
      'a kubeconfig in YAML',
      `${connection.source}: ${(error as Error).message}`
    )
  }
  kubeConfig.setCurrentContext(connection.context)
  return kubeConfig
}

/**
 * The connection (`loadConnection`, the kubeconfig masked) and the namespace a run works in:
 * the `namespace` input, else the context's, else `default`.
 */
export function openCluster(
  access: ClusterAccess,
  redactor?: Redactor
): { connection: Connection; namespace: string } {
  redactor?.add(access.kubeconfig)
  const connection = loadConnection(
    access.kubeconfig,
    access.kubeconfigPath,
    access.context,
    redactor
  )
  const namespace = checkDnsLabel(
    'namespace',
    access.namespace || connection.namespace || 'default',
    'the namespace'
  )
  return { connection, namespace }
}
