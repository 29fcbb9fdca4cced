import { randomBytes } from 'node:crypto'
import type { Store } from './store.js'
import type { KubeObject } from './types.js'

/**
 * Records core/v1 Events the way the controllers and the kubelet do: the same object, reason
 * and message again bump `count` and `lastTimestamp` of the existing Event.
 */
export class EventRecorder {
  constructor(
    private readonly store: Store,
    private readonly now: () => string
  ) {}

  record(
    about: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string
  ): void {
    const namespace = about.metadata.namespace ?? 'default'
    const existing = this.store
      .list('Event', namespace)
      .find(
        e =>
          (e.involvedObject as { uid?: string }).uid === about.metadata.uid &&
          e.reason === reason &&
          e.message === message
      )
    const time = this.now()
    if (existing) {
      this.store.update(
        { ...existing, count: Number(existing.count ?? 1) + 1, lastTimestamp: time },
        false
      )
      return
    }
    this.store.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${about.metadata.name}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: about.apiVersion,
        kind: about.kind,
        name: about.metadata.name,
        namespace,
        uid: about.metadata.uid,
        resourceVersion: about.metadata.resourceVersion
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: time,
      lastTimestamp: time,
      source: { component },
      reportingComponent: component,
      reportingInstance: `${component}-emulator`
    })
  }
}
