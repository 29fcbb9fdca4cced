import type { ProbeOutcome } from '@slipway/probes'

/** The parts of `docker inspect` the gate reads. */
export interface InspectedContainer {
  Name?: string
  RestartCount?: number
  State?: {
    Status?: string
    Restarting?: boolean
    ExitCode?: number
    Health?: { Status?: string }
  }
  Config?: { Labels?: Record<string, string> | null }
}

/**
 * What the containers of one project on one host say, before any HTTP probe:
 * - `fatal`: a service's container exited, died or restarts — waiting cannot help;
 * - `waiting`: a service has no container yet, one is still `created`, a healthcheck is `starting`,
 *   or a container runs another version;
 * - `unhealthy`: a healthcheck failed (the strategy keeps polling until its deadline);
 * - `ready`: every service runs the version and every healthcheck passed. `hasHealthcheck` tells
 *   whether any service had one (if none did, the caller probes the published port).
 */
export type ProjectVerdict =
  | { state: 'fatal' | 'waiting' | 'unhealthy'; message: string }
  | { state: 'ready'; message: string; hasHealthcheck: boolean }

export function judgeProject(
  services: string[],
  containers: InspectedContainer[],
  version: string
): ProjectVerdict {
  const byService = new Map<string, InspectedContainer[]>()
  for (const container of containers) {
    const service = container.Config?.Labels?.['com.docker.compose.service']
    if (!service) continue
    byService.set(service, [...(byService.get(service) ?? []), container])
  }
  const notes: string[] = []
  let waiting = false
  let unhealthy = false
  let hasHealthcheck = false
  for (const service of services) {
    const found = byService.get(service) ?? []
    if (found.length === 0) {
      waiting = true
      notes.push(`${service}: no container`)
      continue
    }
    for (const container of found) {
      const state = container.State ?? {}
      const status = state.Status ?? 'unknown'
      const running = status === 'running' && !state.Restarting
      if (state.Restarting || status === 'restarting' || (container.RestartCount ?? 0) > 0)
        return {
          state: 'fatal',
          message: `${service}: restarting (restart count ${container.RestartCount ?? 0}, last exit code ${state.ExitCode ?? '?'})`
        }
      if (status === 'exited' || status === 'dead')
        return {
          state: 'fatal',
          message: `${service}: ${status} with code ${state.ExitCode ?? '?'}`
        }
      const runs = container.Config?.Labels?.['slipway.version']
      if (runs !== version) {
        waiting = true
        notes.push(`${service}: runs ${runs ?? 'an unlabelled version'}, not ${version}`)
        continue
      }
      if (!running) {
        waiting = true
        notes.push(`${service}: ${status}`)
        continue
      }
      const health = state.Health?.Status
      if (health === undefined) {
        notes.push(`${service}: running`)
        continue
      }
      hasHealthcheck = true
      if (health === 'healthy') notes.push(`${service}: healthy`)
      else if (health === 'unhealthy') {
        unhealthy = true
        notes.push(`${service}: unhealthy`)
      } else {
        waiting = true
        notes.push(`${service}: health ${health}`)
      }
    }
  }
  const message = notes.join(', ')
  if (unhealthy) return { state: 'unhealthy', message }
  if (waiting) return { state: 'waiting', message }
  return { state: 'ready', message, hasHealthcheck }
}

/** The verdict as a health observation (the HTTP probe, when needed, is added by the caller). */
export function verdictOutcome(host: string, verdict: ProjectVerdict): ProbeOutcome {
  return {
    ok: verdict.state === 'ready',
    message: `compose on ${host}: ${verdict.message}`,
    ...(verdict.state === 'fatal' ? { fatal: true } : {})
  }
}
