// What real Go clients (helm) need from the emulator beyond what @kubernetes/client-node uses:
// TLS (they send a bearer token only over TLS), Secrets (helm's release storage) written as
// protobuf, the OpenAPI v3 documents that say the server validates fields, WatchList with
// its initial-events-end bookmark, and run-to-completion pods (helm test hooks).
import { request } from 'node:https'
import { parse } from 'yaml'
import { startKubernetesEmulator, type KubernetesEmulator } from './index.js'
import { clients } from './test-helpers.js'

let emulator: KubernetesEmulator
beforeEach(async () => {
  emulator = await startKubernetesEmulator({ tls: true })
})
afterEach(async () => {
  await emulator.close()
})

interface Answer {
  status: number
  body: string
}

/** One HTTPS request trusting only the CA the emulator's kubeconfig carries. */
function call(
  method: string,
  path: string,
  options: { body?: Buffer; contentType?: string; token?: string; lines?: number } = {}
): Promise<Answer> {
  const doc = parse(emulator.kubeconfig()) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[]
  }
  const ca = Buffer.from(doc.clusters[0].cluster['certificate-authority-data'], 'base64')
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.url}${path}`,
      {
        method,
        ca,
        headers: {
          authorization: `Bearer ${options.token ?? emulator.token}`,
          ...(options.contentType ? { 'content-type': options.contentType } : {})
        }
      },
      res => {
        let body = ''
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8')
          // A watch never ends by itself: stop once the lines looked for are there.
          if (options.lines && body.split('\n').filter(Boolean).length >= options.lines) {
            res.destroy()
            resolve({ status: res.statusCode ?? 0, body })
          }
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

// A minimal protobuf writer for the test's request: tag, length, bytes.
function field(number: number, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value
  const varint = (n: number): number[] => {
    const out: number[] = []
    while (n > 127) {
      out.push((n & 127) | 128)
      n >>>= 7
    }
    out.push(n)
    return out
  }
  return Buffer.concat([
    Buffer.from([...varint((number << 3) | 2), ...varint(bytes.length)]),
    bytes
  ])
}

function protobufSecret(name: string, label: [string, string], data: [string, Buffer]): Buffer {
  const meta = Buffer.concat([
    field(1, name),
    field(11, Buffer.concat([field(1, label[0]), field(2, label[1])]))
  ])
  const secret = Buffer.concat([
    field(1, meta),
    field(2, Buffer.concat([field(1, data[0]), field(2, data[1])])),
    field(3, 'helm.sh/release.v1')
  ])
  const typeMeta = Buffer.concat([field(1, 'v1'), field(2, 'Secret')])
  return Buffer.concat([
    Buffer.from([0x6b, 0x38, 0x73, 0x00]),
    field(1, typeMeta),
    field(2, secret),
    field(4, 'application/vnd.kubernetes.protobuf')
  ])
}

test('serves HTTPS with the kubeconfig’s CA and still requires the token', async () => {
  expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  expect((await call('GET', '/version')).status).toBe(200)
  expect((await call('GET', '/version', { token: 'wrong' })).status).toBe(401)
  // The official client trusts it through the same kubeconfig.
  const { core } = clients(emulator)
  expect((await core.listNamespacedSecret({ namespace: 'default' })).items).toEqual([])
})

test('stores a protobuf Secret as JSON, finds it by label, and refuses a malformed body', async () => {
  const payload = Buffer.from([0, 1, 2, 250, 255])
  const created = await call('POST', '/api/v1/namespaces/default/secrets', {
    contentType: 'application/vnd.kubernetes.protobuf',
    body: protobufSecret('sh.helm.release.v1.web.v1', ['owner', 'helm'], ['release', payload])
  })
  expect(created.status).toBe(201)
  const list = JSON.parse(
    (await call('GET', '/api/v1/namespaces/default/secrets?labelSelector=owner%3Dhelm')).body
  ) as { items: { metadata: { name: string }; type: string; data: Record<string, string> }[] }
  expect(list.items.map(s => s.metadata.name)).toEqual(['sh.helm.release.v1.web.v1'])
  expect(list.items[0].type).toBe('helm.sh/release.v1')
  expect(Buffer.from(list.items[0].data.release, 'base64')).toEqual(payload)

  const bad = await call('POST', '/api/v1/namespaces/default/secrets', {
    contentType: 'application/vnd.kubernetes.protobuf',
    body: Buffer.from('not protobuf')
  })
  expect(bad.status).toBe(400)
  const notBase64 = await call('POST', '/api/v1/namespaces/default/secrets', {
    contentType: 'application/json',
    body: Buffer.from(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'x' },
        data: { key: 'not base64!' }
      })
    )
  })
  expect(notBase64.status).toBe(422)
  expect(emulator.list('Secret', 'default')).toHaveLength(1)
})

test('publishes OpenAPI v3 PATCH operations that take fieldValidation, per group-version', async () => {
  const root = JSON.parse((await call('GET', '/openapi/v3')).body) as {
    paths: Record<string, { serverRelativeURL: string }>
  }
  expect(Object.keys(root.paths).sort()).toEqual(
    ['api/v1', 'apis/apps/v1', 'apis/gateway.networking.k8s.io/v1'].sort()
  )
  const apps = JSON.parse((await call('GET', root.paths['apis/apps/v1'].serverRelativeURL)).body)
  const patch = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch
  expect(patch['x-kubernetes-group-version-kind']).toEqual({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment'
  })
  expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation')
  expect((await call('GET', '/openapi/v3/apis/batch/v1')).status).toBe(404)
})

test('a WatchList sends what exists, then the initial-events-end bookmark', async () => {
  const { core } = clients(emulator)
  await core.createNamespacedSecret({
    namespace: 'default',
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'one' }, stringData: { a: 'b' } }
  })
  const watch = await call(
    'GET',
    '/api/v1/namespaces/default/secrets?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true',
    { lines: 2 }
  )
  const events = watch.body
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line) as { type: string; object: { metadata: Record<string, any> } }) // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(events.map(e => e.type)).toEqual(['ADDED', 'BOOKMARK'])
  expect(events[0].object.metadata.name).toBe('one')
  // stringData is folded into data, as the API server does.
  expect((events[0].object as unknown as { data: Record<string, string> }).data).toEqual({
    a: Buffer.from('b').toString('base64')
  })
  expect(events[1].object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' })
})

test('run-to-completion pods end Succeeded or Failed as their image says', async () => {
  emulator.setPodBehaviour('check:pass', 'succeed')
  emulator.setPodBehaviour('check:fail', 'fail')
  const { core } = clients(emulator)
  for (const [name, image] of [
    ['passes', 'check:pass'],
    ['fails', 'check:fail']
  ])
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { restartPolicy: 'Never', containers: [{ name: 'check', image }] }
      }
    })
  await emulator.settled()
  const phase = (name: string) =>
    (emulator.get('Pod', 'default', name) as { status: { phase: string } }).status.phase
  expect(phase('passes')).toBe('Succeeded')
  expect(phase('fails')).toBe('Failed')
  const log = await core.readNamespacedPodLog({ namespace: 'default', name: 'fails' })
  expect(log).toContain('check failed')
})
