import type { HaproxyTrafficRouter } from '../haproxy.js'
import type { NginxRouter } from '../nginx.js'
import type { InnerRouter } from './fanout-router.js'

/** An HAProxy (runtime API, no reload) as one router of a FanoutRouter. */
export function haproxyInner(router: HaproxyTrafficRouter, label: string): InnerRouter {
  return {
    label: `haproxy on ${label}`,
    dropsConnectionsOnChange: false,
    setWeights: weights => router.setWeights(weights),
    weights: () => router.weights(),
    waitReady: (target, deadline) => router.waitReady(target, deadline),
    check: () => router.check(),
    // The transport is the host's own: the provider closes it.
    close: async () => undefined
  }
}

/** nginx (upstream include + reload) as one router of a FanoutRouter. */
export function nginxInner(router: NginxRouter, label: string): InnerRouter {
  return {
    label: `nginx on ${label}`,
    dropsConnectionsOnChange: true,
    setWeights: weights => router.setWeights(weights),
    weights: () => router.current()
  }
}
