import type { KubeObject } from './types.js'

/**
 * Label selectors in the query-string form (`a=b,c!=d,e in (f,g),h notin (i),j,!k`), as the
 * API server parses them.
 */
export function matchesLabelSelector(labels: Record<string, string>, selector: string): boolean {
  return splitRequirements(selector).every(req => matchRequirement(labels, req))
}

/** Throws on a selector the API server would reject, so the route can answer 400. */
export function checkLabelSelector(selector: string): void {
  for (const req of splitRequirements(selector)) {
    if (
      !/^(!?[A-Za-z0-9./_-]+|[A-Za-z0-9./_-]+\s*(==|=|!=)\s*[A-Za-z0-9._-]*|[A-Za-z0-9./_-]+\s+(in|notin)\s+\([^)]*\))$/.test(
        req
      )
    ) {
      throw new Error(`unable to parse requirement: ${JSON.stringify(req)}`)
    }
  }
}

function splitRequirements(selector: string): string[] {
  const out: string[] = []
  let depth = 0
  let current = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(current.trim())
      current = ''
    } else current += ch
  }
  if (current.trim()) out.push(current.trim())
  return out.filter(Boolean)
}

function matchRequirement(labels: Record<string, string>, req: string): boolean {
  const set = /^([^\s]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req)
  if (set) {
    const values = set[3].split(',').map(v => v.trim())
    const has = Object.hasOwn(labels, set[1])
    return set[2] === 'in'
      ? has && values.includes(labels[set[1]])
      : !has || !values.includes(labels[set[1]])
  }
  const ne = /^([^\s!=]+)\s*!=\s*(.*)$/.exec(req)
  if (ne) return labels[ne[1]] !== ne[2]
  const eq = /^([^\s!=]+)\s*==?\s*(.*)$/.exec(req)
  if (eq) return labels[eq[1]] === eq[2]
  if (req.startsWith('!')) return !Object.hasOwn(labels, req.slice(1))
  return Object.hasOwn(labels, req)
}

/** The field selectors the API server supports everywhere, plus the Event ones the tests use. */
export function matchesFieldSelector(object: KubeObject, selector: string): boolean {
  return splitRequirements(selector).every(req => {
    const m = /^([^!=]+)(!=|==|=)(.*)$/.exec(req)
    if (!m) return false
    const actual = fieldValue(object, m[1].trim())
    return m[2] === '!=' ? actual !== m[3] : actual === m[3]
  })
}

export const SUPPORTED_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'status.phase',
  'spec.nodeName',
  'involvedObject.kind',
  'involvedObject.name',
  'involvedObject.namespace',
  'involvedObject.uid',
  'reason',
  'type'
]

function fieldValue(object: KubeObject, path: string): string | undefined {
  let value: unknown = object
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value === undefined ? undefined : String(value)
}
