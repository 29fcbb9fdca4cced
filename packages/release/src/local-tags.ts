import { run } from '@slipway/kit'
import { ReleaseConflict } from './port.js'

/**
 * Tags in the local repository, for the file-backed release store: a tag the CLI's release
 * creates is a real tag of the checkout, so the next release (which reads tags from git) sees
 * it. Programs run with argument arrays, never a shell.
 */

// Tagger identity when none is configured (git refuses an annotated tag without one).
const IDENTITY = {
  GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? 'slipway',
  GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? 'slipway@localhost'
}

function git(cwd: string, args: string[], input?: string) {
  return run('git', args, { cwd, input, env: IDENTITY, timeoutMs: 30_000 })
}

/** The commit `refs/tags/<tag>` points to (annotated tags peeled), or undefined. */
export async function localTagCommit(cwd: string, tag: string): Promise<string | undefined> {
  const parsed = await git(cwd, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`])
  return parsed.exitCode === 0 ? parsed.stdout.trim() : undefined
}

async function objectExists(cwd: string, sha: string): Promise<boolean> {
  return (await git(cwd, ['cat-file', '-e', sha])).exitCode === 0
}

/** Writes an annotated tag object (`git mktag`, the way the API's POST git/tags does) and returns its sha. */
async function makeTagObject(
  cwd: string,
  tag: string,
  object: string,
  message: string
): Promise<string> {
  const tagger = `${IDENTITY.GIT_COMMITTER_NAME} <${IDENTITY.GIT_COMMITTER_EMAIL}> ${Math.floor(Date.now() / 1000)} +0000`
  const text = message.endsWith('\n') ? message : `${message}\n`
  const body = `object ${object}\ntype commit\ntag ${tag}\ntagger ${tagger}\n\n${text}`
  const made = await git(cwd, ['mktag'], body)
  if (made.exitCode !== 0) throw new Error(made.stderr.trim() || 'git mktag failed')
  return made.stdout.trim()
}

async function requireObject(cwd: string, sha: string): Promise<void> {
  if (!(await objectExists(cwd, sha)))
    throw new ReleaseConflict(`${sha} is not an object of the repository in ${cwd}`)
}

/** Creates `refs/tags/<tag>` at `sha`; a ref that exists already is a conflict. */
export async function createLocalTagRef(cwd: string, tag: string, sha: string): Promise<void> {
  await requireObject(cwd, sha)
  // The empty old value makes update-ref refuse a ref that exists.
  const made = await git(cwd, ['update-ref', `refs/tags/${tag}`, sha, ''])
  if (made.exitCode !== 0) throw new ReleaseConflict(`Tag ${tag} already exists in ${cwd}`)
}

export async function createLocalAnnotatedTag(
  cwd: string,
  tag: string,
  sha: string,
  message: string
): Promise<void> {
  await requireObject(cwd, sha)
  await createLocalTagRef(cwd, tag, await makeTagObject(cwd, tag, sha, message))
}

export async function moveLocalTagRef(cwd: string, tag: string, sha: string): Promise<void> {
  await requireObject(cwd, sha)
  const moved = await git(cwd, ['update-ref', `refs/tags/${tag}`, sha])
  if (moved.exitCode !== 0) throw new Error(moved.stderr.trim() || `could not move tag ${tag}`)
}
