import type { EventRecorder } from './events.js'
import type { Store } from './store.js'
import type { KubeObject, PodBehaviour } from './types.js'

/** Kubelet restart back-off: 10 s doubling to 5 min, as the real kubelet does. */
const BACKOFF_MS = [10_000, 20_000, 40_000, 80_000, 160_000, 300_000]
/** Crash-looping containers stop restarting after this many restarts so the emulator can settle. */
export const MAX_RESTARTS = 6
/** A `fail-after-ready` container exits this long after it became ready. */
const FAIL_AFTER_MS = 5_000
const PROBE_PERIOD_MS = 1_000

interface PodRuntime {
  behaviour: PodBehaviour
  checks: number
  readySince?: number
  nextAt?: number
  crashing: boolean
  logs: Map<string, string[]>
  previousLogs: Map<string, string[]>
  warnedUnready: boolean
  /** Restarts exhausted: the container stays in CrashLoopBackOff with nothing left to do. */
  gaveUp: boolean
}

/**
 * The kubelet of the emulator: moves each Pod one step at a time (scheduled, started, ready;
 * or crashing and backing off) according to its image's behaviour, with Events and log lines.
 */
export class Kubelet {
  private readonly runtime = new Map<string, PodRuntime>()

  constructor(
    private readonly store: Store,
    private readonly events: EventRecorder,
    private readonly behaviourOf: (image: string) => PodBehaviour,
    private readonly clock: () => number,
    private readonly timestamp: () => string
  ) {}

  /** Next virtual time at which some pod has something to do, if any. */
  nextTimer(): number | undefined {
    let next: number | undefined
    for (const r of this.runtime.values())
      if (r.nextAt !== undefined && (next === undefined || r.nextAt < next)) next = r.nextAt
    return next
  }

  forget(uid: string): void {
    this.runtime.delete(uid)
  }

  logs(pod: KubeObject, container: string, previous: boolean): string[] | undefined {
    const r = this.runtime.get(pod.metadata.uid!)
    return (previous ? r?.previousLogs : r?.logs)?.get(container)
  }

