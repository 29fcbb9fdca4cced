import { InputError } from '@slipway/kit'

/** One Alertmanager matcher: `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`. */
export interface Matcher {
  name: string
  operator: '=' | '!=' | '=~' | '!~'
  value: string
}

const EXPECTED =
  'Alertmanager matchers separated by commas, such as service="shop", severity=~"critical|page" (operators =, !=, =~, !~)'

/**
 * Parses the matcher syntax Alertmanager documents (amtool, routes, silences): comma separated,
 * optionally inside one pair of braces, values quoted (with \" and \\ escapes) or bare. A
 * malformed list is an InputError naming `input`, so a typo fails before any request.
 */
export function parseMatchers(text: string, input: string): Matcher[] {
  let rest = text.trim()
  if (rest.startsWith('{')) {
    if (!rest.endsWith('}')) throw new InputError(input, EXPECTED, text)
    rest = rest.slice(1, -1).trim()
  }
  const matchers: Matcher[] = []
  // Bounded: every pass consumes at least one matcher's text or throws.
  while (rest.length > 0) {
    const head = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*/.exec(rest)
    if (!head) throw new InputError(input, EXPECTED, text)
    rest = rest.slice(head[0].length)
    let value: string
    if (rest.startsWith('"')) {
      const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(rest)
      if (!quoted) throw new InputError(input, EXPECTED, text)
      value = quoted[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
      rest = rest.slice(quoted[0].length)
    } else {
      // Bare values stop at an operator character: `service==shop` is a typo, not "=shop".
      const bare = /^[^,"{}\s=!~]*/.exec(rest)![0]
      value = bare
      rest = rest.slice(bare.length)
    }
    const operator = head[2] as Matcher['operator']
    if (operator === '=~' || operator === '!~') {
      try {
        new RegExp(`^(?:${value})$`)
      } catch {
        throw new InputError(
          input,
          `${EXPECTED}; a valid regular expression after ${operator}`,
          text
        )
      }
    }
    matchers.push({ name: head[1], operator, value })
    rest = rest.trimStart()
    if (rest.startsWith(',')) {
      rest = rest.slice(1).trimStart()
      if (rest.length === 0) throw new InputError(input, EXPECTED, text)
    } else if (rest.length > 0) throw new InputError(input, EXPECTED, text)
  }
  if (matchers.length === 0) throw new InputError(input, EXPECTED, text)
  return matchers
}

/** A matcher as Alertmanager's `filter` query parameter takes it. */
export function formatMatcher(matcher: Matcher): string {
  return `${matcher.name}${matcher.operator}${JSON.stringify(matcher.value)}`
}

/** Whether a label set satisfies every matcher (regexes are anchored, as in Alertmanager). */
export function matchesAll(labels: Record<string, string>, matchers: Matcher[]): boolean {
  return matchers.every(m => {
    const value = labels[m.name] ?? ''
    switch (m.operator) {
      case '=':
        return value === m.value
      case '!=':
        return value !== m.value
      case '=~':
        return new RegExp(`^(?:${m.value})$`).test(value)
      case '!~':
        return !new RegExp(`^(?:${m.value})$`).test(value)
    }
  })
}
