import type { ArtifactClient } from '@actions/artifact'
import {
  Redactor,
  UserError,
  type OutputValue,
  type Progress,
  type SummaryBuilder
} from '@slipway/kit'
import { backup, type BackupResult } from './backup.js'
import { list } from './find.js'
import { restore, type RestoreResult } from './restore.js'
import { prune, type PruneResult } from './retention.js'
import type { BackupSettings, StoreSettings } from './settings.js'
import { artifactStore } from './stores/artifact.js'
import { dirStore } from './stores/dir.js'
import type { Store } from './stores/store.js'
import { renderBackup, renderList, renderPrune, renderRestore, renderVerify } from './summary.js'
import type { Manifest } from './types.js'
import { verify, type VerifyResult } from './verify.js'

/** What a backup operation needs from outside. */
export interface BackupPorts {
  /** Progress lines; warnings (skipped special files, damaged manifests) become annotations. */
  progress: Progress
  /** GitHub's artifact service, for `store: artifact` (the action builds it from the runner). */
  artifacts?: ArtifactClient
}

export type BackupOperationResult =
  | { operation: 'backup'; result: BackupResult }
  | { operation: 'restore'; result: RestoreResult; location: string }
  | { operation: 'verify'; result: VerifyResult }
  | { operation: 'list'; store: string; manifests: Manifest[] }
  | { operation: 'prune'; store: string; result: PruneResult }

/** Runs the one operation the settings name: backup, restore, verify, list or prune. */
export async function runBackupOperation(
  settings: BackupSettings,
  ports: BackupPorts
): Promise<BackupOperationResult> {
  const { progress } = ports
  // Damaged manifests and altered backup files become annotations, never silent skips.
  const store = openStore(settings.store, ports)
  const { name, identities, dryRun } = settings
  // The package logs warnings (special files skipped) as `Warning: …`: they become annotations.
  const log = (message: string): void =>
    message.startsWith('Warning: ') ? progress.warning(message.slice(9)) : progress.info(message)
  const redactor = new Redactor()
  for (const secret of settings.secrets) redactor.add(secret)
  const options = { redactor, log, timeoutMs: settings.timeoutMs }

  switch (settings.operation) {
    case 'backup': {
      const result = await backup({
        ...options,
        source: settings.source!,
        store,
        name,
        compression: settings.compression,
        recipients: settings.recipients,
        identities,
        verify: settings.verify,
        dryRun
      })
      return { operation: 'backup', result }
    }
    case 'restore': {
      const source = settings.source!
      const target = settings.target!
      const result = await restore({
        ...options,
        store,
        id: settings.backupId,
        name,
        target,
        // Restoring into another database: `latest` takes only database-url's backups.
        source: target.input === 'target' && source.url ? source : undefined,
        clean: settings.clean,
        identities,
        dryRun
      })
      return { operation: 'restore', result, location: store.location(result.manifest) }
    }
    case 'verify': {
      const result = await verify({
        ...options,
        store,
        id: settings.backupId,
        name,
        source: settings.source!,
        identities,
        dryRun
      })
      return { operation: 'verify', result }
    }
    case 'list':
      return { operation: 'list', store: store.describe(), manifests: await list({ store, name }) }
    case 'prune': {
      const result = await prune({
        store,
        name,
        keepLast: settings.keepLast,
        maxAgeMs: settings.maxAgeMs,
        dryRun,
        log: message => progress.info(message)
      })
      return { operation: 'prune', store: store.describe(), result }
    }
  }
}

function openStore(settings: StoreSettings, ports: BackupPorts): Store {
  const warn = (message: string): void => ports.progress.warning(message)
  if (settings.kind === 'dir') return dirStore(settings.path, { warn })
  if (!ports.artifacts)
    throw new UserError(
      'the artifact store needs GitHub’s artifact service, which only a workflow run provides',
      'use store: dir outside GitHub Actions'
    )
  return artifactStore({ ...settings, client: ports.artifacts, warn })
}

/** The artifact client of the runner this process runs in; loaded only for the artifact store. */
export async function runnerArtifactClient(): Promise<ArtifactClient> {
  // The client (with the Azure SDK) is most of the bundle: a dir-store run does not load it.
  const { DefaultArtifactClient } = await import('@actions/artifact')
  return new DefaultArtifactClient()
}

/**
 * The operation's failed gate (a verify that found differences), if it failed one: the user's to
 * fix, with where to look. Every front end throws it as it is.
 */
export function backupFailure(result: BackupOperationResult): UserError | undefined {
  const verified =
    result.operation === 'backup'
      ? result.result.verify
      : result.operation === 'verify' && !result.result.plan
        ? result.result
        : undefined
  if (verified && !verified.ok)
    return new UserError(
      `verify failed: ${verified.differences.join('; ')}`,
      'the summary lists what differs between the source and its copy'
    )
  return undefined
}

/** The action's outputs. */
export function backupOutputs(result: BackupOperationResult): Record<string, OutputValue> {
  switch (result.operation) {
    case 'backup': {
      const { manifest: m, plan, location, verify } = result.result
      return {
        'backup-id': m?.id ?? plan.backupId,
        manifest: m,
        size: m?.size,
        sha256: m?.sha256,
        location,
        verified: verify?.ok
      }
    }
    case 'restore': {
      const m = result.result.manifest
      return {
        'backup-id': m.id,
        manifest: m,
        sha256: m.sha256,
        size: m.size,
        location: result.location
      }
    }
    case 'verify':
      return {
        'backup-id': result.result.id,
        verified: result.result.plan ? undefined : result.result.ok
      }
    case 'list':
      return { backups: result.manifests, 'backup-id': result.manifests[0]?.id }
    case 'prune':
      return { deleted: result.result.deleted.map(m => m.id) }
  }
}

/** The job summary of the operation. */
export function renderBackupSummary(result: BackupOperationResult, summary: SummaryBuilder): void {
  switch (result.operation) {
    case 'backup':
      return renderBackup(summary, result.result)
    case 'restore':
      return renderRestore(summary, result.result)
    case 'verify':
      return renderVerify(summary, result.result)
    case 'list':
      return renderList(summary, result.store, result.manifests)
    case 'prune':
      return renderPrune(summary, result.store, result.result)
  }
}
