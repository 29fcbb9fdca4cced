import type { CommandDoc } from './action-inputs.js'

/** A mistake in how the command was called (exit code 2), as opposed to a bad value (1). */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Options every command takes besides its action's inputs. */
export const GLOBAL_FLAGS = {
  config: {
    value: true,
    description:
      'Config file (slipway.yml): per-environment sections fill inputs not given as flags.'
  },
  environment: {
    value: true,
    description:
      'The environment: the config file section, and the input of commands that take one.'
  },
  json: {
    value: false,
    description:
      'Print {ok, outputs, error} as JSON on stdout (the summary goes to --summary-file).'
  },
  'summary-file': {
    value: true,
    description: 'Write the Markdown summary to this file instead of the terminal.'
  },
  token: {
    value: true,
    description:
      'GitHub token (default $GITHUB_TOKEN). Without one, the local ledger stands in for GitHub.'
  },
  repository: {
    value: true,
    description: 'owner/name (default $GITHUB_REPOSITORY, else local/<directory>).'
  },
  'api-url': {
    value: true,
    description: 'GitHub API URL (default $GITHUB_API_URL or https://api.github.com).'
  },
  ledger: {
    value: true,
    description: 'Local ledger file used without a token (default .slipway/ledger.json).'
  },
  quiet: { value: false, description: 'No progress on stderr (warnings and errors still).' },
  help: { value: false, description: 'Show help.' }
} as const

export type GlobalFlag = keyof typeof GLOBAL_FLAGS

export interface ParsedArgs {
  command?: string
  globals: Partial<Record<GlobalFlag, string>>
  inputs: Record<string, string>
}

/**
 * `slipway <command> [--input-name value | --input-name=value | --bool-input] …`. Flags are
 * the action's inputs under the same names; a boolean input may stand alone (`--dry-run`).
 * `--environment` is also the config file's section.
 */
export function parseArgs(argv: string[], docs: Record<string, CommandDoc>): ParsedArgs {
  const parsed: ParsedArgs = { globals: {}, inputs: {} }
  const rest = [...argv]
  if (rest[0] && !rest[0].startsWith('-')) parsed.command = rest.shift()
  const doc = parsed.command ? docs[parsed.command] : undefined
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]
    if (arg === '-h') {
      parsed.globals.help = 'true'
      continue
    }
    if (!arg.startsWith('--') || arg === '--')
      throw new UsageError(`unexpected argument '${arg}': options are --name value`)
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq > 0 ? eq : undefined)
    let value: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined
    const global = (GLOBAL_FLAGS as Record<string, { value: boolean }>)[name]
    const input = doc?.inputs[name]
    if (!global && !input) {
      if (!parsed.command) throw new UsageError(`unknown option --${name}`)
      const hint = nearest(name, [...Object.keys(doc?.inputs ?? {}), ...Object.keys(GLOBAL_FLAGS)])
      throw new UsageError(
        `unknown option --${name} for 'slipway ${parsed.command}'${hint ? ` (did you mean --${hint}?)` : ''}`
      )
    }
    const takesValue = global ? global.value : !input?.boolean
    if (value === undefined) {
      const next = rest[i + 1]
      if (takesValue) {
        if (next === undefined || (next.startsWith('--') && next.length > 2))
          throw new UsageError(`option --${name} needs a value`)
        value = rest[++i]
      } else if (input?.boolean && (next === 'true' || next === 'false')) value = rest[++i]
      else value = 'true'
    }
    if (global) parsed.globals[name as GlobalFlag] = value
    // --environment is both an input and the config section; keep it as an input too.
    if (input) parsed.inputs[name] = value
  }
  return parsed
}

/** The closest known name by edit distance, for "did you mean". */
function nearest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1
  for (const candidate of candidates) {
    const d = distance(name, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]
}
