import { UserError, run, runChecked } from '@slipway/kit'
import type { TagOutcome } from './port.js'

export interface GitTagOptions {
  cwd: string
  /** The remote to push to; `origin` by default. */
  remote?: string
  push?: boolean
}

// Tagger identity when the runner has none configured (git refuses an annotated tag without one).
const IDENTITY = {
  GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? 'github-actions[bot]',
  GIT_COMMITTER_EMAIL:
    process.env.GIT_COMMITTER_EMAIL ?? '41898282+github-actions[bot]@users.noreply.github.com'
}

async function localTagCommit(cwd: string, tag: string): Promise<string | undefined> {
  const result = await run(
    'git',
    ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`],
    { cwd }
  )
  return result.exitCode === 0 ? result.stdout.trim() : undefined
}

/**
 * Creates the annotated tag with local git and pushes it (`use-git: true`, e.g. when tags must
 * be signed or pushed with a deploy key). Idempotent like the API path.
 */
export async function ensureTagWithGit(
  tag: string,
  sha: string,
  message: string,
  options: GitTagOptions
): Promise<TagOutcome> {
  const { cwd } = options
  const existing = await localTagCommit(cwd, tag)
  let outcome: TagOutcome = 'exists'
  if (existing && existing !== sha) {
    throw new UserError(
      `Tag ${tag} already exists and points to ${existing.slice(0, 12)}, not to ${sha.slice(0, 12)}. A release tag is never moved.`,
      'delete the stray tag deliberately or release a new version'
    )
  }
  if (!existing) {
    await runChecked(
      'git',
      ['tag', '--annotate', '--message', message, '--end-of-options', tag, sha],
      { cwd, env: IDENTITY }
    )
    outcome = 'created'
  }
  if (options.push !== false) {
    const pushed = await run(
      'git',
      ['push', '--porcelain', options.remote ?? 'origin', `refs/tags/${tag}:refs/tags/${tag}`],
      { cwd, timeoutMs: 120_000 }
    )
    if (pushed.exitCode !== 0) {
      const why = /rejected|already exists/i.test(pushed.stdout + pushed.stderr)
        ? `the remote already has a different ${tag}; a release tag is never moved`
        : pushed.stderr.trim().split('\n').slice(-3).join(' ')
      throw new UserError(
        `Could not push tag ${tag}: ${why}`,
        'let the job push tags (contents: write, or a deploy key with write access)'
      )
    }
  }
  return outcome
}

/** Moves the floating major tag (`v1`) with local git and force-pushes it. */
export async function moveTagWithGit(
  tag: string,
  sha: string,
  options: GitTagOptions
): Promise<'moved' | 'unchanged'> {
  const { cwd } = options
  const existing = await localTagCommit(cwd, tag)
  if (existing !== sha)
    await runChecked('git', ['tag', '--force', '--end-of-options', tag, sha], {
      cwd,
      env: IDENTITY
    })
  if (options.push !== false) {
    await runChecked(
      'git',
      ['push', '--force', options.remote ?? 'origin', `refs/tags/${tag}:refs/tags/${tag}`],
      { cwd, timeoutMs: 120_000 }
    )
  }
  return existing === sha ? 'unchanged' : 'moved'
}
