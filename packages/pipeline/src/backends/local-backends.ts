import { LedgerFile, UserError, type Progress, type RunnerEnv } from '@slipway/kit'
import { parseRepository } from '@slipway/github'
import { FileDeploymentRecords } from '@slipway/deployments'
import { FileReleaseStore } from '@slipway/release'
import type { DeploymentHistorySource } from '@slipway/report'
import type { CommitChecks } from '@slipway/preflight'
import type { Backends } from './backends.js'
import { recordsDeploymentActivity } from './local-deployment-activity.js'

export interface LocalBackendOptions {
  /** The ledger file: deployments, statuses and releases, laid out as GitHub answers them. */
  ledgerPath: string
  /** The project's git checkout: tags are made there, commits read from it. */
  cwd: string
  /** `owner/name` in the ledger's URLs (the CLI says `local/<directory>`). */
  repository: string
  runnerEnv: RunnerEnv
}

/**
 * The backends of the CLI without a GitHub token: the ledger file and the git checkout. What
 * only GitHub knows (a commit's check runs) reports that it needs a token.
 */
export function localBackends(options: LocalBackendOptions, progress: Progress): Backends {
  const ledger = new LedgerFile(options.ledgerPath)
  const records = new FileDeploymentRecords(ledger, {
    cwd: options.cwd,
    repository: options.repository,
    runId: options.runnerEnv.runId,
    runAttempt: options.runnerEnv.runAttempt
  })
  // The rollback's own deployment is not this run's (see Backends.rollbackRecords).
  const rollbackRecords = new FileDeploymentRecords(ledger, {
    cwd: options.cwd,
    repository: options.repository
  })
  const repository = parseRepository(options.repository)
  if (!repository)
    throw new UserError(`${options.repository} is not owner/name`, 'pass --repository owner/name')
  const history: DeploymentHistorySource = {
    async read(window) {
      const limit = window.maxDeployments ?? Number.MAX_SAFE_INTEGER
      const all = await records.history(window.environment, { limit: Number.MAX_SAFE_INTEGER })
      const inWindow = all.filter(d => {
        const at = Date.parse(d.createdAt)
        return at <= window.untilMs && (window.sinceMs === undefined || at >= window.sinceMs)
      })
      return {
        deployments: inWindow.slice(0, limit),
        scanned: Math.min(inWindow.length, limit),
        truncated: inWindow.length > limit
      }
    }
  }
  const commitChecks: CommitChecks = {
    evaluate: async () => ({
      ok: false,
      message: `github-checks needs a GitHub token: the local ledger (${options.ledgerPath}) holds deployments, releases and tags only. Set GITHUB_TOKEN (or --token) to use GitHub.`
    })
  }
  return {
    kind: 'local',
    progress,
    runnerEnv: options.runnerEnv,
    records: () => records,
    rollbackRecords: () => rollbackRecords,
    // The file is read whole: any prefix of the history costs what all of it does. 50 deep, as
    // the GitHub reader (loadHistory) goes by default.
    rollbackHistory:
      () =>
      (environment, { limit }) =>
        records.history(environment, { limit: limit ?? 50 }),
    releases: () => new FileReleaseStore({ ledger, cwd: options.cwd, repository }),
    history: () => history,
    deploymentActivity: () => recordsDeploymentActivity(records),
    commitChecks: () => commitChecks,
    artifacts: () =>
      Promise.reject(
        new UserError(
          'the artifact store needs a GitHub Actions runner',
          'use store: dir (with path) outside GitHub Actions'
        )
      )
  }
}
