import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { runChecked } from '@slipway/kit'

/**
 * A real git repository in a temp dir, built commit by commit with controlled authors and
 * dates (so hashes and notes are reproducible within a test).
 */
export class GitFixture {
  readonly dir: string
  private clock = Date.UTC(2026, 0, 1, 12, 0, 0)

  private constructor(dir: string) {
    this.dir = dir
  }

  static async create(prefix = 'slipway-release-'): Promise<GitFixture> {
    const repo = new GitFixture(mkdtempSync(join(tmpdir(), prefix)))
    await repo.git('init', '--quiet', '--initial-branch=main')
    await repo.git('config', 'user.name', 'Test Author')
    await repo.git('config', 'user.email', 'author@example.com')
    await repo.git('config', 'commit.gpgsign', 'false')
    await repo.git('config', 'tag.gpgsign', 'false')
    return repo
  }

  private env(author?: string): Record<string, string> {
    this.clock += 60_000
    const date = new Date(this.clock).toISOString()
    const name = author ?? 'Test Author'
    return {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
      GIT_AUTHOR_NAME: name,
      GIT_COMMITTER_NAME: name,
      GIT_AUTHOR_EMAIL: 'author@example.com',
      GIT_COMMITTER_EMAIL: 'author@example.com'
    }
  }

  async git(...args: string[]): Promise<string> {
    const result = await runChecked('git', args, { cwd: this.dir, env: this.env() })
    return result.stdout.trim()
  }

  /** A commit (empty unless `files` are given: path → content). Returns its sha. */
  async commit(
    message: string,
    options: { files?: Record<string, string>; author?: string } = {}
  ): Promise<string> {
    for (const [path, content] of Object.entries(options.files ?? {})) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true })
      writeFileSync(join(this.dir, path), content)
      await this.git('add', '--', path)
    }
    await runChecked('git', ['commit', '--quiet', '--allow-empty', '--no-verify', '-F', '-'], {
      cwd: this.dir,
      env: this.env(options.author),
      input: message
    })
    return this.head()
  }

  async head(): Promise<string> {
    return this.git('rev-parse', 'HEAD')
  }

  /** An annotated tag (lightweight with `lightweight: true`) at HEAD or `at`. */
  async tag(name: string, options: { at?: string; lightweight?: boolean } = {}): Promise<void> {
    const at = options.at ?? 'HEAD'
    if (options.lightweight) await this.git('tag', name, at)
    else await this.git('tag', '-a', '-m', name, name, at)
  }

  /** `git revert` with git's own message (`Revert "…"` + `This reverts commit <sha>.`). */
  async revert(sha: string): Promise<string> {
    await runChecked('git', ['revert', '--no-edit', sha], { cwd: this.dir, env: this.env() }).catch(
      async () => {
        // Empty commits cannot be reverted by `git revert`; write git's message by hand.
        const header = await this.git('log', '-1', '--format=%s', sha)
        await this.commit(`Revert "${header}"\n\nThis reverts commit ${sha}.\n`)
      }
    )
    return this.head()
  }

  /** A merge commit of `branch` into the current branch (`--no-ff`). */
  async merge(branch: string, message: string): Promise<string> {
    await runChecked('git', ['merge', '--no-ff', '--quiet', '-m', message, branch], {
      cwd: this.dir,
      env: this.env()
    })
    return this.head()
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
