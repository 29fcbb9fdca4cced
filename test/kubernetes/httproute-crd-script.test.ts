// scripts/gateway-api-schema.mjs turns the HTTPRoute CRD of a Gateway API release into the JSON
// Schema the provider and the emulator validate with. Run on a small CRD of the same shape, so
// each conversion is seen, and on inputs it must refuse rather than convert half-way.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { stringify } from 'yaml'
import committed from '../../packages/providers/src/kubernetes/gateway-api/httproute-v1.2.1.json' with { type: 'json' }
import { GATEWAY_API_VERSION } from '../../packages/providers/src/kubernetes/httproute-schema.js'

const script = join(import.meta.dirname, '..', '..', 'scripts', 'gateway-api-schema.mjs')
const dir = mkdtempSync(join(tmpdir(), 'gateway-api-schema-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function crd(schema: object, kind = 'HTTPRoute'): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`)
  writeFileSync(
    file,
    stringify({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: {
        annotations: {
          'gateway.networking.k8s.io/bundle-version': 'v9.9.9',
          'gateway.networking.k8s.io/channel': 'standard'
        }
      },
      spec: {
        names: { kind },
        versions: [
          { name: 'v1beta1', schema: { openAPIV3Schema: { type: 'string' } } },
          { name: 'v1', schema: { openAPIV3Schema: schema } }
        ]
      }
    })
  )
  return file
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

async function convert(file: string): Promise<Json> {
  const out = join(dir, 'out.json')
  await promisify(execFile)(process.execPath, [script, file, out])
  return JSON.parse(readFileSync(out, 'utf8'))
}

async function refusal(file: string): Promise<string> {
  const result = await promisify(execFile)(process.execPath, [script, file]).then(
    () => undefined,
    (error: { stderr: string }) => error.stderr
  )
  expect(result).toBeDefined()
  return result!
}

const route = {
  type: 'object',
  description: 'HTTPRoute provides a way to route HTTP requests.',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      properties: {
        port: { type: 'integer', format: 'int32' },
        weight: { type: 'integer', format: 'int32', minimum: 0, maximum: 1000000 },
        generation: { type: 'integer', format: 'int64' },
        at: { type: 'string', format: 'date-time' },
        remove: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        headers: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name']
        },
        free: { type: 'object' }
      },
      'x-kubernetes-validations': [{ rule: 'has(self.port)', message: 'port is required' }]
    }
  }
}

describe('scripts/gateway-api-schema.mjs', () => {
  it('converts the v1 schema of the CRD into what ajv checks', async () => {
    const schema = await convert(crd(route))
    expect(schema.$comment).toMatch(/gateway-api v9\.9\.9, standard channel \(Apache-2\.0\)/)
    expect(JSON.stringify(schema)).not.toContain('description')
    const spec = schema.properties.spec
    expect(schema.additionalProperties).toBe(false)
    expect(spec.additionalProperties).toBe(false)
    expect(spec.properties.free).toEqual({ type: 'object' })
    expect(spec.properties.port).toEqual({
      type: 'integer',
      minimum: -2147483648,
      maximum: 2147483647
    })
    expect(spec.properties.weight).toEqual({ type: 'integer', minimum: 0, maximum: 1000000 })
    expect(spec.properties.generation).toEqual({ type: 'integer' })
    expect(spec.properties.remove.uniqueItems).toBe(true)
    expect(Object.keys(spec.properties.headers)).toEqual(['type', 'items'])
    expect(spec['x-kubernetes-validations']).toEqual(
      route.properties.spec['x-kubernetes-validations']
    )

    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema)
    const valid = { spec: { port: 80, at: '2024-01-01T10:00:00.5+02:00', remove: ['a', 'b'] } }
    expect(validate(valid)).toBe(true)
    for (const invalid of [
      { spec: { at: 'yesterday' } },
      { spec: { remove: ['a', 'a'] } },
      { spec: { port: 2 ** 31 } },
      { spec: { unknown: 1 } }
    ])
      expect(validate(invalid)).toBe(false)
  })

  it('refuses another CRD, and a format or annotation it has no conversion for', async () => {
    expect(await refusal(crd(route, 'GRPCRoute'))).toMatch(
      /not the HTTPRoute CustomResourceDefinition/
    )
    expect(await refusal(crd({ type: 'string', format: 'byte' }))).toMatch(
      /format byte has no conversion/
    )
    expect(
      await refusal(crd({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }))
    ).toMatch(/x-kubernetes-preserve-unknown-fields has no conversion/)
  })

  it('the committed schema is of the Gateway API version the provider names', () => {
    expect(committed.$comment).toContain(`gateway-api ${GATEWAY_API_VERSION}, standard channel`)
  })
})
