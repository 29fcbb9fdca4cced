import { createHmac } from 'node:crypto'

/**
 * Host key verification against an OpenSSH known_hosts text (the `known-hosts` input).
 * Supports plain and hashed (`|1|salt|hash`) host patterns, `[host]:port` for non-22 ports,
 * comma-separated patterns and `*`/`?` wildcards; ignores comments and @revoked/@cert-authority
 * markers (a marker line never grants trust).
 */
export interface KnownHostKey {
  type: string
  key: Buffer
}

export function parseKnownHosts(text: string): { patterns: string; type: string; key: Buffer }[] {
  const entries: { patterns: string; type: string; key: Buffer }[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('@')) continue
    const [patterns, type, key] = line.split(/\s+/)
    if (!patterns || !type || !key) continue
    entries.push({ patterns, type, key: Buffer.from(key, 'base64') })
  }
  return entries
}

/** The keys known_hosts lists for this host and port. */
export function keysFor(text: string, host: string, port: number): KnownHostKey[] {
  const name = port === 22 ? host : `[${host}]:${port}`
  return parseKnownHosts(text)
    .filter(entry => matches(entry.patterns, name))
    .map(entry => ({ type: entry.type, key: entry.key }))
}

function matches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|')
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64')
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

/** True when the presented key is one of the known keys. Constant work per key. */
export function isKnownKey(text: string, host: string, port: number, presented: Buffer): boolean {
  return keysFor(text, host, port).some(known => known.key.equals(presented))
}
