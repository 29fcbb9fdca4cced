// Docker-backed pods: a kubelet that runs each Pod's containers on a test Docker Engine, so
// readiness is a real probe against a real process and traffic reaches real containers.
// The emulator's controllers stay synchronous: the asynchronous work (docker run, probes,
// exits, stops) writes into a per-pod runtime record, and `step()` turns that record into the
// Pod's status on the controllers' next pass.
import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { connect } from 'node:net'
import type { DockerdInstance } from '../services/docker.js'
import type { EventRecorder } from './events.js'
import { Kubelet } from './pods.js'
import type { Store } from './store.js'
import type { KubeObject } from './types.js'

/** Kubelet restart back-off: 10 s doubling to 5 min, in real time here. */
const BACKOFF_MS = [10_000, 20_000, 40_000, 80_000, 160_000, 300_000]
/**
 * The readiness probe's period when the manifest sets none. The kubelet's default is 10 s;
 * 1 s keeps rollouts short and still probes over real HTTP.
 */
const DEFAULT_PERIOD_MS = 1_000

interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string }
  tcpSocket?: { port: number | string }
  initialDelaySeconds?: number
  periodSeconds?: number
  timeoutSeconds?: number
  successThreshold?: number
  failureThreshold?: number
}

interface ContainerSpec {
  name: string
  image: string
  command?: string[]
  args?: string[]
  env?: { name: string; value?: string }[]
  ports?: { name?: string; containerPort: number }[]
  readinessProbe?: Probe
}

interface ContainerRuntime {
  spec: ContainerSpec
  id?: string
  state: 'waiting' | 'running' | 'terminated'
  waitingReason: string
  waitingMessage?: string
  startedAt?: string
  terminated?: { exitCode: number; reason: string; startedAt: string; finishedAt: string }
  lastTerminated?: ContainerRuntime['terminated']
  restartCount: number
  ready: boolean
  successes: number
  failures: number
  probeTimer?: NodeJS.Timeout
  waiter?: ChildProcess
  logs: string[]
  previousLogs: string[]
}

interface DockerPodRuntime {
  uid: string
  namespace: string
  name: string
  ip?: string
  containers: ContainerRuntime[]
  /** Deleted from the API: the containers are being stopped. */
  terminating: boolean
  startedAt?: string
  /** `docker run` of its containers, under way or done. */
  starting?: Promise<void>
  timers: Set<NodeJS.Timeout>
}

/**
 * The kubelet of docker mode. Pod IP = the first container's address on the daemon's bridge
 * (every other container of the pod joins its network namespace, like the pause container).
 */
export class DockerKubelet extends Kubelet {
  private readonly pods = new Map<string, DockerPodRuntime>()
  /** docker commands under way: `settled()` waits for them. */
  private readonly busy = new Set<Promise<unknown>>()
  private readonly unsubscribe: () => void
  private closed = false

  constructor(
    private readonly dockerStore: Store,
    private readonly dockerEvents: EventRecorder,
    private readonly docker: DockerdInstance,
    private readonly notify: () => void,
    private readonly stamp: () => string
  ) {
    super(dockerStore, dockerEvents, () => 'ready', Date.now, stamp)
    this.unsubscribe = dockerStore.subscribe(event => {
      if (event.kind === 'Pod' && event.type === 'DELETED') this.terminate(event.object)
    })
  }

  /** Real time only: nothing to jump to. */
  override nextTimer(): number | undefined {
    return undefined
  }

  /** True while docker commands (run, stop, rm) are under way. */
  get working(): boolean {
    return this.busy.size > 0
  }

  /** Resolves when no docker command is under way (probes and back-off timers keep running). */
  async idle(): Promise<void> {
    while (this.busy.size) await Promise.allSettled([...this.busy])
  }

  override forget(uid: string): void {
    const r = this.pods.get(uid)
    if (r && !r.terminating) this.terminate({ metadata: { uid } } as KubeObject)
  }

