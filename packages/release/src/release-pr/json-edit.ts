/**
 * Replaces string values of a JSON text in place, leaving every other byte as it was (the
 * indentation, key order and final newline of a package.json are the author's). A tiny
 * recursive-descent walk records where each string value sits; JSON.parse afterwards proves
 * the edit kept the document valid.
 */

type Path = readonly string[]

/** The [start, end) offsets of the string value at `path` (quotes included), if any. */
export function findStringValue(text: string, path: Path): [number, number] | undefined {
  let found: [number, number] | undefined
  let i = 0
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++
  }
  const str = (): string => {
    const start = i
    i++
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1
    i++
    return JSON.parse(text.slice(start, i)) as string
  }
  const value = (at: string[]): void => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      ws()
      if (text[i] === '}') return void i++
      for (;;) {
        ws()
        const key = str()
        ws()
        i++ // ':'
        value([...at, key])
        ws()
        if (text[i++] === '}') return
      }
    }
    if (c === '[') {
      i++
      ws()
      if (text[i] === ']') return void i++
      for (let n = 0; ; n++) {
        value([...at, String(n)])
        ws()
        if (text[i++] === ']') return
      }
    }
    if (c === '"') {
      const start = i
      str()
      if (!found && at.length === path.length && at.every((k, n) => k === path[n]))
        found = [start, i]
      return
    }
    while (i < text.length && /[^,}\]\s]/.test(text[i])) i++
  }
  JSON.parse(text) // a malformed file is reported by the caller, not mis-edited here
  value([])
  return found
}

/** `text` with the string at `path` set to `next`; undefined when there is no such string. */
export function setStringValue(text: string, path: Path, next: string): string | undefined {
  const range = findStringValue(text, path)
  if (!range) return undefined
  return text.slice(0, range[0]) + JSON.stringify(next) + text.slice(range[1])
}
