import { InputError, urlCredentials, type ActionContext } from '@slipway/kit'
import { artifactStore, COMPRESSIONS, dirStore, type SourceSpec, type Store } from '@slipway/backup'

export const OPERATIONS = ['backup', 'restore', 'verify', 'list', 'prune'] as const

/** Reads the store inputs into a Store. */
export function readStore(ctx: ActionContext): Store {
  const { inputs } = ctx
  const kind = inputs.enumOf('store', ['dir', 'artifact'] as const, { default: 'dir' })
  // Damaged manifests and altered backup files become annotations, never silent skips.
  const warn = (message: string): void => ctx.warning(message)
  if (kind === 'dir') {
    const path = inputs.string('path')
    if (!path) throw new InputError('path', 'the directory of the dir store', undefined)
    return dirStore(path, { warn })
  }
  const runId = inputs.int('artifact-run-id', { min: 1 })
  const token = inputs.string('github-token')
  ctx.secret(token)
  const retentionDays = inputs.int('retention-days', { min: 1, max: 400 })
  let findBy
  if (runId !== undefined) {
    if (!token)
      throw new InputError(
        'github-token',
        'a token with actions: read, to read another run’s artifacts',
        undefined
      )
    const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/')
    findBy = { token, workflowRunId: runId, repositoryOwner: owner, repositoryName: repo }
  }
  const allowUnencrypted = inputs.bool('allow-unencrypted-artifact')
  return artifactStore({ retentionDays, findBy, allowUnencrypted, warn })
}

/** The source database or files; registers every password it contains as a secret first. */
export function readSource(ctx: ActionContext): SourceSpec {
  const { inputs } = ctx
  const url = inputs.string('database-url')
  for (const secret of urlCredentials(url ?? '')) ctx.secret(secret)
  for (const variable of ['PGPASSWORD', 'MYSQL_PWD', 'MYSQL_PASSWORD'])
    ctx.secret(process.env[variable])
  return {
    engine: inputs.string('engine'),
    url,
    paths: inputs.list('paths'),
    exclude: inputs.list('exclude'),
    baseDir: inputs.string('base-dir') ?? process.env.GITHUB_WORKSPACE
  }
}

export function readTarget(ctx: ActionContext, source: SourceSpec): SourceSpec {
  const target = ctx.inputs.string('target')
  for (const secret of urlCredentials(target ?? '')) ctx.secret(secret)
  if (!target) return { ...source, input: source.url ? 'database-url' : 'target' }
  return { engine: source.engine, url: target, input: 'target' }
}

export function readIdentity(ctx: ActionContext): string[] {
  const identity = ctx.inputs.string('age-identity')
  ctx.secret(identity)
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

export function readCommon(ctx: ActionContext): {
  compression: (typeof COMPRESSIONS)[number]
  timeoutMs: number
  dryRun: boolean
} {
  return {
    compression: ctx.inputs.enumOf('compression', COMPRESSIONS, { default: 'auto' })!,
    timeoutMs: ctx.inputs.duration('timeout', { default: '1h', min: 1000 })!,
    dryRun: ctx.inputs.bool('dry-run')
  }
}
