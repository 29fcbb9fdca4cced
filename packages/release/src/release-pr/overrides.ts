import { runChecked } from '@slipway/kit'
import type { RawCommit } from '../git.js'
import type { PullRequestStore } from './pull-requests.js'

const BLOCK = /BEGIN_COMMIT_OVERRIDE\s*\n([\s\S]*?)\n\s*END_COMMIT_OVERRIDE/
const HEADER = /^\w+(?:\([^)]*\))?!?: \S/

/** The commit messages a pull request body's override block stands for, or undefined. */
export function overrideMessages(body: string): string[] | undefined {
  const block = BLOCK.exec(body.replace(/\r\n/g, '\n'))
  if (!block) return undefined
  const messages: string[] = []
  for (const line of block[1].split('\n')) {
    if (HEADER.test(line.trim()) || messages.length === 0) messages.push(line.trim())
    else messages[messages.length - 1] += `\n${line}`
  }
  return messages.map(message => message.trim()).filter(Boolean)
}

/**
 * Replaces the commits of merged pull requests whose body has a
 * `BEGIN_COMMIT_OVERRIDE … END_COMMIT_OVERRIDE` block (release-please's convention) by the
 * messages in it: a squash commit by those messages; a merge commit and the branch commits it
 * brought by those messages. One API call per commit, for the newest `limit` commits.
 */
export async function applyCommitOverrides(
  raw: RawCommit[],
  pulls: PullRequestStore,
  options: { cwd: string; limit?: number; warn?: (message: string) => void }
): Promise<RawCommit[]> {
  const limit = options.limit ?? 100
  if (raw.length > limit)
    options.warn?.(
      `Commit overrides are read for the newest ${limit} of ${raw.length} commits only`
    )
  const replaced = new Map<string, RawCommit[]>()
  const dropped = new Set<string>()
  const seen = new Set<number>()
  for (const commit of raw.slice(0, limit)) {
    if (dropped.has(commit.hash)) continue
    const pull = (await pulls.mergedInto(commit.hash)).find(p => !seen.has(p.number))
    const messages = pull && overrideMessages(pull.body)
    if (!pull || !messages) continue
    seen.add(pull.number)
    replaced.set(
      commit.hash,
      messages.map((message, n) => ({
        ...commit,
        hash: n === 0 ? commit.hash : `${commit.hash}-${n}`,
        parents: commit.parents.slice(0, 1),
        message: `${message}\n`
      }))
    )
    if (commit.parents.length > 1) {
      const { stdout } = await runChecked(
        'git',
        ['rev-list', `${commit.parents[0]}..${commit.parents[1]}`],
        { cwd: options.cwd }
      )
      for (const hash of stdout.split('\n').filter(Boolean)) dropped.add(hash)
    }
  }
  return raw
    .filter(commit => !dropped.has(commit.hash))
    .flatMap(commit => replaced.get(commit.hash) ?? [commit])
}
