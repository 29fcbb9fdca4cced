import type { KubeObject, ManagedFieldsEntry } from './types.js'

/**
 * Field ownership for server-side apply, in the FieldsV1 vocabulary: a field is a path of
 * `f:<name>` and `k:{"<key>":<value>}` elements; a path is stored as its JSON text in a Set.
 * Lists whose items have a merge key (containers by name, ports by port, ...) are tracked per
 * item; every other list is atomic and owned as a whole, as in the real API server.
 */
export type FieldSet = Set<string>

/** Metadata fields the server owns; nobody manages them. */
const UNMANAGED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'managedFields',
  'selfLink'
])

export function mergeKey(path: string[], field: string): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name'
    case 'volumeMounts':
      return 'mountPath'
    case 'ports':
      return path.includes('f:containers') || path.includes('f:initContainers')
        ? 'containerPort'
        : 'port'
    default:
      return undefined
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

function itemKey(key: string, item: unknown): string {
  return `k:${JSON.stringify({ [key]: (item as Record<string, unknown>)[key] })}`
}

/** The fields an object (or an applied configuration) sets. */
export function fieldsOf(object: KubeObject): FieldSet {
  const out: FieldSet = new Set()
  for (const [k, v] of Object.entries(object)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue
    if (k === 'metadata' && isPlainObject(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (!UNMANAGED_META.has(mk)) walk(mv, ['f:metadata', `f:${mk}`], mk, out)
      }
      continue
    }
    walk(v, [`f:${k}`], k, out)
  }
  return out
}

function walk(value: unknown, path: string[], field: string, out: FieldSet): void {
  if (isPlainObject(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, `f:${k}`], k, out)
    return
  }
  const key = Array.isArray(value) ? mergeKey(path.slice(0, -1), field) : undefined
  if (key && (value as unknown[]).every(item => isPlainObject(item) && item[key] !== undefined)) {
    for (const item of value as Record<string, unknown>[]) {
      const itemPath = [...path, itemKey(key, item)]
      out.add(JSON.stringify([...itemPath, '.']))
      for (const [k, v] of Object.entries(item)) walk(v, [...itemPath, `f:${k}`], k, out)
    }
    return
  }
  out.add(JSON.stringify(path))
}

/** The value at a field path, or undefined. */
export function valueAt(object: unknown, path: string[]): unknown {
  let current: unknown = object
  for (const element of path) {
    if (element === '.') return current
    if (element.startsWith('f:')) {
      if (!isPlainObject(current)) return undefined
      current = current[element.slice(2)]
    } else {
      if (!Array.isArray(current)) return undefined
      const [[k, v]] = Object.entries(JSON.parse(element.slice(2)) as Record<string, unknown>)
      current = current.find(item => isPlainObject(item) && item[k] === v)
    }
  }
  return current
}

/** Removes the field at `path` from `object` (a list item when the path ends in `.`). */
export function removeAt(object: unknown, path: string[]): void {
  const parentPath = path[path.length - 1] === '.' ? path.slice(0, -2) : path.slice(0, -1)
  const last = path[path.length - 1] === '.' ? path[path.length - 2] : path[path.length - 1]
  const parent = valueAt(object, parentPath)
  if (last.startsWith('f:')) {
    if (isPlainObject(parent)) delete parent[last.slice(2)]
  } else if (Array.isArray(parent)) {
    const [[k, v]] = Object.entries(JSON.parse(last.slice(2)) as Record<string, unknown>)
    const index = parent.findIndex(item => isPlainObject(item) && item[k] === v)
    if (index >= 0) parent.splice(index, 1)
  }
}

/** Merges an applied configuration into the live object: maps merge, keyed lists merge by key. */
export function mergeApplied(
  live: unknown,
  applied: unknown,
  path: string[] = [],
  field = ''
): unknown {
  if (isPlainObject(live) && isPlainObject(applied)) {
    const out: Record<string, unknown> = { ...live }
    for (const [k, v] of Object.entries(applied))
      out[k] = k in live ? mergeApplied(live[k], v, [...path, `f:${k}`], k) : structuredClone(v)
    return out
  }
  const key = Array.isArray(applied) ? mergeKey(path.slice(0, -1), field) : undefined
  if (key && Array.isArray(live)) {
    const out = live.map(item => structuredClone(item))
    for (const item of applied as Record<string, unknown>[]) {
      const index = out.findIndex(o => isPlainObject(o) && o[key] === item[key])
      if (index >= 0) out[index] = mergeApplied(out[index], item, [...path, itemKey(key, item)], '')
      else out.push(structuredClone(item))
    }
    return out
  }
  return structuredClone(applied)
}

/** FieldsV1 JSON (`{"f:spec":{"f:replicas":{}}}`) from a field set. */
export function encodeFields(fields: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const text of fields) {
    let node = root
    for (const element of JSON.parse(text) as string[]) {
      node[element] ??= {}
      node = node[element] as Record<string, unknown>
    }
  }
  return root
}

