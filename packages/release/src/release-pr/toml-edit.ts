import { parse } from 'smol-toml'

/**
 * smol-toml reads TOML faithfully but writes it back in its own layout (comments dropped,
 * tables reordered), so a version bump cannot be a parse → stringify round trip. The parser
 * says which table holds the version; the edit replaces only that value's text on its line;
 * parsing the result proves the file still means the same with the new version.
 */

type Table = Record<string, unknown>

function tableAt(doc: Table, path: readonly string[]): Table | undefined {
  let at: unknown = doc
  for (const key of path) {
    if (!at || typeof at !== 'object') return undefined
    at = (at as Table)[key]
  }
  return at && typeof at === 'object' ? (at as Table) : undefined
}

/** The first of `tables` (dotted paths such as `tool.poetry`) whose `version` is a string. */
export function tomlVersion(
  text: string,
  tables: readonly string[]
): { table: string; version: string } | undefined {
  const doc = parse(text) as Table
  for (const table of tables) {
    const version = tableAt(doc, table.split('.'))?.version
    if (typeof version === 'string') return { table, version }
  }
  return undefined
}

const HEADER = /^\s*\[\s*([A-Za-z0-9_.\-\s"]+?)\s*\]\s*(#.*)?$/
const VERSION_LINE = /^(\s*version\s*=\s*)(["'])([^"'\n]*)\2/

/** `text` with `[table].version` set to `next`, everything else byte for byte the same. */
export function setTomlVersion(text: string, table: string, next: string): string | undefined {
  const lines = text.split('\n')
  const wanted = table.split('.').join('.')
  let current = ''
  for (let n = 0; n < lines.length; n++) {
    const header = HEADER.exec(lines[n])
    if (header && !lines[n].trimStart().startsWith('[[')) {
      current = header[1].replace(/\s+/g, '').replace(/"/g, '')
      continue
    }
    if (current !== wanted) continue
    const line = VERSION_LINE.exec(lines[n])
    if (!line) continue
    lines[n] = `${line[1]}${line[2]}${next}${line[2]}${lines[n].slice(line[0].length)}`
    const edited = lines.join('\n')
    // Proof: the same document, with only this version changed.
    const before = parse(text) as Table
    const after = parse(edited) as Table
    tableAt(before, table.split('.'))!.version = next
    if (JSON.stringify(before) !== JSON.stringify(after)) return undefined
    return edited
  }
  return undefined
}
