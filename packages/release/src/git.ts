import { runChecked } from '@slipway/kit'

/** One commit as read from `git log`: identity, parents, date and the whole message. */
export interface RawCommit {
  hash: string
  parents: string[]
  /** Committer date, strict ISO 8601. */
  date: string
  author: string
  message: string
}

/** A tag and the commit it points to (annotated tags are peeled). */
export interface TagRef {
  name: string
  commit: string
}

export interface GitOptions {
  /** The checkout to read (`fetch-depth: 0` so tags and history are present). */
  cwd: string
  timeoutMs?: number
}

// Field and record separators: a commit message may contain anything printable, but git
// never puts NUL in a message and \x1f (unit separator) does not occur in ordinary text.
const FIELD = '\x1f'
const LOG_FORMAT = ['%H', '%P', '%cI', '%an', '%B'].join('%x1f')
const BIG = 512 * 1024 * 1024

/** Resolves a revision (`HEAD`, a sha, a tag) to the commit it names. */
export async function resolveCommit(revision: string, options: GitOptions): Promise<string> {
  const result = await runChecked(
    'git',
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`],
    {
      cwd: options.cwd,
      timeoutMs: options.timeoutMs ?? 30_000
    }
  )
  return result.stdout.trim()
}

/**
 * Every tag of the repository with the commit it points to. With `mergedInto`, only the tags
 * reachable from that commit (what "the last release on this branch" means).
 */
export async function listTags(options: GitOptions & { mergedInto?: string }): Promise<TagRef[]> {
  const args = ['for-each-ref', '--format=%(refname:strip=2)%09%(objectname)%09%(*objectname)']
  if (options.mergedInto) args.push(`--merged=${options.mergedInto}`)
  args.push('refs/tags/')
  const result = await runChecked('git', args, {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs ?? 60_000,
    maxOutputBytes: BIG
  })
  const tags: TagRef[] = []
  for (const line of result.stdout.split('\n')) {
    if (!line) continue
    const [name, object, peeled] = line.split('\t')
    tags.push({ name, commit: peeled || object })
  }
  return tags
}

/**
 * The commits reachable from `to` but not from `from` (newest first), read in one `git log`
 * pass. `paths` limits them to commits touching those paths (a package of a monorepo).
 */
export async function readCommits(
  options: GitOptions & { from?: string; to: string; paths?: string[] }
): Promise<RawCommit[]> {
  const args = ['log', '-z', `--format=${LOG_FORMAT}`, '--end-of-options', options.to]
  if (options.from) args.push(`^${options.from}`)
  args.push('--')
  if (options.paths && options.paths.length > 0) args.push(...options.paths)
  const result = await runChecked('git', args, {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs ?? 120_000,
    maxOutputBytes: BIG
  })
  const commits: RawCommit[] = []
  for (const record of result.stdout.split('\0')) {
    if (!record.trim()) continue
    const [hash, parents, date, author, ...rest] = record.replace(/^\n/, '').split(FIELD)
    commits.push({
      hash,
      parents: parents ? parents.split(' ') : [],
      date,
      author,
      message: rest.join(FIELD)
    })
  }
  return commits
}