export function decodeFields(fieldsV1: Record<string, unknown>): FieldSet {
  const out: FieldSet = new Set()
  const visit = (node: Record<string, unknown>, path: string[]): void => {
    const keys = Object.keys(node)
    if (!keys.length && path.length) out.add(JSON.stringify(path))
    for (const k of keys) {
      if (k === '.') out.add(JSON.stringify([...path, '.']))
      else visit(node[k] as Record<string, unknown>, [...path, k])
    }
  }
  visit(fieldsV1, [])
  return out
}

/** `.spec.replicas`, `.spec.template.spec.containers[name="app"].image`: how conflicts name fields. */
export function describeField(path: string[]): string {
  let out = ''
  for (const element of path) {
    if (element === '.') continue
    if (element.startsWith('f:')) out += `.${element.slice(2)}`
    else {
      const [[k, v]] = Object.entries(JSON.parse(element.slice(2)) as Record<string, unknown>)
      out += `[${k}=${JSON.stringify(v)}]`
    }
  }
  return out
}

export interface Ownership {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time: string
  subresource?: string
  fields: FieldSet
}

export function readOwnership(object: KubeObject): Ownership[] {
  return (object.metadata.managedFields ?? []).map(e => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    subresource: e.subresource,
    fields: decodeFields(e.fieldsV1 ?? {})
  }))
}

export function writeOwnership(object: KubeObject, owners: Ownership[]): void {
  const entries: ManagedFieldsEntry[] = owners
    .filter(o => o.fields.size)
    .map(o => ({
      manager: o.manager,
      operation: o.operation,
      apiVersion: o.apiVersion,
      time: o.time,
      fieldsType: 'FieldsV1',
      fieldsV1: encodeFields(o.fields),
      ...(o.subresource ? { subresource: o.subresource } : {})
    }))
  if (entries.length) object.metadata.managedFields = entries
  else delete object.metadata.managedFields
}

export interface Conflict {
  manager: string
  field: string
}

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined when creating).
 * Returns the merged object with updated managedFields, or the conflicts when not forced.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  time: string
): { object: KubeObject } | { conflicts: Conflict[] } {
  const newFields = fieldsOf(applied)
  if (!live) {
    const object = structuredClone(applied)
    writeOwnership(object, [
      { manager, operation: 'Apply', apiVersion: applied.apiVersion, time, fields: newFields }
    ])
    return { object }
  }
  const owners = readOwnership(live)
  const conflicts: Conflict[] = []
  for (const owner of owners) {
    if (owner.manager === manager && owner.operation === 'Apply') continue
    for (const text of newFields) {
      if (!owner.fields.has(text)) continue
      const path = JSON.parse(text) as string[]
      if (path[path.length - 1] === '.') continue
      if (JSON.stringify(valueAt(live, path)) === JSON.stringify(valueAt(applied, path))) continue
      if (force) owner.fields.delete(text)
      else conflicts.push({ manager: owner.manager, field: describeField(path) })
    }
  }
  if (conflicts.length) return { conflicts }
  const mine = owners.find(o => o.manager === manager && o.operation === 'Apply')
  let object = mergeApplied(live, applied) as KubeObject
  object.metadata = {
    ...object.metadata,
    name: live.metadata.name,
    namespace: live.metadata.namespace
  }
  // Fields this manager applied before and no longer applies go away, unless someone else owns them.
  const others = owners.filter(o => o !== mine)
  const removed = [...(mine?.fields ?? [])]
    .filter(text => !newFields.has(text) && !others.some(o => o.fields.has(text)))
    .map(text => JSON.parse(text) as string[])
    .sort((a, b) => b.length - a.length)
  object = structuredClone(object)
  for (const path of removed) removeAt(object, path)
  const updated: Ownership = {
    manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time,
    fields: newFields
  }
  writeOwnership(object, [...others, updated])
  return { object }
}

/** After a non-apply write: `manager` takes the fields whose values it changed. */
export function recordUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  time: string,
  subresource?: string
): void {
  const owners = before ? readOwnership(before) : []
  const afterFields = fieldsOf(after)
  const changed = new Set<string>()
  for (const text of afterFields) {
    const path = JSON.parse(text) as string[]
    if (!before || JSON.stringify(valueAt(before, path)) !== JSON.stringify(valueAt(after, path)))
      changed.add(text)
  }
  for (const owner of owners) {
    for (const text of owner.fields)
      if (changed.has(text) || !afterFields.has(text)) owner.fields.delete(text)
  }
  if (changed.size) {
    let entry = owners.find(
      o => o.manager === manager && o.operation === 'Update' && o.subresource === subresource
    )
    if (!entry) {
      entry = {
        manager,
        operation: 'Update',
        apiVersion: after.apiVersion,
        time,
        subresource,
        fields: new Set()
      }
      owners.push(entry)
    }
    for (const text of changed) entry.fields.add(text)
    entry.time = time
  }
  writeOwnership(after, owners)
}
