import { spawn } from 'node:child_process'
import { StringDecoder } from 'node:string_decoder'
import {
  CommandError,
  MissingProgramError,
  describeFailure,
  redactUrlPasswords,
  run,
  runChecked,
  spawnEnvironment,
  trackChild,
  type RunResult
} from '@slipway/kit'

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
/** Tag listings are kept whole (a repository may have many thousands of tags). */
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
 * `onCommit` sees each commit as git writes it, so the caller can work while git still walks
 * the history (on 5,000 commits the walk and the parse are each tens of milliseconds).
 */
export async function readCommits(
  options: GitOptions & {
    from?: string
    to: string
    paths?: string[]
    onCommit?: (commit: RawCommit) => void
    /** Stops git (its whole process group); the read then fails. */
    signal?: AbortSignal
  }
): Promise<RawCommit[]> {
  const args = ['log', '-z', `--format=${LOG_FORMAT}`, '--end-of-options', options.to]
  if (options.from) args.push(`^${options.from}`)
  args.push('--')
  if (options.paths && options.paths.length > 0) args.push(...options.paths)
  const commits: RawCommit[] = []
  const result = await streamRecords('git', args, {
    cwd: options.cwd,
    // Into a pipe git flushes after every commit: thousands of tiny writes, each a wake-up of
    // ours (measured: ~1,800 reads for 5,000 commits, 140 with block buffering, a third faster).
    env: { GIT_FLUSH: '0' },
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? 120_000,
    onRecord: record => {
      const commit = parseRecord(record)
      if (!commit) return
      commits.push(commit)
      options.onCommit?.(commit)
    }
  })
  // A stop that came before git could be killed (or before it set up its process group) must
  // still fail the read: the caller asked for no answer.
  if (options.signal?.aborted)
    throw new CommandError(`git ${args[0]} was stopped: ${describeFailure(result)}`, result)
  if (result.exitCode === 0) return commits
  if (result.spawnErrorCode === 'ENOENT')
    throw new MissingProgramError(describeFailure(result), result)
  throw new CommandError(describeFailure(result), result)
}

const STDERR_TAIL = 64 * 1024

/**
 * Runs a program without a shell (as `run` does: minimal environment, its own process group,
 * stopped with the action) and hands each NUL-terminated record of its output to `onRecord` as
 * it arrives, URL passwords redacted as `run` redacts its output.
 */
export function streamRecords(
  command: string,
  args: string[],
  options: {
    cwd: string
    timeoutMs: number
    /** Extra variables over the minimal environment, as `run` takes them. */
    env?: Record<string, string>
    /** Kills the program (its process group), as the deadline does. */
    signal?: AbortSignal
    onRecord: (record: string) => void
  }
): Promise<RunResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = trackChild(
      spawn(command, args, {
        cwd: options.cwd,
        env: spawnEnvironment(options.env),
        stdio: ['ignore', 'pipe', 'pipe'],
        shell: false,
        detached: true
      }),
      { processGroup: true }
    )
    const decoder = new StringDecoder('utf8')
    let pending = ''
    let stderr = ''
    let timedOut = false
    let failure: unknown
    const kill = (): void => {
      try {
        // The whole group: git may have started a helper of its own.
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // No group yet (git has not reached setsid) or it exited meanwhile: git itself.
        child.kill('SIGKILL')
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      kill()
    }, options.timeoutMs)
    if (options.signal?.aborted) kill()
    options.signal?.addEventListener('abort', kill, { once: true })
    const deliver = (text: string): void => {
      pending += text
      let at = 0
      for (let end = pending.indexOf('\0'); end !== -1; end = pending.indexOf('\0', at)) {
        const record = pending.slice(at, end)
        at = end + 1
        // A record can hold a URL with a password; `run` would have redacted it too.
        if (failure === undefined)
          try {
            options.onRecord(record.includes('://') ? redactUrlPasswords(record) : record)
          } catch (error) {
            // A consumer's error ends the read once git is done; it must not kill the stream.
            failure = error
          }
      }
      pending = pending.slice(at)
    }
    child.stdout.on('data', (chunk: Buffer) => deliver(decoder.write(chunk)))
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)
    })
    const finish = (
      exitCode: number | null,
      signal: NodeJS.Signals | null,
      spawnError?: Error
    ): void => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', kill)
      // Output that did not end with NUL is still a record.
      const rest = `${pending}${decoder.end()}`
      pending = ''
      if (rest) deliver(`${rest}\0`)
      if (failure !== undefined) {
        reject(failure instanceof Error ? failure : new Error(String(failure)))
        return
      }
      resolve({
        command,
        args,
        exitCode,
        signal,
        stdout: '',
        stderr: redactUrlPasswords(spawnError ? `${stderr}${spawnError.message}` : stderr),
        timedOut,
        durationMs: Date.now() - started,
        ...(spawnError ? { spawnErrorCode: (spawnError as NodeJS.ErrnoException).code } : {})
      })
    }
    child.on('error', error => finish(null, null, error))
    child.on('close', (code, signal) => finish(code, signal))
  })
}

/** Splits `git log -z` output (records ended by NUL) into commits. */
export function parseLog(text: string): RawCommit[] {
  const commits: RawCommit[] = []
  let at = 0
  while (at < text.length) {
    let end = text.indexOf('\0', at)
    if (end === -1) end = text.length
    const commit = parseRecord(text.slice(at, end))
    if (commit) commits.push(commit)
    at = end + 1
  }
  return commits
}

/** One `LOG_FORMAT` record, split with indexOf (no regex, no arrays per commit); blank records are skipped. */
function parseRecord(record: string): RawCommit | undefined {
  // git separates records with NUL and a newline; tolerate either.
  const at = record.charCodeAt(0) === 10 ? 1 : 0
  const hashEnd = record.indexOf(FIELD, at)
  const parentsEnd = hashEnd === -1 ? -1 : record.indexOf(FIELD, hashEnd + 1)
  const dateEnd = parentsEnd === -1 ? -1 : record.indexOf(FIELD, parentsEnd + 1)
  const authorEnd = dateEnd === -1 ? -1 : record.indexOf(FIELD, dateEnd + 1)
  if (authorEnd === -1) return undefined
  const parents = record.slice(hashEnd + 1, parentsEnd)
  return {
    hash: record.slice(at, hashEnd),
    parents: parents ? parents.split(' ') : [],
    date: record.slice(parentsEnd + 1, dateEnd),
    author: record.slice(dateEnd + 1, authorEnd),
    message: record.slice(authorEnd + 1)
  }
}