  override logs(pod: KubeObject, container: string, previous: boolean): string[] | undefined {
    const c = this.pods.get(pod.metadata.uid!)?.containers.find(x => x.spec.name === container)
    return c ? (previous ? c.previousLogs : c.logs) : undefined
  }

  override step(pod: KubeObject): boolean {
    const uid = pod.metadata.uid!
    let r = this.pods.get(uid)
    if (!r) {
      const specs = (pod.spec.containers ?? []) as ContainerSpec[]
      r = {
        uid,
        namespace: pod.metadata.namespace!,
        name: pod.metadata.name,
        containers: specs.map(spec => ({
          spec,
          state: 'waiting',
          waitingReason: 'ContainerCreating',
          restartCount: 0,
          ready: false,
          successes: 0,
          failures: 0,
          logs: [],
          previousLogs: []
        })),
        terminating: false,
        timers: new Set()
      }
      this.pods.set(uid, r)
      const t = this.stamp()
      pod.spec.nodeName = 'emulator-node'
      pod.status = {
        phase: 'Pending',
        qosClass: 'BestEffort',
        hostIP: '127.0.0.1',
        conditions: [condition('PodScheduled', 'True', t)],
        containerStatuses: r.containers.map(c => this.containerStatus(c))
      }
      this.dockerStore.update(pod, false)
      this.dockerEvents.record(
        pod,
        'Normal',
        'Scheduled',
        `Successfully assigned ${r.namespace}/${r.name} to emulator-node`,
        'default-scheduler'
      )
      r.starting = this.start(r)
      this.track(r.starting)
      return true
    }
    const next = this.statusOf(r, pod)
    if (JSON.stringify(next) === JSON.stringify(pod.status)) return false
    pod.status = next
    this.dockerStore.update(pod, false)
    return true
  }

  /** Stops every container this kubelet started and removes them; then stops its timers. */
  async close(): Promise<void> {
    this.closed = true
    this.unsubscribe()
    for (const r of this.pods.values()) this.stopTimers(r)
    await this.idle()
    const ids = [...this.pods.values()].flatMap(r => r.containers.flatMap(c => c.id ?? []))
    if (ids.length) await this.docker.docker(['rm', '-f', ...ids]).catch(() => undefined)
    for (const r of this.pods.values()) for (const c of r.containers) c.waiter?.kill()
    this.pods.clear()
  }

  /** Ids of the containers of pods not yet deleted (for leftover checks in tests). */
  containerIds(): string[] {
    return [...this.pods.values()].flatMap(r => r.containers.flatMap(c => c.id ?? []))
  }

  private track<T>(work: Promise<T>): void {
    const p = work
      .catch(error => {
        // a failed docker command is shown on the pod; it never ends the emulator
        void error
      })
      .finally(() => {
        this.busy.delete(p)
        this.notify()
      })
    this.busy.add(p)
  }

  private async start(r: DockerPodRuntime): Promise<void> {
    const [first] = r.containers
    for (const c of r.containers) {
      if (r.terminating || this.closed) return
      const args = ['run', '-d', '--pull', 'never']
      args.push('--name', `k8s_${c.spec.name}_${r.name}_${r.namespace}_${r.uid.slice(0, 8)}`)
      if (c !== first && first.id) args.push('--network', `container:${first.id}`)
      for (const e of c.spec.env ?? []) args.push('-e', `${e.name}=${e.value ?? ''}`)
      if (c.spec.command?.length) args.push('--entrypoint', c.spec.command[0])
      args.push(c.spec.image)
      if (c.spec.command?.length) args.push(...c.spec.command.slice(1))
      args.push(...(c.spec.args ?? []))
      try {
        c.id = (await this.docker.docker(args)).trim()
      } catch (error) {
        c.waitingReason = /No such image|pull access denied|not found/i.test(String(error))
          ? 'ErrImageNeverPull'
          : 'CreateContainerError'
        c.waitingMessage = String((error as Error).message ?? error)
          .split('\n')
          .slice(-2)
          .join(' ')
        this.event(r, 'Warning', 'Failed', `Error: ${c.waitingReason}`)
        return
      }
      if (c === first) {
        r.ip = (
          await this.docker.docker([
            'inspect',
            '--format',
            '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}',
            c.id
          ])
        ).trim()
        r.startedAt = this.stamp()
      }
      this.event(
        r,
        'Normal',
        'Pulled',
        `Container image "${c.spec.image}" already present on machine`
      )
      this.event(r, 'Normal', 'Created', `Created container: ${c.spec.name}`)
      this.event(r, 'Normal', 'Started', `Started container ${c.spec.name}`)
      this.running(r, c)
    }
  }

