/**
 * The repository a workflow checks out: a local git repository (the "remote" actions/checkout
 * clones), each commit mirrored into the GitHub emulator with the same SHA, so a Deployment, a
 * tag or a release made through the API names a commit the checkout has.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Emulator } from '../github-emulator/index.js'

export interface FixtureRepository {
  dir: string
  /** Writes the files (path → text; a path under `deploy/` or ending in .sh is executable). */
  write(files: Record<string, string>): void
  /** Commits everything and mirrors the commit into the emulator; returns the SHA. */
  commit(message: string): string
  head(): string
  /** Lightweight tags for the emulator's tags whose commit the repository has (what a fetch
   * of the real repository would bring after the API created them). */
  syncTags(): void
  git(...args: string[]): string
  remove(): void
}

export function createFixtureRepository(github: Emulator): FixtureRepository {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-wfr-origin-'))
  const git = (...args: string[]): string => {
    const result = spawnSync(
      'git',
      [
        '-c',
        'user.name=Fixture',
        '-c',
        'user.email=fixture@example.com',
        '-c',
        'commit.gpgsign=false',
        '-c',
        'tag.gpgsign=false',
        ...args
      ],
      { cwd: dir, encoding: 'utf8' }
    )
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
    return result.stdout.trim()
  }
  git('init', '-q', '-b', 'main')
  let head: string | undefined
  const repo: FixtureRepository = {
    dir,
    git,
    write(files) {
      for (const [path, text] of Object.entries(files)) {
        const file = join(dir, path)
        mkdirSync(dirname(file), { recursive: true })
        writeFileSync(file, text)
        if (path.endsWith('.sh')) chmodSync(file, 0o755)
      }
    },
    commit(message) {
      git('add', '-A')
      git('commit', '-q', '--allow-empty', '-m', message)
      const sha = git('rev-parse', 'HEAD')
      const files = git('show', '--name-only', '--format=', sha).split('\n').filter(Boolean)
      github.state.addCommit({ sha, message, parents: head ? [head] : [], files })
      head = sha
      return sha
    },
    head() {
      if (!head) throw new Error('the fixture repository has no commit yet')
      return head
    },
    syncTags() {
      const have = new Set(git('tag', '--list').split('\n').filter(Boolean))
      for (const ref of Object.keys(github.state.refs)) {
        if (!ref.startsWith('refs/tags/')) continue
        const tag = ref.slice('refs/tags/'.length)
        const sha = github.state.resolveCommit(ref)
        if (!sha || have.has(tag)) continue
        if (spawnSync('git', ['cat-file', '-e', `${sha}^{commit}`], { cwd: dir }).status !== 0)
          continue
        git('tag', tag, sha)
      }
    },
    remove() {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return repo
}
