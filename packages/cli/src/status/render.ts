import type { DeploymentLine, EnvironmentStatus } from './view.js'

const STATE_MARK: Record<string, string> = {
  success: '✓',
  failure: '✗',
  error: '✗',
  inactive: '·',
  in_progress: '…',
  queued: '⏸',
  pending: '…'
}

function run(line: DeploymentLine): string {
  if (line.logUrl) return line.logUrl
  return line.runId ? `run ${line.runId}` : 'no run recorded'
}

function deploymentRow(line: DeploymentLine): string {
  const what = line.rollbackOf ? `rollback of #${line.rollbackOf}` : (line.strategy ?? '—')
  const said = line.description ? `  ${line.description}` : ''
  return `    ${STATE_MARK[line.state] ?? '?'} #${line.id}  ${line.version}  ${line.state}  ${what}  ${line.updatedAt}${said}`
}

/**
 * The terminal view: per environment, what is live (version, since when, by which run, the
 * slot and its weights, the hosts), the deploys under way, then the newest deployments.
 */
export function renderStatus(statuses: EnvironmentStatus[], source: string): string {
  if (statuses.length === 0) return `No deployments recorded in ${source}.\n`
  const header = `Deployments in ${source}\n\n`
  const blocks = statuses.map(env => {
    const lines = [`${env.environment}`]
    const live = env.live
    if (!live) lines.push('  live:      nothing (no deployment of it succeeded)')
    else {
      lines.push(
        `  live:      ${live.version} (deployment #${live.id}, ${live.strategy ?? 'unknown strategy'}) since ${live.liveSince}`,
        `  by:        ${run(live)}`,
        `  status:    ${live.state}${live.description ? ` — ${live.description}` : ''}`
      )
      // A canary under way has moved traffic since: its own weights are under `rollout:`.
      const canaryRunning = env.unfinished.some(line => line.canary)
      if (live.weights)
        lines.push(
          `  traffic:   ${Object.entries(live.weights)
            .map(([slot, weight]) => `${slot} ${weight}%`)
            .join(', ')}${
            canaryRunning
              ? ' when it went live (the canary below has moved traffic since)'
              : live.previousWarmUntil
                ? ` (${live.previousSlot} warm until ${live.previousWarmUntil})`
                : ''
          }`
        )
      if (live.hosts?.length) lines.push(`  hosts:     ${live.hosts.join(', ')}`)
      if (live.previousVersion) lines.push(`  previous:  ${live.previousVersion}`)
      if (live.environmentUrl) lines.push(`  url:       ${live.environmentUrl}`)
    }
    for (const line of env.unfinished) {
      const { canary } = line
      if (!canary) {
        lines.push(
          `  rollout:   #${line.id} ${line.version} ${line.state} since ${line.updatedAt} (${run(line)})${line.description ? ` — ${line.description}` : ''}`
        )
        continue
      }
      lines.push(
        `  rollout:   #${line.id} ${line.version} canary, step ${canary.step} of ${canary.steps} since ${line.updatedAt} (${run(line)})`,
        `  weights:   ${Object.entries(canary.weights)
          .map(([target, weight]) => `${target} ${weight}%`)
          .join(', ')}`,
        `  analysis:  ${
          canary.analysis
            ? `at ${canary.analysis.weight}% ${canary.analysis.ok ? 'passed' : 'failed'}${canary.analysis.reason ? ` — ${canary.analysis.reason}` : ''}`
            : 'none finished yet'
        }`
      )
    }
    lines.push(`  last ${env.recent.length} deployment${env.recent.length === 1 ? '' : 's'}:`)
    lines.push(...env.recent.map(deploymentRow))
    return lines.join('\n')
  })
  return `${header}${blocks.join('\n\n')}\n`
}
