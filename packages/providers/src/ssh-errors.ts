import { UserError } from '@slipway/kit'
import type { SshDestination } from './ssh.js'

/**
 * The SSH failures a user can fix (a host key, a login key, a host that does not answer, a path on
 * the host), each with what to do. Whatever else goes wrong in a session stays a plain Error.
 */

/** How the user fetches the host's key for the `known-hosts` input. */
function keyscan({ host, port }: SshDestination): string {
  return port === 22 ? `ssh-keyscan ${host}` : `ssh-keyscan -p ${port} ${host}`
}

export type HostKeyRefusal =
  'not-listed' | 'revoked-listed' | 'certificate-only' | 'revoked-presented' | 'mismatch'

/** known_hosts refused the host: what the `known-hosts` input should hold instead. */
export function hostKeyRefused(
  message: string,
  why: HostKeyRefusal,
  destination: SshDestination
): UserError {
  const scan = `\`${keyscan(destination)}\``
  const hints: Record<HostKeyRefusal, string> = {
    'not-listed': `add the host's key to the \`known-hosts\` input (${scan}, checked against the host's own fingerprint).`,
    'revoked-listed': `list the host's current key in the \`known-hosts\` input (${scan}), or drop the @revoked line if that key was revoked by mistake.`,
    'certificate-only': `add a line with the host's own key to the \`known-hosts\` input (${scan}).`,
    'revoked-presented': `give ${destination.host} a new host key and list it in the \`known-hosts\` input: the one it presents is revoked.`,
    mismatch: `if ${destination.host}'s host key changed on purpose, replace its line in the \`known-hosts\` input (${scan}); otherwise find out what answers at ${destination.host}:${destination.port}.`
  }
  return new UserError(message, hints[why])
}

// ssh2's message when the server took none of the keys it was offered.
const AUTHENTICATION_FAILED = /authentication methods failed/i
// The host (or the name) does not answer: down, firewalled, sshd not listening, a typo.
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT'
])
const HANDSHAKE_TIMEOUT = /timed out while waiting for handshake/i

/**
 * A failed connection, as the user can act on it: refused credentials and hosts that do not
 * answer are theirs to fix; anything else is returned as a plain Error.
 */
export function connectionFailed(
  message: string,
  error: Error & { code?: string; level?: string },
  destination: SshDestination
): Error {
  const { user, host, port } = destination
  if (AUTHENTICATION_FAILED.test(error.message))
    return new UserError(
      message,
      `put the public half of the \`ssh-private-key\` input in ~${user}/.ssh/authorized_keys on ${host} (or give the key that is there).`
    )
  if ((error.code && UNREACHABLE_CODES.has(error.code)) || HANDSHAKE_TIMEOUT.test(error.message))
    return new UserError(
      message,
      `check that ${host} is up, that its name is right and that sshd listens on port ${port}, reachable from the runner.`
    )
  return new Error(message)
}

// SFTP status codes (and shell messages) that mean the user's path or the login's rights.
const SFTP_PERMISSION_DENIED = 3
const SHELL_PATH_TROUBLE =
  /permission denied|read-only file system|no such file|not a directory|no space left/i

/**
 * A file operation on the host that failed for a reason the host's owner can fix (rights, a
 * read-only or full disk, a missing directory) is a UserError; anything else stays an Error.
 */
export function fileOperationFailed(
  message: string,
  reason: { code?: number | string; text: string },
  destination: SshDestination
): Error {
  if (reason.code === SFTP_PERMISSION_DENIED || SHELL_PATH_TROUBLE.test(reason.text))
    return new UserError(
      message,
      `check that ${destination.user} on ${destination.host} may use that path (its rights, a full or read-only disk), or choose another path.`
    )
  return new Error(message)
}
