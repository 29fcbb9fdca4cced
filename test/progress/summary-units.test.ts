// Summaries read without expanding anything: no empty header row above key/value facts, sizes
// and rates in human units.
import { describe, expect, it } from '@jest/globals'
import { formatByteRate, formatBytes, SummaryBuilder } from '@slipway/kit'

/** A GitHub table's header line: the first line of each block of `|` lines. */
function headerLines(markdown: string): string[] {
  return markdown
    .split('\n\n')
    .filter(block => block.startsWith('|'))
    .map(block => block.split('\n')[0])
}

describe('key/value facts', () => {
  it('a table without header texts becomes facts, with no empty header row', () => {
    const markdown = new SummaryBuilder()
      .table(
        ['', ''],
        [
          ['Version', 'v2'],
          ['Note', 'a | b\nc']
        ]
      )
      .toString()
    expect(markdown).toBe('**Version:** v2  \n**Note:** a \\| b<br>c\n')
    expect(headerLines(markdown)).toEqual([])
  })

  it('a table with header texts stays a table', () => {
    const markdown = new SummaryBuilder().table(['', 'Check'], [['✅', 'api']]).toString()
    expect(headerLines(markdown)).toEqual(['|  | Check |'])
  })
})

describe('human units', () => {
  it('sizes', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1500)).toBe('1.5 kB')
    expect(formatBytes(42_000_000)).toBe('42.0 MB')
    expect(formatBytes(1_234_000_000)).toBe('1.2 GB')
  })

  it('rates', () => {
    expect(formatByteRate(84_000_000, 2000)).toBe('42.0 MB/s')
    expect(formatByteRate(10, 0)).toBe('—')
  })
})
