/**
 * The allowed value a mistyped one was most likely meant to be (`bluegreen` → `blue-green`),
 * or undefined when none is close: a suggestion that is far off misleads more than none.
 * Case and the separators `-`, `_`, ` ` are ignored first, then the Damerau–Levenshtein
 * distance (optimal string alignment: a swapped pair of letters is one edit) must be at most
 * a third of the candidate's length, and at least 1.
 */
export function closestValue(given: string, allowed: readonly string[]): string | undefined {
  const wanted = normalized(given)
  if (wanted === '') return undefined
  let best: { value: string; distance: number } | undefined
  for (const value of allowed) {
    const candidate = normalized(value)
    const distance = editDistance(wanted, candidate)
    if (distance > Math.max(1, Math.floor(candidate.length / 3))) continue
    if (best === undefined || distance < best.distance) best = { value, distance }
  }
  return best?.value
}

/** The sentence error messages add: "did you mean `blue-green`?", or nothing. */
export function didYouMean(given: string, allowed: readonly string[]): string | undefined {
  const value = closestValue(given, allowed)
  return value === undefined || value === given ? undefined : `did you mean \`${value}\`?`
}

function normalized(text: string): string {
  return text.trim().toLowerCase().replace(/[-_ ]/g, '')
}

/** Optimal string alignment distance; inputs are short (enum values), so O(n·m) is fine. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
  )
  for (let i = 1; i < rows; i++)
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  return d[a.length][b.length]
}
