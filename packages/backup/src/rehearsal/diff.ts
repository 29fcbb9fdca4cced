import type { ColumnShape, SchemaObjectShape, SchemaSnapshot, TableShape } from './snapshot.js'

export type ChangeKind =
  | 'table-added'
  | 'table-dropped'
  | 'column-added'
  | 'column-dropped'
  | 'column-renamed'
  | 'type-changed'
  | 'nullability-changed'
  | 'default-changed'
  | 'index-added'
  | 'index-dropped'
  | 'index-changed'
  | 'constraint-added'
  | 'constraint-dropped'
  | 'constraint-changed'
  | 'rows-lost'

/** One structural change (or lost rows), and whether it is destructive and why. */
export interface SchemaChange {
  kind: ChangeKind
  table: string
  /** The column, index or constraint concerned. */
  object?: string
  before?: string
  after?: string
  destructive: boolean
  /** Why it is destructive (what old code or the data loses). */
  reason?: string
}

export interface RowCount {
  table: string
  before: number | null
  after: number | null
}

export interface SchemaDiff {
  changes: SchemaChange[]
  rows: RowCount[]
  destructive: boolean
  /** `sha256:` of the changes, canonical: the same migration on the same data gives the same digest. */
  digest: string
}

/** The structural difference between two snapshots, each change classified. */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDiff {
  const changes: SchemaChange[] = []
  const old = new Map(before.tables.map(t => [t.name, t]))
  const now = new Map(after.tables.map(t => [t.name, t]))
  for (const table of before.tables)
    if (!now.has(table.name))
      changes.push({
        kind: 'table-dropped',
        table: table.name,
        before: `${table.rows} rows`,
        destructive: true,
        reason: `table ${table.name} and its ${table.rows} rows are gone`
      })
  for (const table of after.tables)
    if (!old.has(table.name))
      changes.push({ kind: 'table-added', table: table.name, destructive: false })
  for (const table of before.tables) {
    const next = now.get(table.name)
    if (next) changes.push(...columnChanges(table, next))
  }
  changes.push(...objectChanges('index', before.indexes, after.indexes))
  changes.push(...objectChanges('constraint', before.constraints, after.constraints))
  const rows: RowCount[] = [...new Set([...old.keys(), ...now.keys()])].sort().map(table => ({
    table,
    before: old.get(table)?.rows ?? null,
    after: now.get(table)?.rows ?? null
  }))
  for (const { table, before: b, after: a } of rows)
    if (b !== null && a !== null && a < b)
      changes.push({
        kind: 'rows-lost',
        table,
        before: String(b),
        after: String(a),
        destructive: true,
        reason: `${b - a} of ${b} rows of ${table} are gone`
      })
  return {
    changes,
    rows,
    destructive: changes.some(c => c.destructive),
    digest: digestOf(changes)
  }
}

/** Structural equality, row counts aside: what a down-command must give back. */
export function structuralDifferences(expected: SchemaSnapshot, actual: SchemaSnapshot): string[] {
  return diffSnapshots(expected, actual)
    .changes.filter(c => c.kind !== 'rows-lost')
    .map(describeChange)
}

function columnChanges(before: TableShape, after: TableShape): SchemaChange[] {
  const changes: SchemaChange[] = []
  const old = new Map(before.columns.map(c => [c.name, c]))
  const now = new Map(after.columns.map(c => [c.name, c]))
  const dropped = before.columns.filter(c => !now.has(c.name))
  const added = after.columns.filter(c => !old.has(c.name))
  // A dropped column and an added one of the same type: most likely a rename. Old code still
  // reads the old name, so it is destructive either way; the summary names it for what it is.
  const renamed = new Map<string, ColumnShape>()
  for (const column of dropped) {
    const partner = added.find(a => a.type === column.type && ![...renamed.values()].includes(a))
    if (partner) renamed.set(column.name, partner)
  }
  for (const column of dropped) {
    const partner = renamed.get(column.name)
    changes.push(
      partner
        ? {
            kind: 'column-renamed',
            table: before.name,
            object: column.name,
            before: column.name,
            after: partner.name,
            destructive: true,
            reason: `column ${before.name}.${column.name} renamed to ${partner.name} (or dropped and added): the current code reads ${column.name}`
          }
        : {
            kind: 'column-dropped',
            table: before.name,
            object: column.name,
            before: column.type,
            destructive: true,
            reason: `column ${before.name}.${column.name} is dropped with its data`
          }
    )
  }
  for (const column of added) {
    if ([...renamed.values()].includes(column)) continue
    const blocking = !column.nullable && column.default === null && before.rows > 0
    changes.push({
      kind: 'column-added',
      table: before.name,
      object: column.name,
      after: `${column.type}${column.nullable ? '' : ' not null'}${column.default !== null ? ` default ${column.default}` : ''}`,
      destructive: blocking,
      reason: blocking
        ? `column ${before.name}.${column.name} is NOT NULL without a default on a populated table: the current code's inserts fail`
        : undefined
    })
  }
  for (const column of before.columns) {
    const next = now.get(column.name)
    if (!next) continue
    if (next.type !== column.type) {
      const widening = isWidening(column.type, next.type)
      changes.push({
        kind: 'type-changed',
        table: before.name,
        object: column.name,
        before: column.type,
        after: next.type,
        destructive: !widening,
        reason: widening
          ? undefined
          : `column ${before.name}.${column.name} changes from ${column.type} to ${next.type}, not a known widening: values may be cut or refused`
      })
    }
    if (next.nullable !== column.nullable) {
      const blocking = !next.nullable && next.default === null && before.rows > 0
      changes.push({
        kind: 'nullability-changed',
        table: before.name,
        object: column.name,
        before: column.nullable ? 'null' : 'not null',
        after: next.nullable ? 'null' : 'not null',
        destructive: blocking,
        reason: blocking
          ? `column ${before.name}.${column.name} becomes NOT NULL without a default on a populated table: the current code's inserts without it fail`
          : undefined
      })
    }
    if (next.default !== column.default)
      changes.push({
        kind: 'default-changed',
        table: before.name,
        object: column.name,
        before: column.default ?? 'none',
        after: next.default ?? 'none',
        destructive: false
      })
  }
  return changes
}

