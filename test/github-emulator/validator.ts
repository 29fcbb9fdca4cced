import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { fullFormats } from 'ajv-formats/dist/formats.js'
import { escapePointerToken, loadSpec, type OpenApiDocument, type SpecOperation } from './spec.js'

// ajv-formats is CommonJS; under ESM its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => void

const DOC_ID = 'github-openapi'

export interface SchemaProblem {
  message: string
  errors?: ErrorObject[]
}

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema?: Record<string, unknown>
  pointer: string
}

interface Media {
  pointer: string
}

/**
 * Validates requests and responses against GitHub's OpenAPI description. One ajv instance
 * per process holds the whole document under `github-openapi`; each operation's schemas
 * are compiled the first time they are needed and cached, so a test pays only for what it uses.
 */
export class Validator {
  private readonly ajv: Ajv
  private readonly doc: OpenApiDocument
  private readonly compiled = new Map<string, ValidateFunction>()

  constructor() {
    // Only what validation reads: ajv walks every key of a schema it is given, so handing it
    // descriptions and examples would cost half a second per process.
    const doc = slimDocument(loadSpec().doc)
    this.doc = doc
    convertNullable(doc)
    // strict: false because OpenAPI 3.0 adds keywords (example, discriminator, readOnly, …)
    // that are not JSON Schema; validateSchema: false because the document is not a schema.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false })
    addFormats(this.ajv)
    // OpenAPI type formats that carry no string constraint.
    for (const f of ['repo.nwo', 'timestamp']) this.ajv.addFormat(f, true)
    // GitHub documents deployment-status target_url/log_url/environment_url as `uri` but
    // sends "" when none was given (and so do we); accept the empty string for `uri`.
    const uri = fullFormats.uri as (s: string) => boolean
    this.ajv.addFormat('uri', { type: 'string', validate: (s: string) => s === '' || uri(s) })
    this.ajv.addSchema(doc as unknown as object, DOC_ID)
  }

  /** Returns problems with the request's parameters and JSON body (empty when valid). */
  validateRequest(
    operation: SpecOperation,
    input: {
      params: Record<string, string>
      query: Record<string, string>
      body: unknown
      hasBody: boolean
    }
  ): SchemaProblem[] {
    const problems: SchemaProblem[] = []
    const op = this.resolve(operation.pointer) as Record<string, unknown>
    for (const p of this.parameters(operation)) {
      const raw =
        p.in === 'path' ? input.params[p.name] : p.in === 'query' ? input.query[p.name] : undefined
      if (p.in !== 'path' && p.in !== 'query') continue
      if (raw === undefined) {
        if (p.required) problems.push({ message: `missing required ${p.in} parameter "${p.name}"` })
        continue
      }
      const value = coerce(raw, p.schema ?? {})
      const validate = this.validator(p.pointer + '/schema')
      if (!validate(value))
        problems.push({
          message: `${p.in} parameter "${p.name}"=${JSON.stringify(raw)} is invalid: ${this.ajv.errorsText(validate.errors)}`,
          errors: validate.errors ?? undefined
        })
    }
    const requestBody = op.requestBody ? this.follow(operation.pointer + '/requestBody') : undefined
    if (requestBody) {
      const rb = this.resolve(requestBody) as {
        required?: boolean
        content?: Record<string, unknown>
      }
      if (!input.hasBody) {
        if (rb.required) problems.push({ message: 'missing required request body' })
      } else if (rb.content?.['application/json']) {
        const validate = this.validator(`${requestBody}/content/application~1json/schema`)
        if (!validate(input.body))
          problems.push({
            message: `request body is invalid: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}`,
            errors: validate.errors ?? undefined
          })
      }
    }
    return problems
  }

  /** Whether the operation takes a JSON body (most) or raw bytes (asset upload). */
  bodyKind(operation: SpecOperation): 'json' | 'binary' | 'none' {
    const op = this.resolve(operation.pointer) as Record<string, unknown>
    if (!op.requestBody) return 'none'
    const rb = this.resolve(this.follow(operation.pointer + '/requestBody')) as {
      content?: Record<string, unknown>
    }
    return rb.content?.['application/json'] ? 'json' : 'binary'
  }

  /**
   * Checks a response against the schema documented for its status code. An undocumented
   * 2xx/3xx status is a problem; an undocumented error status is checked against GitHub's
   * generic error shape, since most operations do not list 401/403/5xx.
   */
  validateResponse(
    operation: SpecOperation,
    status: number,
    body: unknown,
    json: boolean
  ): SchemaProblem[] {
    const media = this.responseMedia(operation, status)
    if (media === 'undocumented') {
      if (status < 400)
        return [{ message: `status ${status} is not documented for ${operation.operationId}` }]
      const validate = this.validator('/components/schemas/basic-error')
      return validate(body)
        ? []
        : [{ message: `error body is invalid: ${this.ajv.errorsText(validate.errors)}` }]
    }
    if (!media) {
      if (json && body !== undefined && status === 204)
        return [{ message: 'a 204 response must have no body' }]
      return []
    }
    if (!json) return [] // bytes (asset download) are not described by a JSON schema
    const validate = this.validator(media.pointer)
    return validate(body)
      ? []
      : [
          {
            message: `response ${status} is invalid: ${this.ajv.errorsText(validate.errors, { dataVar: 'response' })}`,
            errors: validate.errors ?? undefined
          }
        ]
  }

