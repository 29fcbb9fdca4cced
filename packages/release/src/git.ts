import { run, runChecked } from '@slipway/kit'

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

/** What one look at the checkout tells: is it a repository, is it shallow, what `revision` is. */
export interface CheckoutState {
  /** False when `cwd` is not inside a git repository (`stderr` says why). */
  repository: boolean
  shallow: boolean
  /** The commit `revision` names; undefined when it names none (or the history is empty). */
  commit?: string
  stderr: string
}

/**
 * Whether `cwd` is a full checkout and which commit `revision` names, in one `git rev-parse`:
 * each process costs a release a few milliseconds, and this one runs before anything else.
 */
export async function inspectCheckout(
  revision: string,
  options: GitOptions
): Promise<CheckoutState> {
  const result = await run(
    'git',
    [
      'rev-parse',
      '--is-shallow-repository',
      '--verify',
      '--quiet',
      '--end-of-options',
      `${revision}^{commit}`
    ],
    { cwd: options.cwd, timeoutMs: options.timeoutMs ?? 30_000 }
  )
  // rev-parse answers its options in order: the shallow flag first, then the commit.
  const [flag, commit] = result.stdout.split('\n')
  if (flag !== 'true' && flag !== 'false')
    return { repository: false, shallow: false, stderr: result.stderr }
  return {
    repository: true,
    shallow: flag === 'true',
    commit: result.exitCode === 0 && commit ? commit : undefined,
    stderr: result.stderr
  }
}

/**
 * Every tag of the repository with the commit it points to. With `mergedInto`, only the tags
 * reachable from that commit (what "the last release on this branch" means).
 */
export async function listTags(options: GitOptions & { mergedInto?: string }): Promise<TagRef[]> {
  // git resolves `mergedInto` itself (a sha, HEAD or a tag), so the caller need not wait for it.
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
  return parseLog(result.stdout)
}

/**
 * Splits `git log -z` output in one pass with indexOf: no regex and no intermediate arrays per
 * commit (5,000 commits are 800 kB of text).
 */
export function parseLog(text: string): RawCommit[] {
  const commits: RawCommit[] = []
  let at = 0
  while (at < text.length) {
    let end = text.indexOf('\0', at)
    if (end === -1) end = text.length
    // git separates records with NUL and a newline; tolerate either.
    if (text.charCodeAt(at) === 10) at++
    const hashEnd = text.indexOf(FIELD, at)
    const parentsEnd = hashEnd === -1 ? -1 : text.indexOf(FIELD, hashEnd + 1)
    const dateEnd = parentsEnd === -1 ? -1 : text.indexOf(FIELD, parentsEnd + 1)
    const authorEnd = dateEnd === -1 ? -1 : text.indexOf(FIELD, dateEnd + 1)
    if (authorEnd !== -1 && authorEnd < end) {
      const parents = text.slice(hashEnd + 1, parentsEnd)
      commits.push({
        hash: text.slice(at, hashEnd),
        parents: parents ? parents.split(' ') : [],
        date: text.slice(parentsEnd + 1, dateEnd),
        author: text.slice(dateEnd + 1, authorEnd),
        message: text.slice(authorEnd + 1, end)
      })
    }
    at = end + 1
  }
  return commits
}