  /** The container runs: watch for its exit and probe it. */
  private running(r: DockerPodRuntime, c: ContainerRuntime): void {
    c.state = 'running'
    c.startedAt = this.stamp()
    c.successes = 0
    c.failures = 0
    c.ready = !c.spec.readinessProbe
    // `docker wait` ends when the container exits and prints its exit code.
    const waiter = spawn('docker', ['wait', c.id!], {
      env: { ...process.env, ...this.docker.env },
      stdio: ['ignore', 'pipe', 'ignore']
    })
    c.waiter = waiter
    let out = ''
    waiter.stdout!.on('data', chunk => (out += chunk))
    waiter.on('close', () => {
      if (c.waiter !== waiter) return
      c.waiter = undefined
      const code = Number(out.trim())
      if (Number.isInteger(code) && out.trim() !== '') this.exited(r, c, code)
    })
    this.scheduleProbe(r, c, (c.spec.readinessProbe?.initialDelaySeconds ?? 0) * 1000)
    this.notify()
  }

  private exited(r: DockerPodRuntime, c: ContainerRuntime, exitCode: number): void {
    if (r.terminating || this.closed) return
    clearTimeout(c.probeTimer)
    c.ready = false
    // Its log first, so whoever sees the exit can read why.
    this.track(
      this.containerLogs(c.id!)
        .then(lines => (c.logs = lines))
        .finally(() => this.terminated(r, c, exitCode))
    )
  }

