import { InputError, urlCredentials, type Inputs } from '@slipway/kit'
import { checkUrlVariable, parseSource, type SourceSpec } from '@slipway/backup'

/** How the migration is rehearsed on a copy of production data before the deploy changes anything. */
export interface RehearsalSettings {
  /** A backup id or `latest`. */
  from: string
  /** The input that named it, for errors: `rehearse-from`, or `backup-id` (the run's backup). */
  fromInput: 'rehearse-from' | 'backup-id'
  /** The directory store the backup is in (`backup-path`). */
  storePath: string
  /** The production database: the scratch copy is made on its server. */
  database: SourceSpec
  identities: string[]
  /** `rehearsal-database-url-env`: a variable besides SLIPWAY_DATABASE_URL that gets the copy's URL. */
  urlVariable?: string
  allowDestructive: boolean
  downCommand?: string
  timeoutMs: number
}

/**
 * The rehearsal inputs: on when there is a `migrate-command` and a backup to rehearse on
 * (`rehearse-from`, or the run's `backup-id` with a `backup-path` to find it in). Changes nothing.
 */
export function parseRehearsalSettings(
  inputs: Inputs,
  migrateCommand: string | undefined,
  secrets: string[]
): RehearsalSettings | undefined {
  const rehearseFrom = inputs.string('rehearse-from')
  const downCommand = inputs.string('down-command')
  const urlVariable = inputs.string('rehearsal-database-url-env')
  const allowDestructive = inputs.bool('allow-destructive-migration')
  const timeoutMs = inputs.duration('rehearsal-timeout', { default: '30m', min: 1000 })
  const storePath = inputs.string('backup-path')
  const url = inputs.string('database-url')
  const engine = inputs.string('engine')
  const identity = inputs.string('age-identity')
  const backupId = inputs.string('backup-id')
  secrets.push(...urlCredentials(url ?? ''), ...(identity ? [identity] : []))
  checkUrlVariable(urlVariable)
  if (downCommand && !migrateCommand)
    throw new InputError(
      'down-command',
      'a down-command only together with the migrate-command it reverses',
      downCommand
    )
  if (rehearseFrom && !migrateCommand)
    throw new InputError(
      'rehearse-from',
      'rehearse-from only together with a migrate-command to rehearse',
      rehearseFrom
    )
  const from = rehearseFrom ?? (storePath ? backupId : undefined)
  if (!migrateCommand || !from) return undefined
  if (!storePath)
    throw new InputError(
      'backup-path',
      `the directory of the backup store that holds ${from} (rehearse-from needs it)`,
      undefined
    )
  if (!url)
    throw new InputError(
      'database-url',
      'the production database URL (postgres://…, mysql://…, mariadb://…, or a SQLite path): the scratch copy is made on its server',
      undefined
    )
  const database: SourceSpec = { url, engine, input: 'database-url' }
  // Only a syntax check: the rehearsal connects, this does not.
  if (engine || /^[a-z]+:\/\//i.test(url)) parseSource(database)
  const identities = (identity ?? '')
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line.startsWith('AGE-SECRET-KEY-'))
  if (identity && identities.length === 0)
    throw new InputError('age-identity', 'an age identity (AGE-SECRET-KEY-1…)', '***')
  return {
    from,
    fromInput: rehearseFrom ? 'rehearse-from' : 'backup-id',
    storePath,
    database,
    identities,
    urlVariable,
    allowDestructive,
    downCommand,
    timeoutMs
  }
}
