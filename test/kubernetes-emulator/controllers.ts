import { createHash, randomBytes } from 'node:crypto'
import type { EventRecorder } from './events.js'
import type { Faults } from './faults.js'
import { recordUpdate } from './fields.js'
import { isPodReady, Kubelet, readySince } from './pods.js'
import type { Store } from './store.js'
import type { KubeObject } from './types.js'

const REVISION = 'deployment.kubernetes.io/revision'
const HASH_LABEL = 'pod-template-hash'
const MANAGER = 'kube-controller-manager'

/**
 * The Deployment and ReplicaSet controllers. `reconcile()` does one pass and says whether it
 * changed anything; the emulator's loop calls it in small asynchronous steps.
 */
export class WorkloadControllers {
  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly faults: Faults,
    private readonly kubelet: Kubelet,
    private readonly clock: () => number,
    private readonly timestamp: () => string
  ) {}

  reconcile(): boolean {
    let changed = false
    for (const d of this.store.list('Deployment')) changed = this.deployment(d) || changed
    for (const rs of this.store.list('ReplicaSet')) changed = this.replicaSet(rs) || changed
    for (const pod of this.store.list('Pod')) changed = this.kubelet.step(pod) || changed
    for (const rs of this.store.list('ReplicaSet')) changed = this.replicaSetStatus(rs) || changed
    for (const d of this.store.list('Deployment')) changed = this.deploymentStatus(d) || changed
    changed = this.collectGarbage() || changed
    return changed
  }

  /** Next virtual time a Deployment's progress deadline or a Pod's minReadySeconds falls due. */
  nextTimer(): number | undefined {
    const times: number[] = []
    for (const d of this.store.list('Deployment')) {
      if (this.faults.stalled(d.metadata.namespace!, d.metadata.name) || d.spec.paused) continue
      const progressing = condition(d, 'Progressing')
      if (
        !progressing ||
        progressing.status !== 'True' ||
        progressing.reason === 'NewReplicaSetAvailable'
      )
        continue
      times.push(
        Date.parse(progressing.lastUpdateTime) +
          (d.spec.progressDeadlineSeconds ?? 600) * 1000 +
          1000
      )
      const minReady = (d.spec.minReadySeconds ?? 0) * 1000
      if (minReady) {
        for (const pod of this.store.list('Pod', d.metadata.namespace)) {
          const since = readySince(pod)
          if (since && Date.parse(since) + minReady > this.clock())
            times.push(Date.parse(since) + minReady)
        }
      }
    }
    const k = this.kubelet.nextTimer()
    if (k !== undefined) times.push(k)
    const future = times.filter(t => t > this.clock())
    return future.length ? Math.min(...future) : undefined
  }

  private ownedReplicaSets(d: KubeObject): KubeObject[] {
    return this.store.list('ReplicaSet', d.metadata.namespace).filter(rs => ownedBy(rs, d))
  }

  private deployment(d: KubeObject): boolean {
    if (this.faults.stalled(d.metadata.namespace!, d.metadata.name) || d.spec.paused) return false
    const desired = d.spec.replicas ?? 1
    const hash = templateHash(d.spec.template)
    const all = this.ownedReplicaSets(d)
    let newRS = all.find(rs => rs.metadata.labels?.[HASH_LABEL] === hash)
    const old = all.filter(rs => rs !== newRS)
    const maxRevision = Math.max(
      0,
      ...all.map(rs => Number(rs.metadata.annotations?.[REVISION] ?? 0))
    )
    if (!newRS) {
      newRS = this.createReplicaSet(d, hash, String(maxRevision + 1))
      this.setDeploymentRevision(
        d,
        String(maxRevision + 1),
        newRS,
        'NewReplicaSetCreated',
        `Created new replica set "${newRS.metadata.name}"`
      )
      return true
    }
    if (Number(newRS.metadata.annotations?.[REVISION] ?? 0) < maxRevision) {
      // A rollback to an earlier template: the existing ReplicaSet becomes the newest revision.
      newRS.metadata.annotations = {
        ...newRS.metadata.annotations,
        [REVISION]: String(maxRevision + 1)
      }
      this.store.update(newRS, true)
      this.setDeploymentRevision(
        d,
        String(maxRevision + 1),
        newRS,
        'FoundNewReplicaSet',
        `Found new replica set "${newRS.metadata.name}"`
      )
      return true
    }
    if (d.metadata.annotations?.[REVISION] !== newRS.metadata.annotations?.[REVISION]) {
      this.setDeploymentRevision(
        d,
        newRS.metadata.annotations![REVISION],
        newRS,
        'FoundNewReplicaSet',
        `Found new replica set "${newRS.metadata.name}"`
      )
      return true
    }
    if (d.spec.strategy?.type === 'Recreate') return this.recreate(d, newRS, old, desired)
    return this.rolling(d, newRS, old, desired)
  }

  private recreate(d: KubeObject, newRS: KubeObject, old: KubeObject[], desired: number): boolean {
    let changed = false
    for (const rs of old) if (rs.spec.replicas > 0) changed = this.scale(d, rs, 0) || changed
    if (changed) return true
    if (old.some(rs => (rs.status?.replicas ?? 0) > 0)) return false
    return newRS.spec.replicas !== desired ? this.scale(d, newRS, desired) : false
  }

  private rolling(d: KubeObject, newRS: KubeObject, old: KubeObject[], desired: number): boolean {
    const { maxSurge, maxUnavailable } = rollingParameters(d)
    const specTotal = [newRS, ...old].reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0)
    // Scale the new ReplicaSet up within the surge.
    if (newRS.spec.replicas > desired) return this.scale(d, newRS, desired)
    if (newRS.spec.replicas < desired) {
      const room = desired + maxSurge - specTotal
      if (room > 0) return this.scale(d, newRS, Math.min(desired, newRS.spec.replicas + room))
    }
    // Scale old ReplicaSets down while keeping the minimum available.
    const minAvailable = desired - maxUnavailable
    const newUnavailable = newRS.spec.replicas - (newRS.status?.availableReplicas ?? 0)
    let maxScaledDown = specTotal - minAvailable - newUnavailable
    if (maxScaledDown <= 0) return false
    let changed = false
    const oldest = [...old].filter(rs => rs.spec.replicas > 0).sort(byRevision)
    // First the old pods that are not available anyway.
    for (const rs of oldest) {
      if (maxScaledDown <= 0) break
      const unhealthy = rs.spec.replicas - (rs.status?.availableReplicas ?? 0)
      if (unhealthy <= 0) continue
      const by = Math.min(unhealthy, maxScaledDown)
      changed = this.scale(d, rs, rs.spec.replicas - by) || changed
      rs.spec.replicas -= by
      maxScaledDown -= by
    }
    if (changed) return true
    const available = [newRS, ...old].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0)
    let scaleDown = available - minAvailable
    for (const rs of oldest) {
      if (scaleDown <= 0) break
      const by = Math.min(rs.spec.replicas, scaleDown)
      if (by <= 0) continue
      changed = this.scale(d, rs, rs.spec.replicas - by) || changed
      scaleDown -= by
    }
    return changed
  }

  private scale(d: KubeObject, rs: KubeObject, to: number): boolean {
    const from = rs.spec.replicas ?? 0
    if (from === to) return false
    const current = this.store.get('ReplicaSet', rs.metadata.namespace!, rs.metadata.name)!
    current.spec.replicas = to
    current.metadata.annotations = {
      ...current.metadata.annotations,
      'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1),
      'deployment.kubernetes.io/max-replicas': String(
        (d.spec.replicas ?? 1) + rollingParameters(d).maxSurge
      )
    }
    const before = structuredClone(current)
    recordUpdate(before, current, MANAGER, this.timestamp())
    this.store.update(current, true)
    this.events.record(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
      'deployment-controller'
    )
    return true
  }

  private createReplicaSet(d: KubeObject, hash: string, revision: string): KubeObject {
    const template = structuredClone(d.spec.template)
    template.metadata = {
      ...template.metadata,
      labels: { ...template.metadata?.labels, [HASH_LABEL]: hash }
    }
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        annotations: {
          [REVISION]: revision,
          'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': String(
            (d.spec.replicas ?? 1) + rollingParameters(d).maxSurge
          )
        },
        ownerReferences: [ownerReference(d)]
      },
      spec: {
        replicas: 0,
        minReadySeconds: d.spec.minReadySeconds ?? 0,
        selector: { matchLabels: { ...d.spec.selector.matchLabels, [HASH_LABEL]: hash } },
        template
      }
    }
    recordUpdate(undefined, rs, MANAGER, this.timestamp())
    return this.store.create(rs, true)
  }

  private setDeploymentRevision(
    d: KubeObject,
    revision: string,
    rs: KubeObject,
    reason: string,
    message: string
  ): void {
    const current = this.store.get('Deployment', d.metadata.namespace!, d.metadata.name)!
    current.metadata.annotations = { ...current.metadata.annotations, [REVISION]: revision }
    current.status = { ...current.status }
    setCondition(current, 'Progressing', 'True', reason, message, this.timestamp(), true)
    this.store.update(current, true)
    void rs
  }

  private replicaSet(rs: KubeObject): boolean {
    const pods = this.store.list('Pod', rs.metadata.namespace).filter(p => ownedBy(p, rs))
    const want = rs.spec.replicas ?? 1
    if (pods.length < want) {
      for (let i = pods.length; i < want; i++) this.createPod(rs)
      return true
    }
    if (pods.length > want) {
      // The API server's ranking: unscheduled, then not ready, then the newest.
      const ranked = [...pods].sort(
        (a, b) =>
          rank(a) - rank(b) ||
          (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '')
      )
      for (const pod of ranked.slice(0, pods.length - want)) {
        this.store.delete('Pod', pod.metadata.namespace!, pod.metadata.name)
        this.events.record(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          'replicaset-controller'
        )
      }
      return true
    }
    return false
  }

  private createPod(rs: KubeObject): void {
    const template = rs.spec.template
    const name = `${rs.metadata.name}-${randomSuffix()}`
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations
          ? { annotations: { ...template.metadata.annotations } }
          : {}),
        ownerReferences: [ownerReference(rs)]
      },
      spec: {
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        ...structuredClone(template.spec)
      },
      status: { phase: 'Pending', qosClass: 'BestEffort' }
    }
    recordUpdate(undefined, pod, MANAGER, this.timestamp())
    this.store.create(pod)
    this.events.record(
      rs,
      'Normal',
      'SuccessfulCreate',
      `Created pod: ${name}`,
      'replicaset-controller'
    )
  }

  private replicaSetStatus(rs: KubeObject): boolean {
    const pods = this.store.list('Pod', rs.metadata.namespace).filter(p => ownedBy(p, rs))
    const minReady = (rs.spec.minReadySeconds ?? 0) * 1000
    const ready = pods.filter(isPodReady)
    const available = ready.filter(p => Date.parse(readySince(p) ?? '') + minReady <= this.clock())
    const labels = rs.spec.template.metadata?.labels ?? {}
    const status = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.filter(p =>
        Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v)
      ).length,
      readyReplicas: ready.length,
      availableReplicas: available.length,
      observedGeneration: rs.metadata.generation
    }
    if (JSON.stringify(status) === JSON.stringify(rs.status ?? {})) return false
    rs.status = status
    this.store.update(rs, true)
    return true
  }

  private deploymentStatus(d: KubeObject): boolean {
    if (this.faults.stalled(d.metadata.namespace!, d.metadata.name)) return false
    const all = this.ownedReplicaSets(d)
    const hash = templateHash(d.spec.template)
    const newRS = all.find(rs => rs.metadata.labels?.[HASH_LABEL] === hash)
    const desired = d.spec.replicas ?? 1
    const sum = (f: (rs: KubeObject) => number): number => all.reduce((n, rs) => n + f(rs), 0)
    const replicas = sum(rs => rs.status?.replicas ?? 0)
    const available = sum(rs => rs.status?.availableReplicas ?? 0)
    const counts = {
      observedGeneration: d.metadata.generation,
      replicas,
      updatedReplicas: newRS?.status?.replicas ?? 0,
      readyReplicas: sum(rs => rs.status?.readyReplicas ?? 0),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, sum(rs => rs.spec.replicas ?? 0) - available)
    }
    const previous = d.status ?? {}
    const next: Record<string, unknown> = { ...previous, ...counts }
    if (!counts.unavailableReplicas) delete next.unavailableReplicas
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const)
      if (!counts[k]) delete next[k]
    d.status = next
    const t = this.timestamp()
    const { maxUnavailable } = rollingParameters(d)
    if (available >= desired - maxUnavailable)
      setCondition(
        d,
        'Available',
        'True',
        'MinimumReplicasAvailable',
        'Deployment has minimum availability.',
        t,
        false
      )
    else
      setCondition(
        d,
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
        t,
        false
      )
    const complete =
      newRS !== undefined &&
      counts.updatedReplicas === desired &&
      replicas === desired &&
      available === desired &&
      (newRS.status?.availableReplicas ?? 0) === desired
    const moved = JSON.stringify(pick(previous)) !== JSON.stringify(pick(counts))
    const progressing = condition(d, 'Progressing')
    if (complete && newRS) {
      setCondition(
        d,
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`,
        t,
        progressing?.reason !== 'NewReplicaSetAvailable'
      )
    } else if (moved && newRS) {
      setCondition(
        d,
        'Progressing',
        'True',
        'ReplicaSetUpdated',
        `ReplicaSet "${newRS.metadata.name}" is progressing.`,
        t,
        true
      )
    } else if (
      progressing &&
      progressing.status === 'True' &&
      progressing.reason !== 'NewReplicaSetAvailable' &&
      newRS
    ) {
      const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000
      if (Date.parse(progressing.lastUpdateTime) + deadline < this.clock()) {
        setCondition(
          d,
          'Progressing',
          'False',
          'ProgressDeadlineExceeded',
          `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`,
          t,
          true
        )
      }
    }
    const before = this.store.get('Deployment', d.metadata.namespace!, d.metadata.name)!
    if (JSON.stringify(before.status) === JSON.stringify(d.status)) return false
    before.status = d.status
    this.store.update(before, true)
    return true
  }

  /** Pods of deleted ReplicaSets and ReplicaSets of deleted Deployments go, as with the garbage collector. */
  private collectGarbage(): boolean {
    let changed = false
    for (const kind of ['ReplicaSet', 'Pod'] as const) {
      for (const o of this.store.list(kind)) {
        const owner = o.metadata.ownerReferences?.find(r => r.controller)
        if (!owner) continue
        const exists = this.store.get(
          owner.kind as 'Deployment' | 'ReplicaSet',
          o.metadata.namespace!,
          owner.name
        )
        if (!exists || exists.metadata.uid !== owner.uid) {
          this.store.delete(kind, o.metadata.namespace!, o.metadata.name)
          if (kind === 'Pod') this.kubelet.forget(o.metadata.uid!)
          changed = true
        }
      }
    }
    for (const d of this.store.list('Deployment')) {
      const limit = d.spec.revisionHistoryLimit ?? 10
      const idle = this.ownedReplicaSets(d)
        .filter(rs => rs.metadata.labels?.[HASH_LABEL] !== templateHash(d.spec.template))
        .filter(rs => rs.spec.replicas === 0 && (rs.status?.replicas ?? 0) === 0)
        .sort(byRevision)
      for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
        this.store.delete('ReplicaSet', rs.metadata.namespace!, rs.metadata.name)
        changed = true
      }
    }
    return changed
  }
}

function pick(s: Record<string, unknown>): unknown[] {
  return [s.replicas ?? 0, s.updatedReplicas ?? 0, s.readyReplicas ?? 0, s.availableReplicas ?? 0]
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function condition(d: KubeObject, type: string): Record<string, any> | undefined {
  return d.status?.conditions?.find((c: { type: string }) => c.type === type)
}

function setCondition(
  d: KubeObject,
  type: string,
  status: string,
  reason: string,
  message: string,
  t: string,
  touch: boolean
): void {
  d.status ??= {}
  const conditions = (d.status.conditions ??= []) as Record<string, unknown>[]
  const existing = conditions.find(c => c.type === type)
  if (!existing) {
    conditions.push({ type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message })
    return
  }
  if (existing.status !== status) existing.lastTransitionTime = t
  if (existing.status !== status || existing.reason !== reason || touch) existing.lastUpdateTime = t
  existing.status = status
  existing.reason = reason
  existing.message = message
}

export function rollingParameters(d: KubeObject): { maxSurge: number; maxUnavailable: number } {
  const desired = d.spec.replicas ?? 1
  if (d.spec.strategy?.type === 'Recreate') return { maxSurge: 0, maxUnavailable: desired }
  const ru = d.spec.strategy?.rollingUpdate ?? {}
  const maxSurge = resolve(ru.maxSurge ?? '25%', desired, true)
  let maxUnavailable = resolve(ru.maxUnavailable ?? '25%', desired, false)
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) }
}

function resolve(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value
  const percent = Number(value.replace('%', '')) / 100
  return roundUp ? Math.ceil(percent * total) : Math.floor(percent * total)
}

function rank(pod: KubeObject): number {
  if (!pod.spec.nodeName) return 0
  if (pod.status?.phase === 'Pending') return 1
  return isPodReady(pod) ? 3 : 2
}

function byRevision(a: KubeObject, b: KubeObject): number {
  return (
    Number(a.metadata.annotations?.[REVISION] ?? 0) -
    Number(b.metadata.annotations?.[REVISION] ?? 0)
  )
}

function ownedBy(child: KubeObject, owner: KubeObject): boolean {
  return (
    child.metadata.ownerReferences?.some(r => r.uid === owner.metadata.uid && r.controller) ?? false
  )
}

function ownerReference(owner: KubeObject): {
  apiVersion: string
  kind: string
  name: string
  uid: string
  controller: boolean
  blockOwnerDeletion: boolean
} {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true
  }
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789'

/** The pod-template-hash: a hash of the template, in the API server's vowel-free alphabet. */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256').update(canonical(template)).digest()
  let out = ''
  for (let i = 0; i < 10; i++) out += SAFE[digest[i] % SAFE.length]
  return out
}

function randomSuffix(): string {
  return [...randomBytes(5)].map(b => SAFE[b % SAFE.length]).join('')
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map(k => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}