  /** Both streams of `docker logs --timestamps`, in time order, as `<RFC 3339 time> <line>`. */
  private containerLogs(id: string): Promise<string[]> {
    return new Promise(resolve => {
      const child = spawn('docker', ['logs', '--timestamps', id], {
        env: { ...process.env, ...this.docker.env },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      let out = ''
      child.stdout!.on('data', chunk => (out += chunk))
      child.stderr!.on('data', chunk => (out += chunk))
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
      child.on('error', () => resolve([]))
      child.on('close', () => {
        clearTimeout(timer)
        resolve(
          out
            .split('\n')
            .filter(Boolean)
            .sort((a, b) => a.slice(0, 30).localeCompare(b.slice(0, 30)))
        )
      })
    })
  }

  private terminated(r: DockerPodRuntime, c: ContainerRuntime, exitCode: number): void {
    if (r.terminating || this.closed) return
    c.state = 'terminated'
    c.terminated = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt: c.startedAt ?? this.stamp(),
      finishedAt: this.stamp()
    }
    this.notify()
    // Back-off, then start the same container again (restartPolicy Always).
    const backoff = BACKOFF_MS[Math.min(c.restartCount, BACKOFF_MS.length - 1)]
    this.later(
      r,
      () => {
        c.restartCount++
        c.lastTerminated = c.terminated
        c.terminated = undefined
        c.state = 'waiting'
        c.waitingReason = 'CrashLoopBackOff'
        c.waitingMessage = `back-off ${backoff / 1000}s restarting failed container=${c.spec.name} pod=${r.name}_${r.namespace}(${r.uid})`
        this.event(
          r,
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${c.spec.name} in pod ${r.name}_${r.namespace}(${r.uid})`
        )
        this.notify()
        this.later(
          r,
          () =>
            this.track(
              this.docker.docker(['start', c.id!]).then(() => {
                if (r.terminating || this.closed) return
                c.previousLogs = c.logs
                c.logs = []
                this.running(r, c)
              })
            ),
          backoff
        )
      },
      1
    )
  }

  private later(r: DockerPodRuntime, fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      r.timers.delete(timer)
      if (!r.terminating && !this.closed) fn()
    }, ms)
    r.timers.add(timer)
  }

  private scheduleProbe(r: DockerPodRuntime, c: ContainerRuntime, delay: number): void {
    const probe = c.spec.readinessProbe
    if (!probe || r.terminating || this.closed) return
    clearTimeout(c.probeTimer)
    c.probeTimer = setTimeout(async () => {
      if (r.terminating || this.closed || c.state !== 'running') return
      const ok = await this.probe(r, c, probe)
      if (r.terminating || this.closed || c.state !== 'running') return
      if (ok) {
        c.failures = 0
        c.successes++
        if (!c.ready && c.successes >= (probe.successThreshold ?? 1)) {
          c.ready = true
          this.notify()
        }
      } else {
        c.successes = 0
        c.failures++
        if (c.failures === 1 || (c.ready && c.failures >= (probe.failureThreshold ?? 3))) {
          if (c.failures === 1)
            this.event(r, 'Warning', 'Unhealthy', `Readiness probe failed: ${this.lastProbeError}`)
          if (c.ready && c.failures >= (probe.failureThreshold ?? 3)) {
            c.ready = false
            this.notify()
          }
        }
      }
      this.scheduleProbe(r, c, probe.periodSeconds ? probe.periodSeconds * 1000 : DEFAULT_PERIOD_MS)
    }, delay)
  }

  private lastProbeError = ''

  /** One readiness check over the bridge: HTTP GET (200–399 passes) or a TCP connect. */
  private probe(r: DockerPodRuntime, c: ContainerRuntime, probe: Probe): Promise<boolean> {
    const ip = r.ip
    if (!ip) return Promise.resolve(false)
    const timeout = (probe.timeoutSeconds ?? 1) * 1000
    const port = resolvePort(c.spec, probe.httpGet?.port ?? probe.tcpSocket?.port ?? 0)
    return new Promise(resolve => {
      if (probe.httpGet) {
        const req = request(
          { host: ip, port, path: probe.httpGet.path ?? '/', timeout, agent: false },
          res => {
            res.resume()
            const status = res.statusCode ?? 0
            this.lastProbeError = `HTTP probe failed with statuscode: ${status}`
            resolve(status >= 200 && status < 400)
          }
        )
        req.on('timeout', () => req.destroy(new Error('context deadline exceeded')))
        req.on('error', error => {
          this.lastProbeError = `Get "http://${ip}:${port}${probe.httpGet?.path ?? '/'}": ${error.message}`
          resolve(false)
        })
        req.end()
      } else {
        const socket = connect({ host: ip, port, timeout })
        socket.on('connect', () => {
          socket.destroy()
          resolve(true)
        })
        socket.on('timeout', () => socket.destroy(new Error('i/o timeout')))
        socket.on('error', error => {
          this.lastProbeError = `dial tcp ${ip}:${port}: ${error.message}`
          resolve(false)
        })
      }
    })
  }

  /**
   * A deleted Pod: it has already left the store (so the Service proxy no longer picks it, as
   * its endpoint leaves the EndpointSlice before the kubelet kills it); its containers get
   * SIGTERM and, after terminationGracePeriodSeconds, SIGKILL (`docker stop -t`), then go.
   */
  private terminate(pod: KubeObject): void {
    const r = this.pods.get(pod.metadata.uid!)
    if (!r || r.terminating) return
    r.terminating = true
    this.stopTimers(r)
    const grace = Number(pod.spec?.terminationGracePeriodSeconds ?? 30)
    const preStop = preStopSleepSeconds(pod)
    this.track(
      (async () => {
        // a start still under way finishes first, so no container is left behind
        await r.starting?.catch(() => undefined)
        const ids = r.containers.flatMap(c => c.id ?? [])
        if (ids.length) {
          // The kubelet runs a preStop `sleep` before SIGTERM: the pod has already left the
          // Service's endpoints, and a connection picked just before that still finds it serving.
          if (preStop > 0) await new Promise(resolve => setTimeout(resolve, preStop * 1000))
          await this.docker.docker(['stop', '-t', String(grace), ...ids]).catch(() => undefined)
          await this.docker.docker(['rm', '-f', ...ids]).catch(() => undefined)
        }
        for (const c of r.containers) c.waiter?.kill()
        this.pods.delete(r.uid)
      })()
    )
  }

  private stopTimers(r: DockerPodRuntime): void {
    for (const t of r.timers) clearTimeout(t)
    r.timers.clear()
    for (const c of r.containers) clearTimeout(c.probeTimer)
  }

  private event(r: DockerPodRuntime, type: string, reason: string, message: string): void {
    const pod = this.dockerStore.get('Pod', r.namespace, r.name)
    if (pod && pod.metadata.uid === r.uid)
      this.dockerEvents.record(pod, type as 'Normal' | 'Warning', reason, message, 'kubelet')
  }

  private containerStatus(c: ContainerRuntime): Record<string, unknown> {
    const state =
      c.state === 'running'
        ? { running: { startedAt: c.startedAt } }
        : c.state === 'terminated'
          ? { terminated: { ...c.terminated, containerID: `docker://${c.id}` } }
          : {
              waiting: {
                reason: c.waitingReason,
                ...(c.waitingMessage ? { message: c.waitingMessage } : {})
              }
            }
    return {
      name: c.spec.name,
      image: c.spec.image,
      imageID: '',
      ...(c.id ? { containerID: `docker://${c.id}` } : {}),
      ready: c.ready,
      started: c.state === 'running',
      restartCount: c.restartCount,
      state,
      ...(c.lastTerminated
        ? { lastState: { terminated: { ...c.lastTerminated, containerID: `docker://${c.id}` } } }
        : {})
    }
  }

  private statusOf(r: DockerPodRuntime, pod: KubeObject): Record<string, unknown> {
    const previous = (pod.status ?? {}) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
    const t = this.stamp()
    const started = r.ip !== undefined
    const ready = started && r.containers.every(c => c.ready)
    const old = (type: string) =>
      (previous.conditions ?? []).find((x: { type: string }) => x.type === type)
    const cond = (type: string, ok: boolean, reason?: string) => {
      const before = old(type)
      const status = ok ? 'True' : 'False'
      return {
        type,
        status,
        lastTransitionTime: before && before.status === status ? before.lastTransitionTime : t,
        ...(ok || !reason ? {} : { reason })
      }
    }
    return {
      phase: started ? 'Running' : 'Pending',
      qosClass: 'BestEffort',
      hostIP: '127.0.0.1',
      ...(started ? { podIP: r.ip, podIPs: [{ ip: r.ip }], startTime: r.startedAt } : {}),
      conditions: started
        ? [
            cond('PodReadyToStartContainers', true),
            cond('Initialized', true),
            cond('Ready', ready, 'ContainersNotReady'),
            cond('ContainersReady', ready, 'ContainersNotReady'),
            cond('PodScheduled', true)
          ]
        : [cond('PodScheduled', true)],
      containerStatuses: r.containers.map(c => this.containerStatus(c))
    }
  }
}

/** A probe's or Service's port: a number, or the name of one of the container's ports. */
export function resolvePort(spec: ContainerSpec, port: number | string): number {
  if (typeof port === 'number') return port
  if (/^\d+$/.test(port)) return Number(port)
  return spec.ports?.find(p => p.name === port)?.containerPort ?? 0
}

function condition(type: string, status: string, t: string): Record<string, unknown> {
  return { type, status, lastTransitionTime: t }
}

/** The longest `lifecycle.preStop.sleep.seconds` of the pod's containers (0 without one). */
function preStopSleepSeconds(pod: KubeObject): number {
  const containers = (pod.spec?.containers ?? []) as {
    lifecycle?: { preStop?: { sleep?: { seconds?: number } } }
  }[]
  return Math.max(0, ...containers.map(c => Number(c.lifecycle?.preStop?.sleep?.seconds ?? 0)))
}
