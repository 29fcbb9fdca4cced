import type { DeploymentRecords } from '@slipway/deployments'
import type { DeploymentActivity } from '@slipway/preflight'

const UNFINISHED = new Set(['in_progress', 'queued', 'pending'])

/**
 * The deployment lock over the ledger file. Local runs have no workflow run to ask about, so an
 * unfinished deployment holds the lock while its latest status is younger than `staleAfterMs`
 * (an hour by default), as a GitHub deployment without a recorded run does.
 */
export function recordsDeploymentActivity(records: DeploymentRecords): DeploymentActivity {
  return {
    async lock(query) {
      const now = (query.now ?? Date.now)()
      const staleAfterMs = query.staleAfterMs ?? 3_600_000
      const deployments = await records.history(query.environment)
      const holders: string[] = []
      const stale: string[] = []
      for (const deployment of deployments) {
        const latest = deployment.statuses.at(-1)
        const state = latest?.state ?? 'pending'
        if (!UNFINISHED.has(state)) continue
        const updated = Date.parse(latest?.createdAt ?? deployment.createdAt)
        const ageMinutes = Math.round((now - updated) / 60_000)
        const line = `deployment ${deployment.id} of ${deployment.ref} is ${state}`
        if (now - updated < staleAfterMs)
          holders.push(`${line} (no workflow run recorded, updated ${ageMinutes} min ago)`)
        else stale.push(`${line} (no workflow run recorded, untouched for ${ageMinutes} min)`)
      }
      const details = {
        environment: query.environment,
        checked: deployments.length,
        holders,
        stale
      }
      if (holders.length > 0)
        return {
          ok: false,
          message: `${query.environment} is locked: ${holders.join('; ')}`,
          details
        }
      const leftovers =
        stale.length > 0 ? `; ignored ${stale.length} stale: ${stale.join('; ')}` : ''
      return {
        ok: true,
        message: `no deployment of ${query.environment} in progress (${deployments.length} checked)${leftovers}`,
        details
      }
    }
  }
}