function objectChanges(
  what: 'index' | 'constraint',
  before: SchemaObjectShape[],
  after: SchemaObjectShape[]
): SchemaChange[] {
  const key = (o: SchemaObjectShape): string => `${o.table}\0${o.name}`
  const old = new Map(before.map(o => [key(o), o]))
  const now = new Map(after.map(o => [key(o), o]))
  const changes: SchemaChange[] = []
  for (const object of before) {
    const next = now.get(key(object))
    if (!next)
      changes.push({
        kind: `${what}-dropped`,
        table: object.table,
        object: object.name,
        before: object.definition,
        destructive: false
      })
    else if (next.definition !== object.definition)
      changes.push({
        kind: `${what}-changed`,
        table: object.table,
        object: object.name,
        before: object.definition,
        after: next.definition,
        destructive: false
      })
  }
  for (const object of after)
    if (!old.has(key(object)))
      changes.push({
        kind: `${what}-added`,
        table: object.table,
        object: object.name,
        after: object.definition,
        destructive: false
      })
  return changes
}

/** Integer widths, smallest first, across the engines' spellings. */
const INTEGERS = [
  ['smallint', 'int2', 'tinyint'],
  ['mediumint'],
  ['integer', 'int', 'int4'],
  ['bigint', 'int8']
]
const integerRank = (type: string): number =>
  INTEGERS.findIndex(names =>
    names.includes(type.replace(/\(\d+\)$/, '').replace(/ unsigned$/, ''))
  )

/** The length or precision in `name(n[,s])`. */
const sized = (type: string): { base: string; args: number[] } | undefined => {
  const match = /^([a-z ]+?)\s*\((\d+)(?:,\s*(\d+))?\)$/i.exec(type.trim())
  return match
    ? {
        base: match[1].toLowerCase(),
        args: [Number(match[2]), ...(match[3] ? [Number(match[3])] : [])]
      }
    : undefined
}

const TEXTS = ['text', 'mediumtext', 'longtext', 'clob']
const VARYING = ['character varying', 'varchar', 'character', 'char', 'nvarchar']

/**
 * Changes that keep every value: a wider integer, a longer string, text from a bounded string,
 * more precision, single to double precision. Anything else fails closed as narrowing.
 */
export function isWidening(from: string, to: string): boolean {
  const a = from.toLowerCase().trim()
  const b = to.toLowerCase().trim()
  if (a === b) return true
  const ra = integerRank(a)
  const rb = integerRank(b)
  if (ra >= 0 && rb >= 0) return rb >= ra && a.includes('unsigned') === b.includes('unsigned')
  if (ra >= 0 && /^(numeric|decimal)$/.test(b)) return true
  const sa = sized(a)
  const sb = sized(b)
  const isText = (t: string): boolean => TEXTS.includes(t)
  if (
    sa &&
    VARYING.includes(sa.base) &&
    (isText(b) || b === 'character varying' || b === 'varchar')
  )
    return true
  if (sa && sb && VARYING.includes(sa.base) && VARYING.includes(sb.base))
    return sb.args[0] >= sa.args[0] && (/var/.test(sb.base) || sb.base === sa.base)
  if (sa && sb && /^(numeric|decimal)$/.test(sa.base) && sa.base === sb.base) {
    const [pa, xa = 0] = sa.args
    const [pb, xb = 0] = sb.args
    return xb >= xa && pb - xb >= pa - xa
  }
  if (sa && /^(numeric|decimal)$/.test(sa.base) && /^(numeric|decimal)$/.test(b)) return true
  if (/^(real|float4|float)$/.test(a) && /^(double precision|float8|double)$/.test(b)) return true
  if (isText(a) && isText(b)) return TEXTS.indexOf(b) >= TEXTS.indexOf(a)
  return false
}

export function describeChange(change: SchemaChange): string {
  const what = change.object ? `${change.table}.${change.object}` : change.table
  const detail =
    change.before !== undefined && change.after !== undefined
      ? `${change.before} → ${change.after}`
      : (change.after ?? change.before ?? '')
  return `${change.kind} ${what}${detail ? `: ${detail}` : ''}`
}

function digestOf(changes: SchemaChange[]): string {
  const canonical = changes.map(describeChange).sort().join('\n')
  return `sha256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(canonical).digest('hex')}`
}
