import { ACTION_DOCS } from './action-inputs.js'
import { GLOBAL_FLAGS } from './args.js'
import { COMMANDS } from './commands.js'
import { STATUS_DOC } from './status/command.js'

const wrap = (text: string, indent: number, width = 100): string => {
  const words = text.split(/\s+/)
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    if (line && line.length + word.length + 1 > width - indent) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.join(`\n${' '.repeat(indent)}`)
}

export const EXIT_CODES = `Exit codes:
  0  success
  1  a check failed, the step failed, or an input value is invalid (the message names the input)
  2  usage: unknown command or option, or an option without its value`

export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map(c => c.length))
  return `slipway — Slipway's deployment and release stages outside GitHub Actions (GitLab CI, Jenkins, a laptop)

Usage: slipway <command> [--input-name value …] [--config slipway.yml --environment NAME] [--json]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${wrap(c.summary, width + 4)}`)
  .join('\n')}

Every option of a command is an input of the GitHub Action of the same stage, under the same
name (\`with: { strategy: canary }\` is \`--strategy canary\`). \`slipway <command> --help\` lists them.

Common options:
${Object.entries(GLOBAL_FLAGS)
  .map(
    ([name, f]) => `  --${(name + (f.value ? ' VALUE' : '')).padEnd(20)} ${wrap(f.description, 25)}`
  )
  .join('\n')}

Without GITHUB_TOKEN (or --token), a local ledger file (.slipway/ledger.json) stands in for
GitHub Deployments and Releases, and tags are created in the local git repository.

${EXIT_CODES}
`
}

export function commandHelp(name: string): string {
  const command = COMMANDS[name]
  const doc = name === 'status' ? STATUS_DOC : ACTION_DOCS[name]
  const inputs = Object.entries(doc?.inputs ?? {})
  const width = Math.min(32, Math.max(10, ...inputs.map(([n]) => n.length + 2)))
  return `slipway ${name} — ${command.summary}

Usage: slipway ${name} [options]

Examples:
${command.examples.map(e => `  ${e}`).join('\n')}

Options${name === 'status' ? '' : ` (the inputs of the ${doc?.action ?? name} action)`}:
${
  inputs.length === 0
    ? '  (not available in this build)'
    : inputs
        .map(([input, spec]) => {
          const flag = `--${input}`.padEnd(width)
          const extra = [
            spec.required ? 'required' : undefined,
            spec.default !== undefined && spec.default !== ''
              ? `default: ${spec.default}`
              : undefined
          ]
            .filter(Boolean)
            .join(', ')
          return `  ${flag} ${wrap(spec.description + (extra ? ` (${extra})` : ''), width + 3)}`
        })
        .join('\n')
}

Common options: ${Object.keys(GLOBAL_FLAGS)
    .map(f => `--${f}`)
    .join(' ')}
${doc?.outputs.length ? `\nOutputs (with --json): ${doc.outputs.join(', ')}\n` : ''}
${EXIT_CODES}
`
}
