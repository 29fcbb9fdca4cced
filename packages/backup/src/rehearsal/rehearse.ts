import { childEnvironment, InputError, run, scriptArgs } from '@slipway/kit'
import { driverContext, toConnection } from '../context.js'
import type { DriverContext } from '../engines/index.js'
import { findBackup } from '../find.js'
import { restore } from '../restore.js'
import { engineFromUrl, type SourceSpec } from '../source.js'
import type { Store } from '../stores/store.js'
import type { Common, Connection, Engine, Manifest } from '../types.js'
import { compatible } from '../verify.js'
import { catalogClient } from './client.js'
import { diffSnapshots, structuralDifferences, type SchemaDiff } from './diff.js'
import { createScratch, type ScratchDatabase } from './scratch.js'
import { readSnapshot, type SchemaSnapshot } from './snapshot.js'
import { checkUrlVariable } from './url-variable.js'

export interface RehearsalOptions extends Common {
  store: Store
  /** A backup id or `latest` (the newest backup of `database`). */
  backupId: string
  /** The input that named the backup, for errors (`rehearse-from` or `backup-id`). */
  backupInput?: string
  /** The production database: the scratch copy is made on its server, and its engine must be the backup's. */
  database: SourceSpec | Connection
  identities?: string[]
  migrateCommand: string
  /** The reverse migration: run after the migration, it must give back the schema of the backup. */
  downCommand?: string
  /** Another variable (DATABASE_URL) that gets the scratch copy's URL besides SLIPWAY_DATABASE_URL. */
  urlVariable?: string
  /** SLIPWAY_* values the migrate hook gets in production (version, environment …). */
  hookEnv?: Record<string, string>
  /** Deadline for the migrate-command and for the down-command, each. */
  migrationTimeoutMs: number
  cwd?: string
}

/** How a user command ran against the scratch copy. */
export interface CommandRun {
  ok: boolean
  durationMs: number
  exitCode: number | null
  timedOut: boolean
  /** The last lines of its output, redacted. */
  tail: string
}

export interface DownRehearsal extends CommandRun {
  /** The schema after migrate then down is the backup's schema. */
  restoresSchema: boolean
  differences: string[]
}

export interface RehearsalResult {
  backupId: string
  engine: Engine
  /** Where it ran (no credentials). */
  scratch: string
  /** The migration succeeded and, when there is a down-command, it gave back the schema. */
  ok: boolean
  /** Why not, when not ok. */
  error?: string
  /** The restore into the scratch copy. */
  restoreMs: number
  /** The migration itself: a forecast of the production run. */
  migration: CommandRun
  down?: DownRehearsal
  /** Before → after the migration; absent when it failed. */
  diff?: SchemaDiff
  before: SchemaSnapshot
  after?: SchemaSnapshot
  /** The scratch copy was removed (false only when removing it failed, which `error` then says). */
  scratchRemoved: boolean
  durationMs: number
}

/**
 * The backup a rehearsal restores, checked against the production database's engine: a
 * missing backup or another engine's is an InputError before anything is created.
 */
export async function rehearsalBackup(
  options: Pick<RehearsalOptions, 'store' | 'backupId' | 'backupInput' | 'database'>,
  production: Connection
): Promise<Manifest> {
  const input = options.backupInput ?? 'rehearse-from'
  let manifest: Manifest
  try {
    manifest = await findBackup(
      options.store,
      options.backupId,
      undefined,
      options.backupId === 'latest'
        ? { engines: [production.engine], source: production.display }
        : undefined
    )
  } catch (error) {
    if (error instanceof InputError)
      throw new InputError(
        input,
        `the id of a backup of ${production.display} in ${options.store.describe()} (or latest)`,
        options.backupId
      )
    throw error
  }
  if (!compatible(manifest.engine, production.engine))
    throw new InputError(
      production.input,
      `a ${manifest.engine} database URL: backup ${manifest.id} was taken from ${manifest.engine}`,
      production.display
    )
  return manifest
}

/**
 * Rehearses a migration on a copy of production data: restores the backup into a scratch
 * database beside production, snapshots its schema, runs the migrate-command against it
 * (SLIPWAY_DATABASE_URL and the named variable point at the copy; a minimal environment; a
 * deadline), snapshots again and diffs, then runs the down-command when there is one. The
 * scratch copy is removed in every case, also when the run is cancelled. Production is
 * never connected to except to create and drop the scratch database on its server.
 */
