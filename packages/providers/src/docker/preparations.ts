import type { Redactor } from '@slipway/kit'

/**
 * What the last prepare of each target did on each host, for Provider.prepared(): the rollback
 * summary and the deploy timeline say whether a kept container started or an image ran.
 */
export class Preparations {
  private readonly byTarget = new Map<string, Map<string, string>>()

  /** A prepare of the target begins: what an earlier one did no longer holds. */
  begin(target: string): (host: string, done: string) => void {
    const done = new Map<string, string>()
    this.byTarget.set(target, done)
    return (host, what) => done.set(host, what)
  }

  /** `web1: …; web2: …` in the given host order, redacted; undefined before any prepare. */
  report(target: string, hostOrder: string[], redactor?: Redactor): string | undefined {
    const done = this.byTarget.get(target)
    if (!done || done.size === 0) return undefined
    const text = hostOrder
      .filter(host => done.has(host))
      .map(host => `${host}: ${done.get(host)}`)
      .join('; ')
    return redactor ? redactor.redact(text) : text
  }
}
