import { escapeCell, formatDuration, type Redactor, type SummaryBuilder } from '@slipway/kit'
import { describeChange, dirStore, rehearseMigration, type RehearsalResult } from '@slipway/backup'
import type { DeployInputs } from './deploy-inputs.js'
import type { RehearsalSettings } from './rehearsal-settings.js'
import type { DeployGate } from './run.js'

/** passed, destructive (allowed or not), failed; not-rehearsed when there was nothing to rehearse. */
export type MigrationVerdict = 'passed' | 'destructive' | 'failed' | 'not-rehearsed'

export interface MigrationRehearsal {
  verdict: MigrationVerdict
  /** A destructive change was found and `allow-destructive-migration` let it through. */
  allowed: boolean
  result: RehearsalResult
}

export function verdictOf(result: RehearsalResult): MigrationVerdict {
  if (!result.ok) return 'failed'
  return result.diff?.destructive ? 'destructive' : 'passed'
}

/**
 * The rehearsal as a deploy gate: restores the backup into a scratch copy, runs the migration
 * there (and the down-command), and refuses the deploy when the migration fails on the copy or
 * is destructive without `allow-destructive-migration: true`. `seen` receives the result,
 * whatever the verdict, for the outputs and the summary.
 */
export function rehearsalGate(
  settings: RehearsalSettings,
  deploy: DeployInputs,
  redactor: Redactor | undefined,
  log: (line: string) => void,
  seen: (rehearsal: MigrationRehearsal) => void
): DeployGate {
  return {
    name: 'rehearse-migration',
    async run() {
      const result = await rehearseMigration({
        store: dirStore(settings.storePath),
        backupId: settings.from,
        backupInput: settings.fromInput,
        database: settings.database,
        identities: settings.identities,
        migrateCommand: deploy.migrateCommand!,
        downCommand: settings.downCommand,
        urlVariable: settings.urlVariable,
        hookEnv: {
          SLIPWAY_VERSION: deploy.version,
          SLIPWAY_ENVIRONMENT: deploy.environment,
          ...(deploy.artifact ? { SLIPWAY_ARTIFACT: deploy.artifact } : {})
        },
        migrationTimeoutMs: settings.timeoutMs,
        redactor,
        log
      })
      const verdict = verdictOf(result)
      const destructiveChanges = result.diff?.changes.filter(c => c.destructive) ?? []
      const allowed = verdict === 'destructive' && settings.allowDestructive
      seen({ verdict, allowed, result })
      const took = `restore ${formatDuration(result.restoreMs)}, migration ${formatDuration(result.migration.durationMs)}`
      if (verdict === 'failed')
        return {
          ok: false,
          detail: `the migration failed its rehearsal on a copy of backup ${result.backupId} (${took}): ${result.error ?? 'unknown error'}`
        }
      if (verdict === 'destructive' && !allowed)
        return {
          ok: false,
          detail: `the migration is destructive on a copy of backup ${result.backupId}: ${destructiveChanges
            .map(c => c.reason ?? describeChange(c))
            .join('; ')}; set allow-destructive-migration: true to deploy it anyway`
        }
      return {
        ok: true,
        detail: `migration rehearsed on a copy of backup ${result.backupId}: ${verdict}${allowed ? ' (allowed)' : ''}, ${result.diff?.changes.length ?? 0} change(s) (${took})`,
        payload: {
          migration_verdict: verdict,
          migration_destructive: verdict === 'destructive',
          migration_diff_digest: result.diff?.digest,
          migration_rehearsal_ms: result.migration.durationMs,
          migration_backup_id: result.backupId,
          // Rollback runs it before traffic moves back, only when it was rehearsed here.
          down_command: settings.downCommand
            ? (redactor?.redact(settings.downCommand) ?? settings.downCommand)
            : undefined,
          down_command_rehearsed: Boolean(result.down?.ok && result.down.restoresSchema)
        }
      }
    }
  }
}

/** The rehearsal's outputs; empty values when nothing was rehearsed. */
export function rehearsalOutputs(
  rehearsal: MigrationRehearsal | undefined
): Record<string, string> {
  const r = rehearsal?.result
  return {
    'migration-verdict': rehearsal?.verdict ?? 'not-rehearsed',
    'migration-destructive': r?.diff ? String(r.diff.destructive) : '',
    'migration-diff-digest': r?.diff?.digest ?? '',
    'migration-rehearsal-duration': r ? String(r.migration.durationMs) : '',
    'migration-changes': r?.diff ? JSON.stringify(r.diff.changes) : ''
  }
}

/** The summary's section: the verdict, the durations, the diff and the row counts. */
export function renderRehearsal(
  summary: SummaryBuilder,
  rehearsal: MigrationRehearsal | undefined
): void {
  if (!rehearsal) return
  const { result, verdict, allowed } = rehearsal
  const icon = {
    passed: '✅',
    destructive: allowed ? '⚠️' : '⛔',
    failed: '❌',
    'not-rehearsed': ''
  }[verdict]
  summary.heading(`${icon} Migration rehearsal: ${verdict}${allowed ? ' (allowed)' : ''}`, 3)
  summary.table(
    ['', ''],
    [
      ['Backup', result.backupId],
      ['Scratch copy', `${result.scratch} (${result.scratchRemoved ? 'removed' : 'NOT removed'})`],
      ['Restore', formatDuration(result.restoreMs)],
      [
        'Migration (forecast of the production run)',
        `${formatDuration(result.migration.durationMs)}${result.migration.ok ? '' : ' — failed'}`
      ],
      ...(result.down
        ? [
            [
              'down-command',
              result.down.ok && result.down.restoresSchema
                ? `gives back the schema (${formatDuration(result.down.durationMs)})`
                : result.down.ok
                  ? `does not give back the schema: ${result.down.differences.slice(0, 5).join('; ')}`
                  : 'failed'
            ]
          ]
        : []),
      ...(result.diff ? [['Diff digest', result.diff.digest]] : [])
    ]
  )
  if (result.error) summary.paragraph(`**Rehearsal:** ${escapeCell(result.error)}`)
  if (result.diff?.changes.length)
    summary.table(
      ['Change', 'Table', 'Object', 'Before', 'After', 'Destructive'],
      result.diff.changes.map(c => [
        c.kind,
        c.table,
        c.object ?? '',
        c.before ?? '',
        c.after ?? '',
        c.destructive ? `yes: ${c.reason ?? ''}` : 'no'
      ])
    )
  else if (result.diff) summary.paragraph('No structural change.')
  if (result.diff?.rows.length)
    summary.details(
      'Row counts before / after the migration',
      [
        '| Table | Before | After |',
        '| --- | ---: | ---: |',
        ...result.diff.rows.map(
          r => `| ${escapeCell(r.table)} | ${r.before ?? '—'} | ${r.after ?? '—'} |`
        )
      ].join('\n')
    )
}