export async function rehearseMigration(options: RehearsalOptions): Promise<RehearsalResult> {
  const context = driverContext(options)
  checkUrlVariable(options.urlVariable)
  const spec = options.database
  // A bare path is a SQLite file; without a URL, the engine's own variables (PGHOST …) name it.
  const engine =
    'display' in spec
      ? spec.engine
      : (spec.engine ?? engineFromUrl(spec.url) ?? (spec.url ? 'sqlite' : undefined))
  if (!engine)
    throw new InputError(
      ('display' in spec ? spec.input : spec.input) ?? 'database-url',
      'the production database URL (postgres://…, mysql://…, mariadb://…, or a SQLite path)',
      undefined
    )
  const production = toConnection('display' in spec ? spec : { ...spec, engine }, context)
  if (production.engine === 'files')
    throw new InputError(
      production.input,
      'a database URL (a files backup has no schema)',
      production.display
    )
  const manifest = await rehearsalBackup(options, production)
  if (manifest.encryption && !options.identities?.length)
    throw new InputError(
      'age-identity',
      `an age identity: backup ${manifest.id} is encrypted`,
      undefined
    )
  const started = Date.now()
  const scratch = await createScratch(production, context)
  let result: Omit<RehearsalResult, 'scratchRemoved' | 'durationMs'> | undefined
  let failure: unknown
  try {
    result = await rehearseOn(scratch, manifest, options, context)
  } catch (error) {
    failure = error
  }
  let dropError: unknown
  try {
    await scratch.drop()
  } catch (error) {
    dropError = error
  }
  if (failure) throw failure
  const done = result!
  if (dropError) {
    return {
      ...done,
      ok: false,
      error: `${done.error ? `${done.error}; ` : ''}removing the scratch copy ${scratch.connection.display} failed: ${context.redactor.redact((dropError as Error).message)}`,
      scratchRemoved: false,
      durationMs: Date.now() - started
    }
  }
  return { ...done, scratchRemoved: true, durationMs: Date.now() - started }
}

async function rehearseOn(
  scratch: ScratchDatabase,
  manifest: Manifest,
  options: RehearsalOptions,
  context: DriverContext
): Promise<Omit<RehearsalResult, 'scratchRemoved' | 'durationMs'>> {
  context.log(`Rehearsal: restoring backup ${manifest.id} into ${scratch.connection.display}`)
  const restored = await restore({
    store: options.store,
    id: manifest.id,
    target: scratch.connection,
    identities: options.identities,
    redactor: context.redactor,
    log: context.log,
    timeoutMs: context.timeoutMs,
    env: options.env
  })
  const client = catalogClient(scratch.connection, context)
  const engine = scratch.connection.engine
  const before = await readSnapshot(engine, client, scratch.database)
  const base = {
    backupId: manifest.id,
    engine,
    scratch: scratch.connection.display,
    restoreMs: restored.durationMs,
    before
  }
  context.log('Rehearsal: running migrate-command against the scratch copy')
  const migration = await runCommand(options.migrateCommand, scratch, options, context)
  if (!migration.ok)
    return {
      ...base,
      ok: false,
      migration,
      error: `migrate-command ${migration.timedOut ? `timed out after ${options.migrationTimeoutMs}ms` : `exited with code ${migration.exitCode}`} on the copy of backup ${manifest.id}; production was not touched${migration.tail ? `: ${migration.tail}` : ''}`
    }
  const after = await readSnapshot(engine, client, scratch.database)
  const diff = diffSnapshots(before, after)
  if (!options.downCommand) return { ...base, ok: true, migration, diff, after }
  context.log('Rehearsal: running down-command against the migrated copy')
  const downRun = await runCommand(options.downCommand, scratch, options, context)
  let down: DownRehearsal
  if (!downRun.ok) down = { ...downRun, restoresSchema: false, differences: [] }
  else {
    const differences = structuralDifferences(
      before,
      await readSnapshot(engine, client, scratch.database)
    )
    down = { ...downRun, restoresSchema: differences.length === 0, differences }
  }
  const error = !down.ok
    ? `down-command ${down.timedOut ? `timed out after ${options.migrationTimeoutMs}ms` : `exited with code ${down.exitCode}`} on the migrated copy${down.tail ? `: ${down.tail}` : ''}`
    : !down.restoresSchema
      ? `down-command does not give back the schema of backup ${manifest.id}: ${down.differences.slice(0, 5).join('; ')}`
      : undefined
  return { ...base, ok: !error, error, migration, down, diff, after }
}

/** A user command under bash, our values only in its environment, under the rehearsal deadline. */
async function runCommand(
  command: string,
  scratch: ScratchDatabase,
  options: RehearsalOptions,
  context: DriverContext
): Promise<CommandRun> {
  // The minimal environment: never the job's own variables, which may name the production
  // database (DATABASE_URL, PGHOST …) the migration must not reach during a rehearsal.
  const base = childEnvironment({}, options.env ?? process.env)
  const result = await run('bash', scriptArgs(command), {
    baseEnv: base,
    env: {
      ...options.hookEnv,
      ...scratch.env,
      SLIPWAY_REHEARSAL: 'true',
      SLIPWAY_DATABASE_URL: scratch.url,
      ...(options.urlVariable ? { [options.urlVariable]: scratch.url } : {})
    },
    cwd: options.cwd,
    timeoutMs: options.migrationTimeoutMs,
    redactor: context.redactor
  })
  const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n')
  return {
    ok: result.exitCode === 0 && !result.timedOut,
    durationMs: result.durationMs,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    tail
  }
}
