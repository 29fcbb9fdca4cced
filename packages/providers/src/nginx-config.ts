import type { Target, Weights } from './types.js'

/**
 * Renders the upstream include Slipway owns. nginx has no weight 0, so a drained server is
 * written `down` (kept in the file so the target stays visible). nginx refuses an upstream
 * whose servers are all down; the strategies never ask for that, and `nginx -t` would catch it.
 */
export function renderUpstream(name: string, targets: Target[], weights: Weights): string {
  const lines = targets.map(target => {
    if (!target.address)
      throw new Error(`target ${target.name} has no address for the nginx upstream`)
    const weight = weights[target.name] ?? 0
    const suffix = weight > 0 ? `weight=${weight}` : 'down'
    return `    server ${target.address} ${suffix}; # ${target.name}`
  })
  return [
    '# Managed by Slipway (deploy-strategy). Changes here are overwritten on the next deploy.',
    `upstream ${name} {`,
    ...lines,
    '}',
    ''
  ].join('\n')
}

/** Reads the weights back from a rendered include (the `# name` comments identify targets). */
export function parseUpstream(text: string): Weights {
  const weights: Weights = {}
  for (const match of text.matchAll(/server\s+\S+\s+(?:weight=(\d+)|down);\s*#\s*(\S+)/g)) {
    weights[match[2]] = match[1] ? Number(match[1]) : 0
  }
  return weights
}
