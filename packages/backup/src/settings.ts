import type { FindOptions } from '@actions/artifact'
import { InputError, urlCredentials, type Inputs, type RunnerEnv } from '@slipway/kit'
import type { SourceSpec } from './source.js'
import { COMPRESSIONS, type CompressionChoice } from './types.js'

export const BACKUP_OPERATIONS = ['backup', 'restore', 'verify', 'list', 'prune'] as const
export type BackupOperation = (typeof BACKUP_OPERATIONS)[number]

/** Where backups are kept: a directory, or this (or another) workflow run's artifacts. */
export type StoreSettings =
  | { kind: 'dir'; path: string }
  | {
      kind: 'artifact'
      retentionDays?: number
      /** Another workflow run's artifacts, read with a token. */
      findBy?: NonNullable<FindOptions['findBy']>
      allowUnencrypted: boolean
    }

/**
 * The backup action's settings. Only the inputs of the chosen operation are read, as before:
 * a prune does not fail on a bad `database-url` it never uses.
 */
export interface BackupSettings {
  operation: BackupOperation
  compression: CompressionChoice
  /** Deadline for each external program. */
  timeoutMs: number
  dryRun: boolean
  /** age identities (`AGE-SECRET-KEY-1…`), for encrypted backups. */
  identities: string[]
  store: StoreSettings
  name?: string
  /** backup, restore, verify: the database or files. */
  source?: SourceSpec
  /** restore: where to restore (the source itself unless `target` is set). */
  target?: SourceSpec
  /** backup: age recipients; empty means no encryption. */
  recipients: string[]
  /** backup: restore into a scratch target afterwards and compare. */
  verify: boolean
  /** restore, verify: a backup id or `latest`. */
  backupId: string
  /** restore: replace existing data. */
  clean: boolean
  /** prune */
  keepLast?: number
  maxAgeMs?: number
  /** Tokens, identities and database passwords: masked before anything runs. */
  readonly secrets: string[]
}

/** Reads and validates the backup inputs; changes nothing. */
export function parseBackupSettings(inputs: Inputs, runnerEnv: RunnerEnv): BackupSettings {
  const secrets: Array<string | undefined> = []
  const operation = inputs.enumOf('operation', BACKUP_OPERATIONS, { default: 'backup' })
  const compression = inputs.enumOf('compression', COMPRESSIONS, { default: 'auto' })
  const timeoutMs = inputs.duration('timeout', { default: '1h', min: 1000 })
  const dryRun = inputs.bool('dry-run')
  const identities = readIdentities(inputs, secrets)
  const store = readStore(inputs, runnerEnv, secrets)
  const name = inputs.string('name')
  const settings: BackupSettings = {
    operation,
    compression,
    timeoutMs,
    dryRun,
    identities,
    store,
    name,
    recipients: [],
    verify: false,
    backupId: 'latest',
    clean: false,
    secrets: []
  }
  if (operation === 'backup' || operation === 'restore' || operation === 'verify')
    settings.source = readSource(inputs, runnerEnv, secrets)
  if (operation === 'backup') {
    settings.recipients = inputs.list('encrypt-recipients')
    settings.verify = inputs.bool('verify')
  } else if (operation === 'restore') {
    settings.target = readTarget(inputs, settings.source!, secrets)
    settings.backupId = inputs.string('backup-id', { default: 'latest' })
    settings.clean = inputs.bool('clean')
  } else if (operation === 'verify') {
    settings.backupId = inputs.string('backup-id', { default: 'latest' })
  } else if (operation === 'prune') {
    settings.keepLast = inputs.int('keep-last', { min: 1 })
    settings.maxAgeMs = inputs.duration('max-age')
  }
  return { ...settings, secrets: [...new Set(secrets.filter((s): s is string => !!s))] }
}

function readStore(
  inputs: Inputs,
  runnerEnv: RunnerEnv,
  secrets: Array<string | undefined>
): StoreSettings {
  const kind = inputs.enumOf('store', ['dir', 'artifact'] as const, { default: 'dir' })
  if (kind === 'dir') {
    const path = inputs.string('path')
    if (!path) throw new InputError('path', 'the directory of the dir store', undefined)
    return { kind, path }
  }
  const runId = inputs.int('artifact-run-id', { min: 1 })
  const token = inputs.string('github-token')
  secrets.push(token)
  const retentionDays = inputs.int('retention-days', { min: 1, max: 400 })
  let findBy: NonNullable<FindOptions['findBy']> | undefined
  if (runId !== undefined) {
    if (!token)
      throw new InputError(
        'github-token',
        'a token with actions: read, to read another run’s artifacts',
        undefined
      )
    const [owner, repo] = (runnerEnv.repository ?? '').split('/')
    findBy = { token, workflowRunId: runId, repositoryOwner: owner, repositoryName: repo }
  }
  const allowUnencrypted = inputs.bool('allow-unencrypted-artifact')
  return { kind, retentionDays, findBy, allowUnencrypted }
}

/** The source database or files; every password it contains is a secret. */
function readSource(
  inputs: Inputs,
  runnerEnv: RunnerEnv,
  secrets: Array<string | undefined>
): SourceSpec {
  const url = inputs.string('database-url')
  secrets.push(...urlCredentials(url ?? ''))
  // The client programs read these passwords from the environment they inherit.
  for (const variable of ['PGPASSWORD', 'MYSQL_PWD', 'MYSQL_PASSWORD'])
    secrets.push(process.env[variable])
  return {
    engine: inputs.string('engine'),
    url,
    paths: inputs.list('paths'),
    exclude: inputs.list('exclude'),
    baseDir: inputs.string('base-dir') ?? runnerEnv.workspace
  }
}

function readTarget(
  inputs: Inputs,
  source: SourceSpec,
  secrets: Array<string | undefined>
): SourceSpec {
  const target = inputs.string('target')
  secrets.push(...urlCredentials(target ?? ''))
  if (!target) return { ...source, input: source.url ? 'database-url' : 'target' }
  return { engine: source.engine, url: target, input: 'target' }
}

function readIdentities(inputs: Inputs, secrets: Array<string | undefined>): string[] {
  const identity = inputs.string('age-identity')
  secrets.push(identity)
  if (!identity) return []
  // An identity file may hold comments and several keys; only the keys are used.
  const keys = identity
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line.startsWith('AGE-SECRET-KEY-'))
  if (keys.length === 0)
    throw new InputError('age-identity', 'an age identity (AGE-SECRET-KEY-1…)', '***')
  return keys
}
