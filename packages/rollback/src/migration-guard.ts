import { LocalHost, UserError, type Redactor } from '@slipway/kit'
import type { DeploymentRecord } from '@slipway/deployments'

/** A bad deployment's reverse migration, rehearsed when it was deployed, to run before traffic moves back. */
export interface DownMigration {
  deploymentId: number
  version: string
  command: string
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

/**
 * What the bad deployments' migrations ask of a rollback. A destructive migration (as its
 * rehearsal recorded it) cannot be rolled back by code alone — the old version would read
 * what was dropped — so the data must be restored or a rehearsed down-command run; otherwise
 * the rollback is refused before anything changes. With the data restored, the backup brings
 * the old schema back and no down-command runs. Newest deployment first.
 */
export function downMigrations(bad: DeploymentRecord[], restoringData: boolean): DownMigration[] {
  if (restoringData) return []
  const newestFirst = [...bad].sort((a, b) => b.id - a.id)
  const refused = newestFirst.filter(
    d =>
      d.payload.migration_destructive === true &&
      !(d.payload.down_command_rehearsed === true && text(d.payload.down_command))
  )
  if (refused.length > 0) {
    const which = refused
      .map(
        d =>
          `#${d.id} (${text(d.payload.version) ?? 'unknown version'}, diff ${text(d.payload.migration_diff_digest)?.slice(0, 19) ?? 'unrecorded'})`
      )
      .join(', ')
    throw new UserError(
      `a code-only rollback is refused: deployment ${which} ran a destructive migration, and the old version would read what it dropped or renamed`,
      'choose one: set restore-data: true (with backup-path and database-url) to restore the backup taken before that deploy, or deploy with a down-command that the rehearsal verified gives back the schema, then roll back'
    )
  }
  return newestFirst.flatMap(d => {
    const command = text(d.payload.down_command)
    return command && d.payload.down_command_rehearsed === true
      ? [{ deploymentId: d.id, version: text(d.payload.version) ?? '', command }]
      : []
  })
}

/**
 * Runs a recorded down-command on this runner, as the migrate-command ran: `bash -c`, the
 * job's own environment (where the production database URL is), our values only in SLIPWAY_*.
 */
export async function runDownMigration(
  down: DownMigration,
  what: { to: string; environment: string; timeoutMs: number; redactor?: Redactor }
): Promise<string> {
  const host = new LocalHost(what.redactor, { userHooks: true })
  const result = await host.exec(
    down.command,
    {
      SLIPWAY_VERSION: what.to,
      SLIPWAY_FROM_VERSION: down.version,
      SLIPWAY_ENVIRONMENT: what.environment,
      SLIPWAY_DEPLOYMENT_ID: String(down.deploymentId)
    },
    what.timeoutMs
  )
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')
  if (result.exitCode !== 0 || result.timedOut)
    throw new Error(
      `down-command of deployment #${down.deploymentId} ${result.timedOut ? `timed out after ${what.timeoutMs}ms` : `exited with code ${result.exitCode}`}${tail ? `: ${tail}` : ''}`
    )
  return tail
}