  private responseMedia(
    operation: SpecOperation,
    status: number
  ): Media | undefined | 'undocumented' {
    const responses = this.resolve(operation.pointer + '/responses') as Record<string, unknown>
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find(k => k in responses)
    if (!key) return 'undocumented'
    const responsePointer = this.follow(`${operation.pointer}/responses/${key}`)
    const response = this.resolve(responsePointer) as { content?: Record<string, unknown> }
    if (!response.content?.['application/json']) return undefined
    return { pointer: `${responsePointer}/content/application~1json/schema` }
  }

  private parameters(operation: SpecOperation): Parameter[] {
    const op = this.resolve(operation.pointer) as { parameters?: unknown[] }
    return (op.parameters ?? []).map((_, i) => {
      const pointer = this.follow(`${operation.pointer}/parameters/${i}`)
      return { ...(this.resolve(pointer) as Omit<Parameter, 'pointer'>), pointer }
    })
  }

  /** Follows `$ref` chains (parameters, responses) to the pointer of the real object. */
  private follow(pointer: string): string {
    for (let i = 0; i < 10; i++) {
      const node = this.resolve(pointer) as { $ref?: string }
      if (!node || typeof node.$ref !== 'string') return pointer
      pointer = node.$ref.replace(/^#/, '')
    }
    return pointer
  }

  private resolve(pointer: string): unknown {
    let node: unknown = this.doc
    for (const token of pointer.split('/').slice(1)) {
      const key = token.replace(/~1/g, '/').replace(/~0/g, '~')
      node = (node as Record<string, unknown> | undefined)?.[key]
    }
    return node
  }

  private validator(pointer: string): ValidateFunction {
    let fn = this.compiled.get(pointer)
    if (!fn) {
      const fragment = pointer
        .split('/')
        .map(t => encodeURIComponent(t))
        .join('/')
      fn = this.ajv.compile({ $ref: `${DOC_ID}#${fragment}` })
      this.compiled.set(pointer, fn)
    }
    return fn
  }
}

let shared: Validator | undefined
/** One validator per process: the document and compiled schemas are shared by all emulators. */
export function sharedValidator(): Validator {
  shared ??= new Validator()
  return shared
}

/**
 * The document reduced to components (schemas, responses, parameters) and, per operation,
 * parameters, requestBody and responses with only their schemas. JSON pointers into the
 * original document stay valid.
 */
function slimDocument(doc: OpenApiDocument): OpenApiDocument {
  const content = (media: unknown): unknown => {
    if (!media || typeof media !== 'object') return media
    return Object.fromEntries(
      Object.entries(media as Record<string, { schema?: unknown }>).map(([type, m]) => [
        type,
        { schema: m.schema }
      ])
    )
  }
  const slimResponse = (r: Record<string, unknown>): Record<string, unknown> =>
    r.$ref ? { $ref: r.$ref } : { content: content(r.content) }
  const paths: OpenApiDocument['paths'] = {}
  for (const [template, item] of Object.entries(doc.paths)) {
    const slimItem: Record<string, unknown> = {}
    for (const [method, value] of Object.entries(item)) {
      const op = value as Record<string, unknown>
      if (!op || typeof op !== 'object' || !('responses' in op)) continue
      const body = op.requestBody as Record<string, unknown> | undefined
      slimItem[method] = {
        operationId: op.operationId,
        parameters: op.parameters,
        requestBody:
          body && (body.$ref ? body : { required: body.required, content: content(body.content) }),
        responses: Object.fromEntries(
          Object.entries(op.responses as Record<string, Record<string, unknown>>).map(([k, r]) => [
            k,
            slimResponse(r)
          ])
        )
      }
    }
    paths[template] = slimItem
  }
  const responses = Object.fromEntries(
    Object.entries(doc.components.responses ?? {}).map(([k, r]) => [
      k,
      slimResponse(r as Record<string, unknown>)
    ])
  )
  return {
    paths,
    components: {
      schemas: doc.components.schemas,
      parameters: doc.components.parameters,
      responses,
      requestBodies: doc.components.requestBodies ?? {}
    }
  }
}

/** Query and path values arrive as strings; the schemas speak integers and booleans. */
function coerce(raw: string, schema: Record<string, unknown>): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw)
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true'
  if (type === 'array') return raw.split(',')
  return raw
}

/**
 * OpenAPI 3.0 marks nullable values with `nullable: true`, which JSON Schema does not know.
 * Rewrite once, in place: `{type: T, nullable}` → `{type: [T, 'null']}` (and `null` added to
 * an enum); a nullable composition (`oneOf`, `allOf`, `$ref`) → `anyOf: [null, original]`.
 */
export function convertNullable(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(convertNullable)
    return
  }
  if (!node || typeof node !== 'object') return
  const o = node as Record<string, unknown>
  for (const value of Object.values(o)) convertNullable(value)
  if (o.nullable !== true) return
  delete o.nullable
  if (typeof o.type === 'string') {
    o.type = [o.type, 'null']
    if (Array.isArray(o.enum) && !o.enum.includes(null)) o.enum = [...o.enum, null]
    return
  }
  const keys = Object.keys(o).filter(
    k => !['description', 'title', 'readOnly', 'example'].includes(k)
  )
  if (keys.length === 0) return // nullable "anything"
  const inner: Record<string, unknown> = {}
  for (const k of keys) {
    inner[k] = o[k]
    delete o[k]
  }
  o.anyOf = [{ type: 'null' }, inner]
}

export { escapePointerToken }
