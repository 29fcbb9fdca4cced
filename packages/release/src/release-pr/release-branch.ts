import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { run, runChecked, UserError } from '@slipway/kit'

export interface ReleaseBranchOptions {
  /** The checkout; it is left as it was (the commit is made in a temporary worktree). */
  cwd: string
  /** The commit the release branch starts from (the base branch's head). */
  sha: string
  branch: string
  remote: string
  message: string
  /** Writes the release's changes into the worktree; returns the paths it wrote. */
  edit: (worktree: string) => string[]
  tempDir: string
}

export interface ReleaseBranchResult {
  commit: string
  /** False when the remote branch already held exactly this change on this base (a re-run). */
  pushed: boolean
  files: string[]
}

// The commit is the bot's, as release tools' commits are; the env carries it so no git config
// of the checkout is changed.
const IDENTITY = {
  GIT_AUTHOR_NAME: 'github-actions[bot]',
  GIT_AUTHOR_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'github-actions[bot]',
  GIT_COMMITTER_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com'
}

/**
 * Makes the release commit (version files, changelog) on top of `sha` and force-pushes it to
 * the release branch, the way release-please keeps one branch it owns. When the remote branch
 * already has the same tree on the same parent, nothing is pushed, so a re-run converges.
 */
export async function pushReleaseBranch(
  options: ReleaseBranchOptions
): Promise<ReleaseBranchResult> {
  const git = (args: string[], cwd = options.cwd) =>
    runChecked('git', args, { cwd, env: IDENTITY, timeoutMs: 120_000 })
  const worktree = join(mkdtempSync(join(options.tempDir, 'slipway-release-pr-')), 'tree')
  await git(['worktree', 'add', '--detach', '--quiet', worktree, options.sha])
  try {
    const files = options.edit(worktree)
    await git(['add', '--', ...files], worktree)
    await git(['commit', '--quiet', '--no-verify', '-m', options.message], worktree)
    const commit = (await git(['rev-parse', 'HEAD'], worktree)).stdout.trim()
    const tree = (await git(['rev-parse', 'HEAD^{tree}'], worktree)).stdout.trim()

    const fetched = await run(
      'git',
      ['fetch', '--quiet', '--no-tags', options.remote, `refs/heads/${options.branch}`],
      { cwd: worktree, timeoutMs: 120_000 }
    )
    if (fetched.exitCode === 0) {
      const remote = (
        await git(['log', '-1', '--format=%T %P', 'FETCH_HEAD'], worktree)
      ).stdout.trim()
      if (remote === `${tree} ${options.sha}`) {
        const existing = (await git(['rev-parse', 'FETCH_HEAD'], worktree)).stdout.trim()
        return { commit: existing, pushed: false, files }
      }
    }
    const pushed = await run(
      'git',
      ['push', '--quiet', '--force', options.remote, `${commit}:refs/heads/${options.branch}`],
      { cwd: worktree, timeoutMs: 120_000 }
    )
    if (pushed.exitCode !== 0)
      throw new UserError(
        `Could not push the release branch ${options.branch} to ${options.remote}: ${pushed.stderr.trim()}`,
        'check out with persisted credentials (actions/checkout default) and grant `contents: write`'
      )
    return { commit, pushed: true, files }
  } finally {
    await run('git', ['worktree', 'remove', '--force', worktree], { cwd: options.cwd })
    rmSync(join(worktree, '..'), { recursive: true, force: true })
  }
}
