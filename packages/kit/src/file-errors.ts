import { UserError } from './errors.js'

// The file system's answers that mean a path the user named: absent, not a directory where one
// is needed, or not theirs to read or write. Anything else (EIO, EMFILE…) stays as it was.
const USER_FIXABLE: Record<string, string> = {
  ENOENT: 'check the path: it does not exist on this machine.',
  ENOTDIR: 'check the path: a part of it is a file, not a directory.',
  // mkdir's answer when a file stands where a directory of the path should be.
  EEXIST: 'check the path: a part of it is a file, not a directory.',
  EISDIR: 'check the path: it names a directory, not a file.',
  EACCES: 'give the job’s user the right to use that path, or choose another one.',
  EPERM: 'give the job’s user the right to use that path, or choose another one.',
  EROFS: 'choose a path on a writable file system.',
  ENOSPC: 'free space on that disk, or choose a path on another one.'
}

/**
 * A file operation's error as the user can act on it: the same message, a UserError with a hint
 * when the cause is the path or its rights, the original error (as cause) kept.
 */
export function fileError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const hint = code === undefined ? undefined : USER_FIXABLE[code]
  if (hint === undefined) return error
  const refused = new UserError((error as Error).message, hint)
  refused.cause = error
  return refused
}
