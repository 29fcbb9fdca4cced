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
}

const URL_WITH_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):([^\s@/]+)@/gi

/** Replaces the password part of every `scheme://user:password@host` in the text. */
export function redactUrlPasswords(text: string): string {
  return text.replace(URL_WITH_PASSWORD, '$1:***@')
}

/** The decoded password of a URL, if it has one. */
export function urlCredentials(url: string): string[] {
  try {
    const parsed = new URL(url)
    return parsed.password ? [decodeURIComponent(parsed.password), parsed.password] : []
  } catch {
    return []
  }
}
