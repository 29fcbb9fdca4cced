// Docker-mode pods: each Pod's container runs on a private Docker Engine; readiness is the
// readinessProbe over real HTTP, an exit is a restart with back-off, a deleted pod leaves the
// Service's endpoints and then gets SIGTERM. State is waited for, never slept for.
import { afterAll, afterEach, beforeAll, beforeEach, expect, jest, test } from '@jest/globals'
import { get } from 'node:http'
import { buildAppImage, startDockerd, type DockerdInstance } from '../services/docker.js'
import { waitFor } from '../services/process.js'
import { startKubernetesEmulator, type KubernetesEmulator, type ServiceTraffic } from './index.js'
import { clients } from './test-helpers.js'

jest.setTimeout(180_000)

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

let dockerd: DockerdInstance
let k8s: KubernetesEmulator & ServiceTraffic

beforeAll(async () => {
  dockerd = await startDockerd({ name: 'k8s-pods' })
  await buildAppImage(dockerd, { version: 'v1', tag: 'registry.example/web:v1' })
  await buildAppImage(dockerd, {
    version: 'later',
    mode: 'fail-later',
    tag: 'registry.example/web:later'
  })
  await buildAppImage(dockerd, { version: 'exit', mode: 'exit', tag: 'registry.example/web:exit' })
})
afterAll(async () => {
  try {
    if (dockerd) expect((await dockerd.docker(['ps', '-aq'])).trim()).toBe('')
  } finally {
    await dockerd?.stop()
  }
})
beforeEach(async () => {
  k8s = await startKubernetesEmulator({ pods: 'docker', docker: dockerd })
})
afterEach(async () => {
  await k8s.close()
})

function app(image: string, replicas = 1) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 20,
          containers: [
            {
              name: 'app',
              image,
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: {
                httpGet: { path: '/health', port: 'http' },
                periodSeconds: 1,
                failureThreshold: 2
              }
            }
          ]
        }
      }
    }
  }
}

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }
}

const pods = (): Any[] => k8s.list('Pod', 'default', 'app=web') as Any[]
const ready = (pod: Any): boolean =>
  pod.status?.conditions?.some((c: Any) => c.type === 'Ready' && c.status === 'True') ?? false
/** One GET on a new connection (a pooled one would stay with the pod it was opened to). */
function once(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, res => {
      let body = ''
      res.on('data', chunk => (body += chunk))
      res.on('end', () => resolve(body.split('\n')[0]))
      res.on('error', reject)
    }).on('error', reject)
  })
}
const until = (what: string, probe: () => boolean) => waitFor(what, probe, 60_000)

test('readiness is the probe over real HTTP: ready, then unready when /health fails', async () => {
  const { apply } = clients(k8s)
  await apply(service)
  await apply(app('registry.example/web:later'))
  await until('the pod to be ready', () => pods().length === 1 && ready(pods()[0]))
  const [pod] = pods()
  expect(pod.status.podIP).toMatch(/^10\.231\.\d+\.\d+$/)
  expect(k8s.endpoints('default', 'web')).toEqual([
    { pod: pod.metadata.name, ip: pod.status.podIP, port: 8080 }
  ])
  const url = await k8s.serviceUrl('default', 'web', 'http')
  expect(await once(url)).toBe('later')

  // The app's /health answers 500 from now on: two failed probes make the pod unready.
  const id = pod.status.containerStatuses[0].containerID.replace('docker://', '')
  await dockerd.docker(['exec', id, 'touch', '/tmp/fail'])
  await until('the pod to be unready', () => !ready(pods()[0]))
  expect(k8s.endpoints('default', 'web')).toEqual([])
  const events = k8s.list('Event', 'default') as Any[]
  expect(events.map(e => e.message)).toContainEqual(
    expect.stringMatching(/Readiness probe failed: HTTP probe failed with statuscode: 500/)
  )
  // No endpoint: the proxy refuses the connection instead of sending it to an unready pod.
  await expect(once(url)).rejects.toThrow(/ECONNRESET|socket hang up/)
})

test('a container that exits is restarted with back-off: CrashLoopBackOff, its exit code, its log', async () => {
  const { apply, core } = clients(k8s)
  await apply(app('registry.example/web:exit'))
  await until(
    'CrashLoopBackOff',
    () => pods()[0]?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff'
  )
  const [pod] = pods()
  const status = pod.status.containerStatuses[0]
  expect(status.restartCount).toBe(1)
  expect(status.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' })
  expect(ready(pod)).toBe(false)
  const log = await core.readNamespacedPodLog({
    name: pod.metadata.name,
    namespace: 'default',
    container: 'app'
  })
  expect(String(log)).toContain('exits at start (MODE=exit)')
})

test('a deleted pod leaves the endpoints at once, then its container gets SIGTERM and goes', async () => {
  const { apply } = clients(k8s)
  await apply(service)
  await apply(app('registry.example/web:v1'))
  await until('the pod to be ready', () => pods().length === 1 && ready(pods()[0]))
  const id = pods()[0].status.containerStatuses[0].containerID.replace('docker://', '')
  const since = String(Math.floor(Date.now() / 1000) - 1)
  await apply(app('registry.example/web:v1', 0))
  await until('the pod to be deleted', () => pods().length === 0)
  expect(k8s.endpoints('default', 'web')).toEqual([])
  await k8s.settled()
  expect(k8s.containers()).toEqual([])
  expect((await dockerd.docker(['ps', '-aq'])).trim()).toBe('')
  // The app exits on SIGTERM well within its grace period: docker never had to SIGKILL it.
  const until_ = String(Math.floor(Date.now() / 1000) + 1)
  const signals = (
    await dockerd.docker([
      'events',
      '--since',
      since,
      '--until',
      until_,
      '--filter',
      `container=${id}`,
      '--filter',
      'event=kill',
      '--format',
      '{{.Actor.Attributes.signal}}'
    ])
  )
    .split('\n')
    .filter(Boolean)
  expect(signals).toEqual(['15'])
})
