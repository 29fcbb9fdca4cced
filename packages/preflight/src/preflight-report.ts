import type { CheckStatus, Severity } from '@slipway/probes'
import type { FailOn } from './settings.js'

export interface ReportEntry {
  name: string
  type: string
  severity: Severity
  source: string
  target: string
  /** `planned` only in a dry run. */
  status: CheckStatus | 'planned'
  message: string
  attempts: number
  durationMs: number
  timeoutMs: number
  retries: number
  details?: Record<string, unknown>
}

/** What a preflight run found: runPreflight's result, the source of outputs and summary. */
export interface PreflightReport {
  /** No check of severity error failed (a dry run passes: nothing ran). */
  passed: boolean
  dryRun: boolean
  failOn: FailOn
  startedAt: string
  durationMs: number
  counts: { total: number; passed: number; failed: number; warnings: number }
  checks: ReportEntry[]
}

export const STATUS_ICON: Record<ReportEntry['status'], string> = {
  passed: '✅',
  failed: '❌',
  warning: '⚠️',
  planned: '📋'
}
