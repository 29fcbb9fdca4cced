// What the docker provider tests that build providers directly (not through a bundle) share: the
// provider inputs every one of them starts from, a plan run the way the action runs it, a health
// gate polled the way the strategies poll it, an HAProxy with the router the provider is given,
// and who answers through a router.
import type { ProbeOutcome } from '@slipway/probes'
import { LocalTransport, type DockerInputs, type Provider } from '@slipway/providers'
import { executePlan, makePlan, type DeployRequest } from '@slipway/strategies'
import { HaproxyTrafficRouter } from '../../packages/providers/src/haproxy.js'
import { startHaproxy, type HaproxyInstance } from '../services/haproxy.js'

/**
 * The action's defaults for a docker provider, as parsed inputs: one local host, blue-green, the
 * test app's port, an HTTP gate on /health, HAProxy with fleet scope. `hostPort` has no default:
 * tests that run side by side must not share one.
 */
export function dockerInputs(
  overrides: Partial<DockerInputs> & Pick<DockerInputs, 'hostPort'>
): DockerInputs {
  return {
    provider: 'docker',
    strategy: 'blue-green',
    environment: 'staging',
    app: 'shop',
    hosts: [],
    port: 8080,
    publishAddress: '127.0.0.1',
    volumes: [],
    labels: [],
    restart: 'unless-stopped',
    keepVersions: 3,
    parallel: 0,
    healthPath: '/health',
    healthCheck: 'auto',
    healthTimeoutMs: 30_000,
    hookTimeoutMs: 60_000,
    router: 'haproxy',
    routerScope: 'fleet',
    haproxy: {},
    ...overrides
  }
}

/** Plans and runs one deploy of `request` against what the provider reads as live. */
export async function deployPlan(provider: Provider, request: DeployRequest) {
  const live = await provider.current()
  const plan = makePlan(provider.targets, live, request)
  return executePlan({ provider, plan, request, live })
}

/**
 * Polls a target's health like the strategies' gate: until ok or fatal, at most `polls` times,
 * 500 ms apart. Resolves with every outcome (the last one decides).
 */
export async function pollHealth(
  provider: Provider,
  target: string,
  version: string,
  polls = 60
): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = []
  for (let i = 0; i < polls; i++) {
    const outcome = await provider.health({ name: target }, { version })
    outcomes.push(outcome)
    if (outcome.ok || outcome.fatal) break
    await new Promise(resolve => setTimeout(resolve, 500))
  }
  return outcomes
}

/** The version that answers one GET through a router: its `x-version` header. */
export async function versionHeader(url: string): Promise<string | null> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  await response.text()
  return response.headers.get('x-version')
}

/** The version that answers one GET through a router: the first line of its body. */
export async function versionBody(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  return (await response.text()).split('\n')[0]!
}

/**
 * An HAProxy (backend `app`) with a server per target at `weight`, and the router a provider is
 * given for it: the admin socket on this machine.
 */
export async function startAppHaproxy(
  targets: { name: string; address: string }[],
  weight: number
): Promise<{ haproxy: HaproxyInstance; router: HaproxyTrafficRouter }> {
  const haproxy = await startHaproxy({
    name: 'app',
    servers: targets.map(t => ({ name: t.name, address: t.address, weight }))
  })
  const router = new HaproxyTrafficRouter({
    targets,
    backend: 'app',
    socket: haproxy.socket,
    transport: new LocalTransport(),
    local: true,
    drainTimeoutMs: 5000
  })
  return { haproxy, router }
}
