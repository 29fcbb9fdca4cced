import { existsSync, readFileSync } from 'node:fs'
import { KubeConfig } from '@kubernetes/client-node'
import { InputError, type Redactor } from '@slipway/kit'

export interface Connection {
  kubeConfig: KubeConfig
  context: string
  /** The context's namespace, when it names one. */
  namespace?: string
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
  const kubeConfig = new KubeConfig()
  const source = content ? 'the kubeconfig input' : path?.split(':')[0]
  try {
    if (content) kubeConfig.loadFromString(content)
    else if (source && existsSync(source)) kubeConfig.loadFromString(readFileSync(source, 'utf8'))
    else
      throw new InputError(
        'kubeconfig',
        'a kubeconfig (its content, from a secret), or KUBECONFIG (else ~/.kube/config) naming its file',
        source ? `no file at ${source}` : undefined
      )
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(
      'kubeconfig',
      'a kubeconfig in YAML',
      `${source}: ${(error as Error).message}`
    )
  }
  for (const user of kubeConfig.getUsers())
    for (const secret of [user.token, user.password, user.keyData, user.certData])
      if (secret) redactor?.add(secret)
  const contexts = kubeConfig.getContexts().map(c => c.name)
  const context = contextName || kubeConfig.getCurrentContext()
  if (!context || !contexts.includes(context))
    throw new InputError(
      'kube-context',
      `a context of the kubeconfig (${contexts.join(', ') || 'it has none'})`,
      context || undefined
    )
  kubeConfig.setCurrentContext(context)
  const object = kubeConfig.getContextObject(context)
  if (!object?.cluster || !kubeConfig.getCluster(object.cluster))
    throw new InputError('kube-context', `a context whose cluster is in the kubeconfig`, context)
  return { kubeConfig, context, namespace: object.namespace }
}
