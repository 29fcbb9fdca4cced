import { InputError } from '@slipway/kit'
import type { DeploymentRecord } from '@slipway/deployments'
import { backup, findBackup, restore, type SourceSpec, type Store } from '@slipway/backup'

/** Where the data lives and where its backups are: the backup action's source and store. */
export interface DataRestore {
  store: Store
  source: SourceSpec
  /** Backup group name (the backup action's `name`). */
  name?: string
  identities?: string[]
  /**
   * Who the fresh backup is encrypted to. Left out: the recipients of `identities`, so data
   * whose backups are encrypted is never written in clear by the rollback either.
   */
  recipients?: string[]
  timeoutMs?: number
  /** For the plan and summary, secrets removed (e.g. `sqlite app.db → dir /backups`). */
  describe: string
}

export interface RestoreOutcome {
  /** The backup taken just before the restore (the bad version's data, kept for forensics). */
  freshBackupId: string
  freshVerified: boolean
  restoredBackupId: string
  durationMs: number
}

/**
 * The backup to restore: the one recorded in the bad deployment's payload. Checked before
 * anything changes, so a rollback that cannot restore refuses instead of half-running.
 */
export async function checkRestorable(data: DataRestore, bad: DeploymentRecord): Promise<string> {
  const id = bad.payload.backup_id
  if (typeof id !== 'string' || id === '')
    throw new InputError(
      'restore-data',
      `a bad deployment whose payload records a backup (deployment #${bad.id} has no backup_id; deploy with backup-id)`,
      'true'
    )
  try {
    await findBackup(data.store, id, data.name)
  } catch {
    throw new InputError(
      'restore-data',
      `backup ${id} (recorded by deployment #${bad.id}) present in ${data.store.describe()}`,
      'true'
    )
  }
  return id
}

/**
 * Takes a fresh backup and verifies it (so the rollback can itself be undone), then restores
 * `backupId` over the live data. A fresh backup that fails verification stops the restore.
 */
export async function restoreData(
  data: DataRestore,
  backupId: string,
  log: (line: string) => void
): Promise<RestoreOutcome> {
  const started = Date.now()
  const common = { log, timeoutMs: data.timeoutMs, identities: data.identities }
  const fresh = await backup({
    ...common,
    source: data.source,
    store: data.store,
    name: data.name,
    recipients: data.recipients ?? (await recipientsOf(data.identities ?? [])),
    verify: true
  })
  if (!fresh.manifest) throw new Error('the fresh backup produced no manifest')
  if (!fresh.verify?.ok)
    throw new Error(
      `the fresh backup ${fresh.manifest.id} failed verification (${fresh.verify?.differences.join('; ') ?? 'not verified'}): nothing restored`
    )
  log(`Fresh backup ${fresh.manifest.id} verified; restoring ${backupId}`)
  await restore({
    ...common,
    store: data.store,
    id: backupId,
    name: data.name,
    target: { ...data.source, input: 'database-url' },
    clean: true
  })
  return {
    freshBackupId: fresh.manifest.id,
    freshVerified: true,
    restoredBackupId: backupId,
    durationMs: Date.now() - started
  }
}

/** The public key of each age identity: whoever can restore the backups can read the fresh one. */
async function recipientsOf(identities: string[]): Promise<string[]> {
  const recipients: string[] = []
  // age and its post-quantum crypto load only when a fresh backup is encrypted.
  const { identityToRecipient } = await import('age-encryption')
  for (const identity of identities) {
    try {
      recipients.push(await identityToRecipient(identity))
    } catch {
      // Never echo the identity: it is a secret key.
      throw new InputError('age-identity', 'an age identity (AGE-SECRET-KEY-1…)', '***')
    }
  }
  return recipients
}
