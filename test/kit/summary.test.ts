import { describe, expect, it } from '@jest/globals'
import { link, SummaryBuilder } from '@slipway/kit'

describe('SummaryBuilder', () => {
  it('renders tables with escaped cells', () => {
    const markdown = new SummaryBuilder()
      .heading('Preflight')
      .table(
        ['check', 'message'],
        [
          ['a|b', 'line1\nline2'],
          ['c', undefined]
        ]
      )
      .toString()
    expect(markdown).toBe(
      '## Preflight\n\n| check | message |\n| --- | --- |\n| a\\|b | line1<br>line2 |\n| c |  |\n'
    )
  })

  it('omits empty tables and lists', () => {
    expect(new SummaryBuilder().table(['a'], []).list([]).toString()).toBe('\n')
  })

  it('renders details, mermaid and links', () => {
    const markdown = new SummaryBuilder()
      .details('Plan <json>', '```json\n{}\n```')
      .mermaid('gantt\n  title Deploy')
      .paragraph(link('run [1]', 'https://github.com/o/r/actions/runs/1'))
      .toString()
    expect(markdown).toContain('<details><summary>Plan &lt;json&gt;</summary>')
    expect(markdown).toContain('```mermaid\ngantt\n  title Deploy\n```')
    expect(markdown).toContain('[run 1](https://github.com/o/r/actions/runs/1)')
  })
})
