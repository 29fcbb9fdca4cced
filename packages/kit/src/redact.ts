import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Keeps secrets out of logs, summaries and error messages. The runner masks values
 * registered with `core.setSecret`, but our own text (summaries, JSON reports, errors
 * thrown before registration) must be clean on its own, and the CLI has no runner.
 */
export class Redactor {
  private readonly secrets = new Set<string>()

  /** Registers a secret. Values shorter than 4 characters would redact ordinary text, so they are skipped. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return
    this.secrets.add(secret)
    // Percent-encoded forms appear inside URLs.
    const encoded = encodeURIComponent(secret)
    if (encoded !== secret) this.secrets.add(encoded)
    // Escaped forms appear inside JSON outputs and reports (a quote or backslash in a token).
    const json = JSON.stringify(secret).slice(1, -1)
    if (json !== secret) this.secrets.add(json)
  }

  /** Registers the password (and token-like user) found inside a URL. */
  addUrlCredentials(url: string): void {
    for (const secret of urlCredentials(url)) this.add(secret)
  }

  get values(): string[] {
    return [...this.secrets]
  }

  redact(text: string): string {
    let result = redactUrlPasswords(text)
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join('***')
    }
    return result
  }

  /**
   * A copy of a value with every string in it redacted (objects and arrays walked). Redacting
   * before a value is rendered (JSON, XML) catches a secret that the rendering would escape.
   */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return value.map(item => this.redactValue(item)) as T
    if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
      const copy: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) copy[key] = this.redactValue(item)
      return copy as T
    }
    return value
  }
}

/**
 * `scheme://user:password@host`, written by people rather than encoders: the password may hold
 * `/` or a raw `@` (so the URL parser rejects it, and an error message then quotes it whole). It
 * ends at the first `@` that is followed by a host: a run without `@` up to a `/ ? #`, white
 * space or the end, so an `@` in a later path or query is not mistaken for it.
 */
const URL_WITH_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):(\S+?)@(?=[^\s@/?#]*(?:[/?#\s]|$))/gi

/** Replaces the password part of every `scheme://user:password@host` in the text. */
export function redactUrlPasswords(text: string): string {
  return text.replace(URL_WITH_PASSWORD, '$1:***@')
}

/** The password of a URL (decoded and as written), if it has one — even when the URL does not parse. */
export function urlCredentials(url: string): string[] {
  let password: string
  try {
    password = new URL(url).password
  } catch {
    password = new RegExp(URL_WITH_PASSWORD.source, 'i').exec(url)?.[2] ?? ''
  }
  if (!password) return []
  let decoded = password
  try {
    decoded = decodeURIComponent(password)
  } catch {
    // A stray % in a hand-written password: it is its own literal form.
  }
  return decoded === password ? [password] : [decoded, password]
}

/**
 * Writes a report file (JUnit, JSON) other tools will read and upload: the text is redacted
 * first, the directory created, and the file kept private to the runner's user.
 */
export function writeRedactedFile(path: string, content: string, redactor: Redactor): string {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, redactor.redact(content), { mode: 0o600 })
  return path
}
