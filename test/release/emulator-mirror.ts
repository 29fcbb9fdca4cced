import { runChecked } from '@slipway/kit'
import type { Emulator } from '../github-emulator/index.js'

/**
 * Copies the local repository's commits (same shas, oldest first) into the emulator, so tags
 * and releases created through the API point at commits GitHub would know.
 */
export async function mirrorCommits(dir: string, gh: Emulator): Promise<void> {
  const { stdout } = await runChecked(
    'git',
    ['log', '--all', '--reverse', '--topo-order', '--format=%H%x1f%P%x1f%s'],
    { cwd: dir }
  )
  const known = new Set(gh.state.commits.map(commit => commit.sha))
  for (const line of stdout.split('\n')) {
    if (!line) continue
    const [sha, parents, subject] = line.split('\x1f')
    if (known.has(sha)) continue
    gh.state.addCommit({
      sha,
      message: subject,
      parents: parents ? parents.split(' ') : [],
      branch: null
    })
    known.add(sha)
  }
  const head = (await runChecked('git', ['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim()
  gh.state.setRef('refs/heads/main', head)
}
