import { randomUUID } from 'node:crypto'
import type { Kind, KubeObject } from './types.js'
import { matchesFieldSelector, matchesLabelSelector } from './selectors.js'

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'
export interface StoreEvent {
  type: WatchEventType
  kind: Kind
  object: KubeObject
  resourceVersion: number
}
export type StoreListener = (event: StoreEvent) => void

/** How many past events a watch can resume from (older resourceVersions answer 410 Gone). */
const HISTORY = 2000

/**
 * The etcd of the emulator: objects by kind, namespace and name, one global resourceVersion
 * counter, and the event history watches resume from.
 */
export class Store {
  private readonly objects = new Map<string, KubeObject>()
  private readonly listeners = new Set<StoreListener>()
  private readonly history: StoreEvent[] = []
  private revision = 1
  readonly namespaces = new Set<string>()

  constructor(private readonly now: () => string) {}

  get resourceVersion(): number {
    return this.revision
  }

  get(kind: Kind, namespace: string, name: string): KubeObject | undefined {
    const object = this.objects.get(key(kind, namespace, name))
    return object ? structuredClone(object) : undefined
  }

  list(
    kind: Kind,
    namespace?: string,
    labelSelector?: string,
    fieldSelector?: string
  ): KubeObject[] {
    const out: KubeObject[] = []
    for (const object of this.objects.values()) {
      if (object.kind !== kind) continue
      if (namespace !== undefined && object.metadata.namespace !== namespace) continue
      if (labelSelector && !matchesLabelSelector(object.metadata.labels ?? {}, labelSelector))
        continue
      if (fieldSelector && !matchesFieldSelector(object, fieldSelector)) continue
      out.push(structuredClone(object))
    }
    return out.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
  }

  /** Stores a new object, filling in the metadata the server owns. */
  create(object: KubeObject, tracksGeneration = false): KubeObject {
    const stored = structuredClone(object)
    const meta = stored.metadata
    meta.uid = randomUUID()
    meta.creationTimestamp = this.now()
    if (tracksGeneration) meta.generation = 1
    else delete meta.generation
    return this.commit('ADDED', stored)
  }

  /** Replaces an object; `generation` moves when the spec changed and the kind tracks it. */
  update(object: KubeObject, tracksGeneration: boolean): KubeObject {
    const current = this.objects.get(
      key(object.kind as Kind, object.metadata.namespace ?? '', object.metadata.name)
    )
    if (!current) throw new Error(`update of a missing ${object.kind} ${object.metadata.name}`)
    const stored = structuredClone(object)
    stored.metadata.uid = current.metadata.uid
    stored.metadata.creationTimestamp = current.metadata.creationTimestamp
    const generation = current.metadata.generation ?? 1
    stored.metadata.generation =
      tracksGeneration && JSON.stringify(current.spec) !== JSON.stringify(stored.spec)
        ? generation + 1
        : current.metadata.generation
    if (stored.metadata.generation === undefined) delete stored.metadata.generation
    if (JSON.stringify(withoutVersion(current)) === JSON.stringify(withoutVersion(stored))) {
      return structuredClone(current)
    }
    return this.commit('MODIFIED', stored)
  }

  delete(kind: Kind, namespace: string, name: string): KubeObject | undefined {
    const k = key(kind, namespace, name)
    const current = this.objects.get(k)
    if (!current) return undefined
    this.objects.delete(k)
    const gone = structuredClone(current)
    this.revision++
    gone.metadata.resourceVersion = String(this.revision)
    this.emit({ type: 'DELETED', kind, object: gone, resourceVersion: this.revision })
    return structuredClone(gone)
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Events after `resourceVersion`, or undefined when that version is too old to resume from. */
  since(resourceVersion: number): StoreEvent[] | undefined {
    const oldest = this.history[0]?.resourceVersion ?? this.revision + 1
    if (resourceVersion < oldest - 1 && this.history.length >= HISTORY) return undefined
    return this.history
      .filter(e => e.resourceVersion > resourceVersion)
      .map(e => structuredClone(e))
  }

  private commit(type: WatchEventType, object: KubeObject): KubeObject {
    this.revision++
    object.metadata.resourceVersion = String(this.revision)
    this.objects.set(
      key(object.kind as Kind, object.metadata.namespace ?? '', object.metadata.name),
      object
    )
    this.emit({
      type,
      kind: object.kind as Kind,
      object: structuredClone(object),
      resourceVersion: this.revision
    })
    return structuredClone(object)
  }

  private emit(event: StoreEvent): void {
    this.history.push(event)
    if (this.history.length > HISTORY) this.history.shift()
    for (const listener of [...this.listeners]) listener(event)
  }
}

function key(kind: Kind, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`
}

function withoutVersion(object: KubeObject): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = object.metadata
  return { ...object, metadata: meta }
}