  /** One step for one pod; true when it changed. */
  step(pod: KubeObject): boolean {
    const uid = pod.metadata.uid!
    const containers = (pod.spec.containers ?? []) as { name: string; image: string }[]
    let r = this.runtime.get(uid)
    if (!r) {
      const behaviours = containers.map(c => this.behaviourOf(c.image))
      const behaviour = behaviours.find(b => b !== 'ready') ?? 'ready'
      r = {
        behaviour,
        checks: 0,
        crashing: false,
        logs: new Map(),
        previousLogs: new Map(),
        warnedUnready: false,
        gaveUp: false
      }
      this.runtime.set(uid, r)
    }
    const now = this.clock()
    if (r.nextAt !== undefined && r.nextAt > now) return false
    r.nextAt = undefined
    const status = pod.status ?? {}
    const t = this.timestamp()
    if (!pod.spec.nodeName) {
      pod.spec.nodeName = 'emulator-node'
      pod.status = {
        phase: 'Pending',
        qosClass: 'BestEffort',
        hostIP: '10.0.0.1',
        conditions: [condition('PodScheduled', 'True', t)],
        containerStatuses: containers.map(c => ({
          name: c.name,
          image: c.image,
          imageID: '',
          ready: false,
          started: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } }
        }))
      }
      this.write(pod)
      this.events.record(
        pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to emulator-node`,
        'default-scheduler'
      )
      return true
    }
    if (status.phase === 'Pending') {
      status.phase = 'Running'
      status.podIP = podIP(uid)
      status.podIPs = [{ ip: status.podIP }]
      status.startTime = t
      status.conditions = [
        condition('PodReadyToStartContainers', 'True', t),
        condition('Initialized', 'True', t),
        condition('Ready', 'False', t, 'ContainersNotReady'),
        condition('ContainersReady', 'False', t, 'ContainersNotReady'),
        condition('PodScheduled', 'True', t)
      ]
      for (const c of containers) {
        this.events.record(
          pod,
          'Normal',
          'Pulled',
          `Container image "${c.image}" already present on machine`,
          'kubelet'
        )
        this.events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, 'kubelet')
        this.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, 'kubelet')
        this.log(r, c.name, `starting ${c.image}`)
      }
      status.containerStatuses = containers.map(c => running(c, t, 0, imageID(c.image)))
      if (r.behaviour === 'crash-loop') {
        r.crashing = true
        r.nextAt = now + 1
      } else if (r.behaviour !== 'never-ready')
        r.nextAt = now + (r.behaviour === 'ready' ? 1 : PROBE_PERIOD_MS)
      this.write(pod)
      return true
    }
    if (r.gaveUp) return false
    if (r.behaviour === 'succeed' || r.behaviour === 'fail')
      return this.complete(pod, r, containers, t)
    if (r.crashing) return this.crashStep(pod, r, containers, now, t)
    const ready =
      status.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status === 'True'
    if (!ready) {
      r.checks++
      const needed =
        typeof r.behaviour === 'object'
          ? r.behaviour.readyAfterChecks
          : r.behaviour === 'never-ready'
            ? Infinity
            : 1
      if (r.checks < needed) {
        if (!r.warnedUnready) {
          r.warnedUnready = true
          this.events.record(
            pod,
            'Warning',
            'Unhealthy',
            'Readiness probe failed: HTTP probe failed with statuscode: 503',
            'kubelet'
          )
        }
        if (needed !== Infinity) r.nextAt = now + PROBE_PERIOD_MS
        return r.warnedUnready && r.checks === 1
      }
      setReady(pod, true, t)
      for (const c of containers) this.log(r, c.name, 'ready to serve')
      r.readySince = now
      if (r.behaviour === 'fail-after-ready') r.nextAt = now + FAIL_AFTER_MS
      this.write(pod)
      return true
    }
    if (r.behaviour === 'fail-after-ready') {
      r.crashing = true
      return this.crashStep(pod, r, containers, now, t)
    }
    return false
  }

  /** A run-to-completion pod's container exits (0 or 1); the pod ends Succeeded or Failed, once. */
  private complete(
    pod: KubeObject,
    r: PodRuntime,
    containers: { name: string; image: string }[],
    t: string
  ): boolean {
    if (pod.status.phase !== 'Running') return false
    const ok = r.behaviour === 'succeed'
    for (const c of containers)
      this.log(r, c.name, ok ? 'check passed' : 'check failed: GET /health answered 503')
    pod.status.phase = ok ? 'Succeeded' : 'Failed'
    const statuses = pod.status.containerStatuses as Record<string, any>[] // eslint-disable-line @typescript-eslint/no-explicit-any
    pod.status.containerStatuses = statuses.map(s => ({
      ...s,
      ready: false,
      started: false,
      state: {
        terminated: {
          exitCode: ok ? 0 : 1,
          reason: ok ? 'Completed' : 'Error',
          startedAt: s.state.running?.startedAt ?? t,
          finishedAt: t,
          containerID: s.containerID
        }
      }
    }))
    setReady(pod, false, t)
    for (const c of pod.status.conditions as Record<string, unknown>[])
      if (c.type === 'Ready' || c.type === 'ContainersReady')
        c.reason = ok ? 'PodCompleted' : 'PodFailed'
    this.write(pod)
    r.gaveUp = true
    return true
  }

  /** Crash → terminated (Error) → CrashLoopBackOff waiting → restart after back-off → crash. */
  private crashStep(
    pod: KubeObject,
    r: PodRuntime,
    containers: { name: string; image: string }[],
    now: number,
    t: string
  ): boolean {
    const statuses = pod.status.containerStatuses as Record<string, any>[] // eslint-disable-line @typescript-eslint/no-explicit-any
    const first = statuses[0]
    if (first.state.running) {
      for (const c of containers) {
        this.log(r, c.name, 'panic: connection to the database refused')
        this.log(r, c.name, 'exiting with status 1')
      }
      pod.status.containerStatuses = statuses.map(s => ({
        ...s,
        ready: false,
        started: false,
        state: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: s.state.running.startedAt,
            finishedAt: t,
            containerID: s.containerID
          }
        },
        ...(s.lastState ? { lastState: s.lastState } : {})
      }))
      setReady(pod, false, t)
      this.write(pod)
      r.nextAt = now + 1
      return true
    }
    if (first.state.terminated) {
      const restarts = first.restartCount + 1
      const backoff = BACKOFF_MS[Math.min(restarts - 1, BACKOFF_MS.length - 1)]
      pod.status.containerStatuses = statuses.map(s => ({
        ...s,
        restartCount: restarts,
        lastState: { terminated: s.state.terminated },
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${backoff / 1000}s restarting failed container=${s.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`
          }
        }
      }))
      for (const c of containers) {
        this.events.record(
          pod,
          'Warning',
          'BackOff',
          'Back-off restarting failed container ' +
            c.name +
            ' in pod ' +
            pod.metadata.name +
            '_' +
            pod.metadata.namespace +
            '(' +
            pod.metadata.uid +
            ')',
          'kubelet'
        )
      }
      this.write(pod)
      if (restarts >= MAX_RESTARTS) r.gaveUp = true
      else r.nextAt = now + backoff
      return true
    }
    // Waiting in back-off and the back-off has passed: start again; it will crash again.
    for (const c of containers) {
      r.previousLogs.set(c.name, r.logs.get(c.name) ?? [])
      r.logs.set(c.name, [])
      this.log(r, c.name, `starting ${c.image}`)
    }
    pod.status.containerStatuses = statuses.map(s => ({
      ...running({ name: s.name, image: s.image }, t, s.restartCount, s.imageID),
      lastState: s.lastState
    }))
    this.write(pod)
    r.nextAt = now + 1
    return true
  }

  private log(r: PodRuntime, container: string, line: string): void {
    const lines = r.logs.get(container) ?? []
    lines.push(`${this.timestamp()} ${line}`)
    r.logs.set(container, lines)
  }

  private write(pod: KubeObject): void {
    this.store.update(pod, false)
  }
}

