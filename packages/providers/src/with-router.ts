import type { LiveState, Provider, Router, Weights } from './types.js'

/**
 * The same hosts and hooks, another router: e.g. the nginx or script provider's release
 * lifecycle with traffic moved by HAProxy's runtime API (no reload, no dropped connection).
 * Any object with `setWeights(weights)` fits; `name`/`dropsConnectionsOnChange` are for summaries.
 */
export function withRouter(
  provider: Provider,
  router: {
    setWeights(weights: Weights): Promise<void>
    /** The router's live weights (HaproxyRouter has it); they replace the provider's view of traffic. */
    weights?(): Promise<Weights>
    name?: string
    dropsConnectionsOnChange?: boolean
    /** A router that checks its servers itself (see Router.waitReady). */
    waitReady?: Router['waitReady']
  }
): Provider {
  const adapted: Router = {
    name: router.name ?? 'custom',
    dropsConnectionsOnChange: router.dropsConnectionsOnChange ?? false,
    setWeights: weights => router.setWeights(weights),
    ...(router.waitReady
      ? { waitReady: (target, deadline) => router.waitReady!(target, deadline) }
      : {})
  }
  return {
    name: provider.name,
    router: adapted,
    targets: provider.targets,
    check: () => provider.check(),
    async current() {
      const live = await provider.current()
      if (!router.weights) return live
      const weights = await router.weights()
      const merged: LiveState = {}
      for (const target of provider.targets) {
        const version = live[target.name]?.version
        const weight = weights[target.name]
        if (version !== undefined || weight !== undefined) merged[target.name] = { version, weight }
      }
      return merged
    },
    prepare: (target, context) => provider.prepare(target, context),
    health: (target, context) => provider.health(target, context),
    retire: (target, context) => provider.retire(target, context),
    close: () => provider.close()
  }
}
