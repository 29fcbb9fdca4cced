import { mergeKey } from './fields.js'

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch)
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

/**
 * Strategic merge patch for the fields the emulator's kinds use: like a merge patch, except
 * that lists with a merge key (containers, env, ports, volumes, ...) merge item by item, and
 * an item with `$patch: delete` is removed.
 */
export function strategicMergePatch(target: unknown, patch: unknown, path: string[] = []): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch)
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch
    return structuredClone(rest)
  }
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue
    if (v === null) {
      delete out[k]
      continue
    }
    const key = Array.isArray(v) ? mergeKey(path, k) : undefined
    if (key && Array.isArray(out[k])) {
      const list = (out[k] as unknown[]).map(item => structuredClone(item)) as Record<
        string,
        unknown
      >[]
      for (const item of v as Record<string, unknown>[]) {
        const index = list.findIndex(o => isPlainObject(o) && o[key] === item[key])
        if (item.$patch === 'delete') {
          if (index >= 0) list.splice(index, 1)
        } else if (index >= 0)
          list[index] = strategicMergePatch(list[index], item, [...path, `f:${k}`, 'k:']) as Record<
            string,
            unknown
          >
        else
          list.push(
            strategicMergePatch({}, item, [...path, `f:${k}`, 'k:']) as Record<string, unknown>
          )
      }
      out[k] = list
    } else out[k] = strategicMergePatch(out[k], v, [...path, `f:${k}`])
  }
  return out
}

export class PatchError extends Error {
  /** True when the body could not even be read as a patch (400), not when applying it failed (422). */
  constructor(
    message: string,
    readonly decode = false
  ) {
    super(message)
  }
}

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'
  path: string
  from?: string
  value?: unknown
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations))
    throw new PatchError('json patch must be an array of operations', true)
  let doc = structuredClone(target)
  for (const op of operations as Operation[]) {
    switch (op.op) {
      case 'add':
        doc = put(doc, pointer(op.path), structuredClone(op.value), true)
        break
      case 'replace':
        get(doc, pointer(op.path))
        doc = put(doc, pointer(op.path), structuredClone(op.value), false)
        break
      case 'remove':
        doc = remove(doc, pointer(op.path))
        break
      case 'move': {
        const value = get(doc, pointer(op.from ?? ''))
        doc = put(remove(doc, pointer(op.from ?? '')), pointer(op.path), value, true)
        break
      }
      case 'copy':
        doc = put(doc, pointer(op.path), structuredClone(get(doc, pointer(op.from ?? ''))), true)
        break
      case 'test':
        if (JSON.stringify(get(doc, pointer(op.path))) !== JSON.stringify(op.value))
          throw new PatchError(`test failed at ${op.path}`)
        break
      default:
        throw new PatchError(`unknown operation ${JSON.stringify((op as { op: unknown }).op)}`)
    }
  }
  return doc
}

function pointer(path: string): string[] {
  if (path === '') return []
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`)
  return path
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function get(doc: unknown, parts: string[]): unknown {
  let current = doc
  for (const part of parts) {
    if (Array.isArray(current)) current = current[Number(part)]
    else if (isPlainObject(current) && part in current) current = current[part]
    else throw new PatchError(`path not found: /${parts.join('/')}`)
    if (current === undefined) throw new PatchError(`path not found: /${parts.join('/')}`)
  }
  return current
}

function put(doc: unknown, parts: string[], value: unknown, insert: boolean): unknown {
  if (!parts.length) return value
  const parent = get(doc, parts.slice(0, -1))
  const last = parts[parts.length - 1]
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last)
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw new PatchError(`index out of range: ${last}`)
    if (insert) parent.splice(index, 0, value)
    else parent[index] = value
  } else if (isPlainObject(parent)) parent[last] = value
  else throw new PatchError(`cannot add to a non-container at /${parts.join('/')}`)
  return doc
}

function remove(doc: unknown, parts: string[]): unknown {
  const parent = get(doc, parts.slice(0, -1))
  const last = parts[parts.length - 1]
  get(doc, parts)
  if (Array.isArray(parent)) parent.splice(Number(last), 1)
  else if (isPlainObject(parent)) delete parent[last]
  return doc
}
