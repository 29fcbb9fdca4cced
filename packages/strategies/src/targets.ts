import { InputError } from '@slipway/kit'
import { parseDestination, type Target } from '@slipway/providers'

const EXPECTED =
  'targets as `name[=host:port] [ssh=user@host[:port]]`, one per line or comma-separated'

/**
 * Parses the `targets` input: `blue=127.0.0.1:8081`, `web1=10.0.0.5:8080 ssh=deploy@10.0.0.5`.
 * Names become SLIPWAY_SLOT/SLIPWAY_HOST and nginx comments, so they are kept to [A-Za-z0-9._-].
 */
export function parseTargets(items: string[], input = 'targets'): Target[] {
  const seen = new Set<string>()
  return items.map(item => {
    const [head, ...rest] = item.trim().split(/\s+/)
    const match =
      /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:=(\[[0-9a-fA-F:]+\]:\d{1,5}|[A-Za-z0-9.-]+:\d{1,5}))?$/.exec(
        head
      )
    if (!match) throw new InputError(input, EXPECTED, item)
    const target: Target = { name: match[1], address: match[2] }
    for (const option of rest) {
      const ssh = /^ssh=(.+)$/.exec(option)
      if (!ssh || !parseDestination(ssh[1])) throw new InputError(input, EXPECTED, item)
      target.ssh = ssh[1] === 'local' ? undefined : ssh[1]
    }
    if (seen.has(target.name))
      throw new InputError(input, `${EXPECTED}; names must be unique`, item)
    seen.add(target.name)
    return target
  })
}
