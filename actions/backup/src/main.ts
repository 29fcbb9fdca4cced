import type { ActionContext, Inputs } from '@slipway/kit'
import { backup, list, prune, restore, verify } from '@slipway/backup'
import {
  OPERATIONS,
  readCommon,
  readIdentity,
  readSource,
  readStore,
  readTarget
} from './inputs.js'
import { renderBackup, renderList, renderPrune, renderRestore, renderVerify } from './summary.js'

/** What a failure is called: "restore failed: …" names the operation that failed. */
export function operationName(inputs: Inputs): string {
  const operation = inputs.string('operation')?.trim() ?? ''
  return (OPERATIONS as readonly string[]).includes(operation) ? operation : 'backup'
}

export async function main(ctx: ActionContext): Promise<void> {
  const { inputs } = ctx
  const operation = inputs.enumOf('operation', OPERATIONS, { default: 'backup' })!
  const common = readCommon(ctx)
  const identities = readIdentity(ctx)
  const store = readStore(ctx)
  const name = inputs.string('name')
  // The package logs warnings (special files skipped) as `Warning: …`: they become annotations.
  const log = (message: string): void =>
    message.startsWith('Warning: ') ? ctx.warning(message.slice(9)) : ctx.info(message)
  const options = { redactor: ctx.redactor, log, timeoutMs: common.timeoutMs }

  if (operation === 'backup') {
    const source = readSource(ctx)
    const recipients = inputs.list('encrypt-recipients')
    const result = await backup({
      ...options,
      source,
      store,
      name,
      compression: common.compression,
      recipients,
      identities,
      verify: inputs.bool('verify'),
      dryRun: common.dryRun
    })
    const m = result.manifest
    ctx.setOutput('backup-id', m?.id ?? result.plan.backupId)
    ctx.setOutput('manifest', m)
    ctx.setOutput('size', m?.size)
    ctx.setOutput('sha256', m?.sha256)
    ctx.setOutput('location', result.location)
    if (result.verify) ctx.setOutput('verified', result.verify.ok)
    renderBackup(ctx.summary, result)
    if (result.verify && !result.verify.ok)
      throw new Error(`verify failed: ${result.verify.differences.join('; ')}`)
  } else if (operation === 'restore') {
    const source = readSource(ctx)
    const target = readTarget(ctx, source)
    const result = await restore({
      ...options,
      store,
      id: inputs.string('backup-id', { default: 'latest' }),
      name,
      target,
      // Restoring into another database: `latest` takes only database-url's backups.
      source: target.input === 'target' && source.url ? source : undefined,
      clean: inputs.bool('clean'),
      identities,
      dryRun: common.dryRun
    })
    ctx.setOutput('backup-id', result.manifest.id)
    ctx.setOutput('manifest', result.manifest)
    ctx.setOutput('sha256', result.manifest.sha256)
    ctx.setOutput('size', result.manifest.size)
    ctx.setOutput('location', store.location(result.manifest))
    renderRestore(ctx.summary, result)
  } else if (operation === 'verify') {
    const source = readSource(ctx)
    const id = inputs.string('backup-id', { default: 'latest' })
    const result = await verify({
      ...options,
      store,
      id,
      name,
      source,
      identities,
      dryRun: common.dryRun
    })
    ctx.setOutput('backup-id', result.id)
    if (!result.plan) ctx.setOutput('verified', result.ok)
    renderVerify(ctx.summary, result)
    if (!result.plan && !result.ok)
      throw new Error(`verify failed: ${result.differences.join('; ')}`)
  } else if (operation === 'list') {
    const manifests = await list({ store, name })
    ctx.setOutput('backups', manifests)
    ctx.setOutput('backup-id', manifests[0]?.id)
    renderList(ctx.summary, store.describe(), manifests)
  } else {
    const keepLast = inputs.int('keep-last', { min: 1 })
    const maxAgeMs = inputs.duration('max-age')
    const result = await prune({
      store,
      name,
      keepLast,
      maxAgeMs,
      dryRun: common.dryRun,
      log: ctx.info
    })
    ctx.setOutput(
      'deleted',
      result.deleted.map(m => m.id)
    )
    renderPrune(ctx.summary, store.describe(), result)
  }
}
