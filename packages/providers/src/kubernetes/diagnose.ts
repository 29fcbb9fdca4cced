import type { V1Pod } from '@kubernetes/client-node'
import type { KubeClient } from './client.js'

const LOG_LINES = 20
const EVENTS = 10
const PODS = 3

/** Pods that are not ready, crash-looping first. */
function unhealthy(pods: V1Pod[]): V1Pod[] {
  const notReady = pods.filter(
    p => !p.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True')
  )
  const score = (p: V1Pod) =>
    p.status?.containerStatuses?.some(s => s.state?.waiting?.reason === 'CrashLoopBackOff') ? 0 : 1
  return notReady.sort((a, b) => score(a) - score(b))
}

/**
 * What explains a failed rollout: the Deployment's events, then for the first failing pods their
 * container states, their events and their last log lines (the previous container's when it
 * restarted). Each read that fails is said, never thrown: a diagnosis never hides the failure.
 */
export async function explainFailure(
  client: KubeClient,
  deployment: string,
  podSelector: string
): Promise<string | undefined> {
  const parts: string[] = []
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work()
    } catch (error) {
      parts.push(`${what}: unavailable (${(error as Error).message})`)
    }
  }
  let pods: V1Pod[] = []
  await attempt(`pods of ${deployment}`, async () => {
    pods = unhealthy(await client.pods(podSelector)).slice(0, PODS)
  })
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '?'
    const states = (pod.status?.containerStatuses ?? [])
      .map(s => {
        const state = s.state?.waiting
          ? `waiting: ${s.state.waiting.reason ?? ''}`
          : s.state?.terminated
            ? `terminated: ${s.state.terminated.reason ?? ''} exit ${s.state.terminated.exitCode}`
            : s.state?.running
              ? 'running, not ready'
              : 'unknown'
        return `${s.name} ${state}, ${s.restartCount} restarts`
      })
      .join('; ')
    parts.push(`pod ${name} (${pod.status?.phase ?? '?'}): ${states || 'no container started'}`)
    await attempt(`events of ${name}`, async () => {
      const events = (await client.events('Pod', name)).slice(-EVENTS)
      for (const e of events)
        parts.push(`  event ${e.type ?? ''} ${e.reason ?? ''}: ${e.message ?? ''}`.trimEnd())
    })
    const status = pod.status?.containerStatuses?.[0]
    await attempt(`log of ${name}`, async () => {
      const restarted = (status?.restartCount ?? 0) > 0
      const log = await client.podLog(name, status?.name, LOG_LINES, restarted)
      const lines = log.trimEnd().split('\n').slice(-LOG_LINES)
      parts.push(
        `  last log lines${restarted ? ' (previous container)' : ''}:`,
        ...lines.map(l => `    ${l}`)
      )
    })
  }
  if (parts.length === 0) return undefined
  return parts.join('\n')
}
