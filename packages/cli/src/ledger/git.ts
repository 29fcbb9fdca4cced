import { run } from '@slipway/kit'

/**
 * The git endpoints of the local ledger map onto the local repository, so a tag the CLI's
 * release creates is a real tag there, and the next `slipway release` (which reads tags from
 * git) sees it. Programs run with argument arrays, never a shell.
 */
export interface GitObject {
  sha: string
  type: string
}

const IDENTITY = {
  GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? 'slipway',
  GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? 'slipway@localhost'
}

export async function git(cwd: string, args: string[], input?: string) {
  return run('git', args, { cwd, input, env: IDENTITY, timeoutMs: 30_000 })
}

export async function readRef(cwd: string, ref: string): Promise<GitObject | undefined> {
  const parsed = await git(cwd, ['rev-parse', '--verify', '--quiet', `refs/${ref}`])
  if (parsed.exitCode !== 0) return undefined
  const sha = parsed.stdout.trim()
  const type = (await git(cwd, ['cat-file', '-t', sha])).stdout.trim()
  return { sha, type }
}

export async function matchingRefs(
  cwd: string,
  prefix: string
): Promise<{ ref: string; object: GitObject }[]> {
  const listed = await git(cwd, [
    'for-each-ref',
    '--format=%(refname) %(objectname) %(objecttype)',
    `refs/${prefix}`
  ])
  return listed.stdout
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const [ref, sha, type] = line.split(' ')
      return { ref, object: { sha, type } }
    })
    .filter(entry => entry.ref.startsWith(`refs/${prefix}`))
}

/** Writes an annotated tag object (`git mktag`) and returns its sha. */
export async function makeTag(
  cwd: string,
  tag: {
    tag: string
    message: string
    object: string
    type?: string
    tagger?: { name?: string; email?: string }
  }
): Promise<string> {
  const type = tag.type ?? 'commit'
  const name = tag.tagger?.name ?? IDENTITY.GIT_COMMITTER_NAME
  const email = tag.tagger?.email ?? IDENTITY.GIT_COMMITTER_EMAIL
  const body = `object ${tag.object}\ntype ${type}\ntag ${tag.tag}\ntagger ${name} <${email}> ${Math.floor(Date.now() / 1000)} +0000\n\n${tag.message.endsWith('\n') ? tag.message : `${tag.message}\n`}`
  const made = await git(cwd, ['mktag'], body)
  if (made.exitCode !== 0) throw new Error(made.stderr.trim() || 'git mktag failed')
  return made.stdout.trim()
}

export async function readTag(cwd: string, sha: string) {
  const shown = await git(cwd, ['cat-file', 'tag', sha])
  if (shown.exitCode !== 0) return undefined
  const [head, ...rest] = shown.stdout.split('\n\n')
  const fields = Object.fromEntries(
    head
      .split('\n')
      .map(line => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)])
  )
  const tagger = /^(.*) <(.*)> (\d+)/.exec(fields.tagger ?? '')
  return {
    sha,
    tag: fields.tag,
    message: rest.join('\n\n'),
    object: { sha: fields.object, type: fields.type },
    tagger: tagger
      ? {
          name: tagger[1],
          email: tagger[2],
          date: new Date(Number(tagger[3]) * 1000).toISOString()
        }
      : undefined
  }
}

/** Creates (`old` = '' refuses an existing ref) or moves a ref. */
export async function updateRef(
  cwd: string,
  ref: string,
  sha: string,
  createOnly: boolean
): Promise<boolean> {
  const args = ['update-ref', ref, sha]
  if (createOnly) args.push('')
  return (await git(cwd, args)).exitCode === 0
}

export async function objectExists(cwd: string, sha: string): Promise<boolean> {
  return (await git(cwd, ['cat-file', '-e', sha])).exitCode === 0
}

export async function deleteRef(cwd: string, ref: string): Promise<boolean> {
  return (await git(cwd, ['update-ref', '-d', ref])).exitCode === 0
}