function condition(
  type: string,
  status: 'True' | 'False',
  time: string,
  reason?: string
): Record<string, unknown> {
  return { type, status, lastTransitionTime: time, ...(reason ? { reason } : {}) }
}

function running(
  c: { name: string; image: string },
  t: string,
  restartCount: number,
  id: string
): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    imageID: id,
    containerID: `containerd://${Buffer.from(c.name + t)
      .toString('hex')
      .slice(0, 32)}`,
    ready: false,
    started: true,
    restartCount,
    state: { running: { startedAt: t } }
  }
}

function setReady(pod: KubeObject, ready: boolean, t: string): void {
  const value = ready ? 'True' : 'False'
  for (const c of pod.status.conditions as Record<string, unknown>[]) {
    if (c.type === 'Ready' || c.type === 'ContainersReady') {
      if (c.status !== value) c.lastTransitionTime = t
      c.status = value
      if (ready) delete c.reason
      else c.reason = 'ContainersNotReady'
    }
  }
  for (const s of pod.status.containerStatuses as Record<string, unknown>[]) s.ready = ready
}

function podIP(uid: string): string {
  const n = parseInt(uid.replace(/-/g, '').slice(0, 6), 16)
  return `10.244.${(n >> 8) & 255}.${n & 255 || 1}`
}

function imageID(image: string): string {
  const digest = /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1]
  return digest
    ? image
    : `${image}@sha256:${Buffer.from(image).toString('hex').padEnd(64, '0').slice(0, 64)}`
}

export function isPodReady(pod: KubeObject): boolean {
  return (
    pod.status?.conditions?.some(
      (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'
    ) ?? false
  )
}

export function readySince(pod: KubeObject): string | undefined {
  return pod.status?.conditions?.find(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'
  )?.lastTransitionTime
}
