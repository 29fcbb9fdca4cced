import { appendFileSync } from 'node:fs'

export type Cell = string | number | boolean | undefined | null

/**
 * Builds a job summary in GitHub-flavoured Markdown. Kept free of @actions/core so the
 * same summaries render in the CLI and in tests; `writeStepSummary` appends it for the runner.
 */
export class SummaryBuilder {
  private readonly parts: string[] = []

  heading(text: string, level: 1 | 2 | 3 | 4 = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${text}`)
    return this
  }

  paragraph(text: string): this {
    this.parts.push(text)
    return this
  }

  /**
   * A table; cells are escaped so a `|` or a new line in a value cannot break the layout.
   * GitHub renders a table's first line as its header, so a table without header texts (a
   * key/value table) would open with an empty row: it becomes `keyValues` instead.
   */
  table(headers: string[], rows: Cell[][]): this {
    if (rows.length === 0) return this
    if (headers.every(header => header.trim() === ''))
      return this.keyValues(
        rows.map(([key, ...values]) => [key, values.map(value => value ?? '').join(' · ')])
      )
    const line = (cells: Cell[]): string => `| ${cells.map(escapeCell).join(' | ')} |`
    this.parts.push(
      [line(headers), `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n')
    )
    return this
  }

  /** Facts as `**Key:** value` lines: a definition list, with no header row to leave empty. */
  keyValues(rows: [Cell, Cell][]): this {
    const lines = rows.map(([key, value]) => `**${escapeCell(key)}:** ${escapeCell(value)}`)
    // Two trailing spaces end a line without starting a paragraph, so the facts stay one block.
    if (lines.length > 0) this.parts.push(lines.join('  \n'))
    return this
  }

  list(items: string[]): this {
    if (items.length > 0) this.parts.push(items.map(item => `- ${item}`).join('\n'))
    return this
  }

  details(summary: string, body: string): this {
    this.parts.push(`<details><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`)
    return this
  }

  code(text: string, language = ''): this {
    const fence = text.includes('```') ? '````' : '```'
    this.parts.push(`${fence}${language}\n${text}\n${fence}`)
    return this
  }

  mermaid(diagram: string): this {
    return this.code(diagram, 'mermaid')
  }

  toString(): string {
    return `${this.parts.join('\n\n')}\n`
  }
}

export function escapeCell(cell: Cell): string {
  if (cell === undefined || cell === null) return ''
  return String(cell).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function link(text: string, url: string | undefined): string {
  return url ? `[${text.replace(/[[\]]/g, '')}](${url})` : text
}

/** Appends to the runner's step summary file, when there is one. */
export function writeStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.GITHUB_STEP_SUMMARY
  if (!file) return false
  appendFileSync(file, markdown)
  return true
}
