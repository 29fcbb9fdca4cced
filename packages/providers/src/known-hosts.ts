/**
 * Host key verification against an OpenSSH known_hosts text (the `known-hosts` input).
 * Supports plain and hashed (`|1|salt|hash`) host patterns, `[host]:port` for non-22 ports,
 * comma-separated patterns, `*`/`?` wildcards and `!negation`; ignores comments.
 *
 * Markers:
 * - `@revoked`: the key is refused, for every host, even when another line trusts it (a
 *   revoked key is a leaked key; where it was meant to be revoked does not make it safe).
 * - `@cert-authority`: host certificates are NOT supported (the SSH library verifies plain host
 *   keys only). Such a line never grants trust, and a host that only a CA line covers is refused
 *   with a message saying so, instead of a misleading "no key".
 */
export interface KnownHostKey {
  type: string
  key: Buffer
}

interface Line {
  marker?: 'revoked' | 'cert-authority'
  patterns: string
  type: string
  key: Buffer
}

function parseLines(text: string): Line[] {
  const lines: Line[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const fields = line.split(/\s+/)
    let marker: Line['marker']
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1)
      // An unknown marker is not a host key line: skip it rather than trust it.
      if (name !== 'revoked' && name !== 'cert-authority') continue
      marker = name
    }
    const [patterns, type, key] = fields
    if (!patterns || !type || !key) continue
    lines.push({ marker, patterns, type, key: Buffer.from(key, 'base64') })
  }
  return lines
}

/** The plain host key lines (markers excluded). */
export function parseKnownHosts(text: string): { patterns: string; type: string; key: Buffer }[] {
  return parseLines(text)
    .filter(line => line.marker === undefined)
    .map(({ patterns, type, key }) => ({ patterns, type, key }))
}

function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** The keys `@revoked` lines list, whatever their host patterns. */
export function revokedKeys(text: string): Buffer[] {
  return parseLines(text)
    .filter(line => line.marker === 'revoked')
    .map(line => line.key)
}

/**
 * The keys known_hosts trusts for this host and port: matching plain lines, revoked keys
 * removed (kept with `includeRevoked`, to tell "none listed" from "all revoked").
 */
export function keysFor(
  text: string,
  host: string,
  port: number,
  options: { includeRevoked?: boolean } = {}
): KnownHostKey[] {
  const name = hostName(host, port)
  const revoked = options.includeRevoked ? [] : revokedKeys(text)
  return parseKnownHosts(text)
    .filter(entry => matches(entry.patterns, name))
    .filter(entry => !revoked.some(key => key.equals(entry.key)))
    .map(entry => ({ type: entry.type, key: entry.key }))
}

/** True when a `@cert-authority` line covers this host (certificates are not supported). */
export function hasCertificateAuthority(text: string, host: string, port: number): boolean {
  const name = hostName(host, port)
  return parseLines(text).some(
    line => line.marker === 'cert-authority' && matches(line.patterns, name)
  )
}

/** True when the presented key is revoked by an `@revoked` line. */
export function isRevokedKey(text: string, presented: Buffer): boolean {
  return revokedKeys(text).some(key => key.equals(presented))
}

function matches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|')
    // node:crypto costs milliseconds to load: taken for a hashed host name, not with the module.
    const digest = process
      .getBuiltinModule('node:crypto')
      .createHmac('sha1', Buffer.from(salt, 'base64'))
      .update(name)
      .digest('base64')
    return digest === hash
  }
  let matched = false
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!')
    const body = negated ? pattern.slice(1) : pattern
    const regex = new RegExp(
      `^${body
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`
    )
    if (regex.test(name)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

/** True when the presented key is one of the trusted keys for the host and is not revoked. */
export function isKnownKey(text: string, host: string, port: number, presented: Buffer): boolean {
  if (isRevokedKey(text, presented)) return false
  return keysFor(text, host, port).some(known => known.key.equals(presented))
}
