import type { KubeObject } from './types.js'

// Go clients write some core kinds as Kubernetes protobuf (helm's release Secrets), and a
// Go client does not fall back to JSON when a create is refused with 415. The emulator reads
// the kinds it serves that way: the `k8s\0` envelope (runtime.Unknown) and the Secret message
// of k8s.io/api/core/v1/generated.proto. Answers stay JSON, which those clients accept too.

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00])

interface Field {
  number: number
  /** Varint value, or the bytes of a length-delimited field. */
  value: bigint | Buffer
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = []
  let at = 0
  const varint = (): bigint => {
    let result = 0n
    let shift = 0n
    for (;;) {
      if (at >= buf.length) throw new Error('truncated varint')
      const byte = buf[at++]
      result |= BigInt(byte & 0x7f) << shift
      if (!(byte & 0x80)) return result
      shift += 7n
      if (shift > 63n) throw new Error('varint too long')
    }
  }
  while (at < buf.length) {
    const key = varint()
    const number = Number(key >> 3n)
    const wire = Number(key & 7n)
    if (wire === 0) out.push({ number, value: varint() })
    else if (wire === 2) {
      const length = Number(varint())
      if (at + length > buf.length) throw new Error('truncated field')
      out.push({ number, value: buf.subarray(at, at + length) })
      at += length
    } else if (wire === 1) at += 8
    else if (wire === 5) at += 4
    else throw new Error(`unsupported wire type ${wire}`)
  }
  return out
}

const text = (f: Field): string => (f.value as Buffer).toString('utf8')

function mapEntry(f: Field): [string, Buffer] {
  const entry = fields(f.value as Buffer)
  const key = entry.find(e => e.number === 1)
  const value = entry.find(e => e.number === 2)
  return [key ? text(key) : '', value ? (value.value as Buffer) : Buffer.alloc(0)]
}

function objectMeta(buf: Buffer): Record<string, unknown> {
  const meta: Record<string, unknown> = {}
  const labels: Record<string, string> = {}
  const annotations: Record<string, string> = {}
  for (const f of fields(buf)) {
    if (f.number === 1) meta.name = text(f)
    else if (f.number === 2) meta.generateName = text(f)
    else if (f.number === 3) meta.namespace = text(f)
    else if (f.number === 5) meta.uid = text(f)
    else if (f.number === 6) meta.resourceVersion = text(f)
    else if (f.number === 11) {
      const [k, v] = mapEntry(f)
      labels[k] = v.toString('utf8')
    } else if (f.number === 12) {
      const [k, v] = mapEntry(f)
      annotations[k] = v.toString('utf8')
    }
    // Fields the emulator sets itself (timestamps, generation, managedFields) are ignored, as
    // the API server ignores them on create.
  }
  if (Object.keys(labels).length) meta.labels = labels
  if (Object.keys(annotations).length) meta.annotations = annotations
  return meta
}

function secret(buf: Buffer): KubeObject {
  const object: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: '' } }
  const data: Record<string, string> = {}
  const stringData: Record<string, string> = {}
  for (const f of fields(buf)) {
    if (f.number === 1) object.metadata = objectMeta(f.value as Buffer) as KubeObject['metadata']
    else if (f.number === 2) {
      const [k, v] = mapEntry(f)
      data[k] = v.toString('base64')
    } else if (f.number === 3) object.type = text(f)
    else if (f.number === 4) {
      const [k, v] = mapEntry(f)
      stringData[k] = v.toString('utf8')
    } else if (f.number === 5) object.immutable = f.value !== 0n
  }
  // The API server folds stringData into data.
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v).toString('base64')
  if (Object.keys(data).length) object.data = data
  return object
}

/**
 * The object a protobuf body holds, as JSON. Throws (a 400 for the caller) on anything but a
 * well-formed envelope around a kind read here.
 */
export function decodeProtobuf(body: Buffer): KubeObject {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('missing the k8s protobuf envelope')
  const unknown = fields(body.subarray(4))
  const typeMeta = unknown.find(f => f.number === 1)
  const raw = unknown.find(f => f.number === 2)
  if (!typeMeta || !raw) throw new Error('the envelope has no type or no object')
  const type = Object.fromEntries(fields(typeMeta.value as Buffer).map(f => [f.number, text(f)]))
  const apiVersion = type[1]
  const kind = type[2]
  if (apiVersion === 'v1' && kind === 'Secret') return secret(raw.value as Buffer)
  throw new Error(`protobuf bodies of ${apiVersion} ${kind} are not read by the emulator`)
}
