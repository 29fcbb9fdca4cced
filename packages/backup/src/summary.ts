import { formatBytes, formatDuration, type SummaryBuilder } from '@slipway/kit'
import type { BackupResult } from './backup.js'
import type { RestoreResult } from './restore.js'
import type { PruneResult } from './retention.js'
import type { Manifest } from './types.js'
import type { VerifyResult } from './verify.js'

/** Sizes in the units the progress lines use (`42.0 MB`); empty when unknown. */
export function bytes(n: number | undefined): string {
  return n === undefined ? '' : formatBytes(n)
}

const seconds = (ms: number): string => formatDuration(ms)

export function renderBackup(summary: SummaryBuilder, result: BackupResult): void {
  const { plan, manifest: m, verify } = result
  if (result.dryRun || !m) {
    summary.heading('Backup plan (dry run)')
    summary.table(['', ''], planRows(plan))
    summary.paragraph('Nothing was changed.')
    return
  }
  summary.heading(`Backup ${m.id}`)
  summary.table(
    ['What', 'Engine', 'Size', 'SHA-256', 'Duration', 'Verify'],
    [
      [
        m.source,
        `${m.engine} ${m.serverVersion ?? ''}`.trim(),
        bytes(m.size),
        `\`${m.sha256.slice(0, 16)}…\``,
        seconds(m.durationMs),
        verify ? (verify.ok ? '✅ identical' : '❌ differs') : 'not run'
      ]
    ]
  )
  summary.list([
    `Location: \`${result.location}\``,
    `Compression: ${m.compression}${m.rawSize ? ` (${bytes(m.rawSize)} before, ${((100 * m.size) / m.rawSize).toFixed(0)} %)` : ''}`,
    `Encryption: ${m.encryption ? `age, ${m.encryption.recipients.length} recipient(s)` : 'none'}`,
    `Tools: ${Object.entries(m.tools)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ')}`
  ])
  if (verify) renderVerify(summary, verify, 3)
  summary.details('Manifest', `\n\n\`\`\`json\n${JSON.stringify(m, null, 2)}\n\`\`\`\n`)
}

export function renderRestore(summary: SummaryBuilder, result: RestoreResult): void {
  if (result.dryRun) {
    summary.heading('Restore plan (dry run)')
    summary.table(['', ''], planRows(result.plan))
    summary.paragraph('Nothing was changed.')
    return
  }
  const m = result.manifest
  summary.heading(`Restored ${m.id}`)
  summary.table(
    ['Backup', 'Created', 'Into', 'Size', 'SHA-256', 'Duration'],
    [
      [
        m.id,
        m.created,
        result.target,
        bytes(m.size),
        `✅ \`${m.sha256.slice(0, 16)}…\``,
        seconds(result.durationMs)
      ]
    ]
  )
}

export function renderVerify(
  summary: SummaryBuilder,
  result: VerifyResult,
  level: 2 | 3 = 2
): void {
  if (result.plan) {
    summary.heading('Verify plan (dry run)', level)
    summary.table(['', ''], planRows(result.plan))
    summary.paragraph('Nothing was changed.')
    return
  }
  summary.heading(`Verify ${result.id}: ${result.ok ? '✅ identical' : '❌ differs'}`, level)
  summary.table(
    ['Table / file', 'Source', 'Restored', 'Match'],
    result.tables
      .slice(0, 200)
      .map(t => [t.name, t.sourceRows ?? '—', t.restoredRows ?? '—', t.match ? '✅' : '❌'])
  )
  if (result.tables.length > 200) summary.paragraph(`… and ${result.tables.length - 200} more.`)
  if (!result.ok) summary.list(result.differences)
  summary.paragraph(
    `Verified in ${seconds(result.durationMs)} (restored into a scratch target, compared, removed).`
  )
}

export function renderList(summary: SummaryBuilder, where: string, manifests: Manifest[]): void {
  summary.heading(`Backups in ${where}`)
  if (manifests.length === 0) return void summary.paragraph('No backups.')
  summary.table(
    ['Id', 'Engine', 'Created', 'Size', 'Encrypted'],
    manifests.map(m => [m.id, m.engine, m.created, bytes(m.size), m.encryption ? 'age' : 'no'])
  )
}

export function renderPrune(summary: SummaryBuilder, where: string, result: PruneResult): void {
  summary.heading(`Prune ${where}${result.dryRun ? ' (dry run)' : ''}`)
  summary.table(
    ['Id', 'Created', 'Size', 'Action'],
    [
      ...result.deleted.map(m => [
        m.id,
        m.created,
        bytes(m.size),
        result.dryRun ? 'would delete' : '🗑 deleted'
      ]),
      ...result.kept.map(m => [m.id, m.created, bytes(m.size), 'kept'])
    ]
  )
}

function planRows(plan: BackupResult['plan']): string[][] {
  const rows: string[][] = [
    ['Operation', plan.operation],
    ['Engine', plan.engine],
    ['Source', plan.source],
    ['Store', plan.store]
  ]
  if (plan.name) rows.push(['Name', plan.name])
  if (plan.backupId) rows.push(['Backup', plan.backupId])
  if (plan.target) rows.push(['Target', plan.target])
  if (plan.compression) rows.push(['Compression', plan.compression])
  if (plan.encryption) rows.push(['Encryption', plan.encryption])
  for (const command of plan.commands ?? []) rows.push(['Command', `\`${command}\``])
  for (const note of plan.notes ?? []) rows.push(['Note', note])
  return rows
}
